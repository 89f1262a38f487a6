package conversation

import (
	"net/url"
	"strings"

	"fieldlog"
)

// /web: the same work on a web page, for a phone browser where Telegram
// is out of reach, or inside Telegram as a Mini App. The browser link
// signs in once (fieldlog.SignInLinkTTL); the Mini App signs in with
// what Telegram tells the page.

// webLink sends a one-time sign-in link to the web page.
func (t *turn) webLink() error {
	if t.e.webURL == "" || t.e.webStore == nil {
		t.sayMenu(t.tr("unknown_command"))
		return nil
	}
	token, err := t.e.office.NewSignInLink(t.ctx, t.e.webStore, t.user)
	if err != nil {
		return err
	}
	buttons := []Button{{Text: t.tr("btn_open_browser"), URL: t.e.webURL + "/web/login?t=" + url.QueryEscape(token)}}
	if strings.HasPrefix(t.e.webURL, "https://") {
		buttons = append(buttons, Button{Text: t.tr("btn_open_in_telegram"), WebApp: t.e.webURL + "/web/"})
	}
	t.say(t.tr("web_link", "Minutes", int(fieldlog.SignInLinkTTL.Minutes())), rows(buttons, 1)...)
	return nil
}
