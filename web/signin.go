package web

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"

	"fieldlog"
	"fieldlog/office"
)

// Signing in: a one-time link from the bot, a Mini App's initData, or an
// invitation code for someone without Telegram; and signing out.

// home is the signed-in user's menu, or the sign-in page.
func (s *Server) home(q *req) error {
	if q.user.ID == 0 {
		return q.signInPage("", "", "")
	}
	return q.render("home", map[string]any{"Coordinates": q.user.CanCoordinate(),
		"OwnID": q.user.OwnID(), "Linked": q.user.Telegram != 0})
}

// telegramUnlink ends the user's Telegram account being them, and every
// session but this one: the Mini App of a lost phone is signed in too.
func (s *Server) telegramUnlink(q *req) error {
	u, err := s.cfg.Office.UnlinkTelegram(q.ctx, q.user)
	if errors.Is(err, office.ErrForbidden) {
		return q.forbidden()
	}
	if err != nil {
		return err
	}
	if _, err := s.cfg.Stores.DeleteUserSessions(q.ctx, u.ID); err != nil {
		return err
	}
	if err := q.newSession(u); err != nil {
		return err
	}
	return q.render("message", map[string]any{"Text": q.tr("web_telegram_unlinked")})
}

// telegramLink gives a user who joined on the page a one-time link that
// makes a Telegram account them (office.NewTelegramLink): the bot's deep
// link, and the command to send it for a phone without one.
func (s *Server) telegramLink(q *req) error {
	token, err := s.cfg.Office.NewTelegramLink(q.ctx, s.cfg.Stores, q.user)
	if errors.Is(err, office.ErrForbidden) {
		return q.forbidden()
	}
	if err != nil {
		return err
	}
	payload := office.TelegramStartPayload(token)
	deep := ""
	if s.cfg.BotUsername != "" {
		deep = "https://t.me/" + url.PathEscape(s.cfg.BotUsername) + "?start=" + payload
	}
	q.w.Header().Set("Cache-Control", "no-store")
	return q.render("telegram", map[string]any{"Link": deep, "Command": "/start " + payload,
		"Open": q.tr("web_telegram_open", "Minutes", int(fieldlog.SignInLinkTTL.Minutes()))})
}

// signInPage is the page for someone signed out, with why the last try
// failed and what they typed.
func (q *req) signInPage(problem, code, name string) error {
	return q.render("signin", map[string]any{"Problem": problem, "Code": code, "Name": name,
		"Langs": []fieldlog.Lang{fieldlog.Chinese, fieldlog.Mongolian}})
}

// startSession signs u in: a new session whose token only the cookie
// holds. The double-submit token is dropped: the session's replaces it.
func (q *req) startSession(u fieldlog.User) error {
	if err := q.newSession(u); err != nil {
		return err
	}
	return q.redirect("/web/")
}

// newSession stores a new session of u and sets its cookie; forms of this
// response are signed for it.
func (q *req) newSession(u fieldlog.User) error {
	token := NewToken()
	now := q.s.now()
	sess := fieldlog.WebSession{Hash: fieldlog.HashToken(token), UserID: u.ID, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(SessionTTL)}
	if err := q.s.cfg.Stores.CreateSession(q.ctx, sess); err != nil {
		return err
	}
	q.setCookie(cookieSession, token, int(SessionTTL.Seconds()))
	q.setCookie(cookiePre, "", -1)
	if q.user.ID != 0 {
		q.session = sess.Hash
	}
	q.s.log.Info("web session started", "user", u.ID)
	return nil
}

// loginPage is where a one-time link leads: a button that signs in. Only
// the button's post uses the link up, so that a preview or a scanner
// fetching the link (GET or HEAD) does not, and a link someone else sent
// does not sign a browser in without its user's tap.
func (s *Server) loginPage(q *req) error {
	return q.render("login", map[string]any{"Token": q.r.URL.Query().Get("t")})
}

// login redeems a one-time link, from loginPage's form.
func (s *Server) login(q *req) error {
	if !q.validCSRF() {
		return q.csrfRefused()
	}
	u, err := s.cfg.Office.RedeemSignInLink(q.ctx, s.cfg.Stores, q.r.PostFormValue("t"), q.remoteAddr())
	switch {
	case errors.Is(err, office.ErrTooManyTries):
		q.w.WriteHeader(http.StatusTooManyRequests)
		return q.signInPage(q.tr("code_too_many_tries"), "", "")
	case errors.Is(err, fieldlog.ErrNotFound), errors.Is(err, office.ErrForbidden):
		q.w.WriteHeader(http.StatusForbidden)
		return q.signInPage(q.tr("web_link_invalid"), "", "")
	case err != nil:
		return err
	}
	q.user, q.lang = fieldlog.User{}, u.Lang
	return q.startSession(u)
}

// telegram signs in the user a Mini App was opened by, if they joined.
func (s *Server) telegram(q *req) error {
	if _, err := q.r.Cookie(cookiePre); err != nil {
		// No cookie came with the post: inside Telegram that is the page
		// framed by another site (Telegram in a browser, web.telegram.org),
		// where SameSite=Lax cookies are neither kept nor sent, so no
		// session could be either. The /web link works there.
		q.w.WriteHeader(http.StatusForbidden)
		return q.render("message", map[string]any{"Text": q.tr("web_telegram_framed")})
	}
	if !q.validCSRF() {
		return q.csrfRefused()
	}
	tg, err := ValidateInitData(q.r.PostFormValue("init_data"), s.cfg.BotToken, s.now(), InitDataMaxAge)
	if err != nil {
		s.log.Info("initData refused", "err", err)
		q.w.WriteHeader(http.StatusForbidden)
		return q.signInPage(q.tr("web_telegram_invalid"), "", "")
	}
	u, err := s.cfg.Office.SignedInTelegram(q.ctx, tg.ID)
	if errors.Is(err, fieldlog.ErrNotFound) || errors.Is(err, office.ErrForbidden) {
		q.w.WriteHeader(http.StatusForbidden)
		return q.signInPage(q.tr("not_joined"), "", "")
	}
	if err != nil {
		return err
	}
	return q.startSession(u)
}

// join lets someone without Telegram in with an invitation code.
func (s *Server) join(q *req) error {
	if !q.validCSRF() {
		return q.csrfRefused()
	}
	code, name := q.r.PostFormValue("code"), q.r.PostFormValue("name")
	lang := fieldlog.Lang(q.r.PostFormValue("lang"))
	if lang.Valid() {
		q.lang = lang
	}
	u, err := s.cfg.Office.JoinOnWeb(q.ctx, s.cfg.Stores, code, q.remoteAddr(), name, lang)
	var wrong *office.WrongCodeError
	var invalid *office.InvalidError
	switch {
	case errors.As(err, &wrong):
		q.w.WriteHeader(http.StatusForbidden)
		return q.signInPage(q.tr("code_invalid", "Left", wrong.Left), code, name)
	case errors.Is(err, office.ErrTooManyTries):
		q.w.WriteHeader(http.StatusTooManyRequests)
		return q.signInPage(q.tr("code_too_many_tries"), code, name)
	case errors.As(err, &invalid):
		q.w.WriteHeader(http.StatusUnprocessableEntity)
		return q.signInPage(q.tr("web_name_needed"), code, name)
	case err != nil:
		return err
	}
	return q.startSession(u)
}

// logout ends every session of the user, on every device.
func (s *Server) logout(q *req) error {
	if q.user.ID == 0 {
		return q.redirect("/web/")
	}
	if !q.validCSRF() {
		return q.csrfRefused()
	}
	if _, err := s.cfg.Stores.DeleteUserSessions(q.ctx, q.user.ID); err != nil {
		return err
	}
	q.setCookie(cookieSession, "", -1)
	s.log.Info("web sessions ended", "user", q.user.ID)
	return q.redirect("/web/")
}

// setLang is the language switch of a signed-out visitor (a signed-in
// user's is their own, as in the bot).
func (s *Server) setLang(q *req) error {
	if l := fieldlog.Lang(q.r.URL.Query().Get("l")); l.Valid() {
		q.setCookie(cookieLang, string(l), 365*24*3600)
	}
	return q.redirect("/web/")
}

// setLayout switches Mongolian between vertical and, for old WebViews
// that cannot lay out vertical form fields, horizontal.
func (s *Server) setLayout(q *req) error {
	v := "v"
	if q.r.URL.Query().Get("v") == "h" {
		v = "h"
	}
	q.setCookie(cookieLayout, v, 365*24*3600)
	return q.redirect(localPage(q.r.URL.Query().Get("back")))
}

// localPage is back if it is a path of this site's pages, else the home
// page: the page a switch was on, never another site (no scheme, no host,
// no backslash, which browsers read as a slash, and within /web/ once
// cleaned).
func localPage(back string) string {
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.ContainsAny(back, "\\\t\r\n") || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		return "/web/"
	}
	p := path.Clean(u.Path)
	if p != "/web" && !strings.HasPrefix(p, "/web/") {
		return "/web/"
	}
	if strings.HasSuffix(u.Path, "/") && p != "/" {
		p += "/"
	}
	return p
}
