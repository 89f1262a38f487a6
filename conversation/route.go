package conversation

import (
	"strconv"
	"strings"

	"fieldlog"
	"fieldlog/office"
)

// Button payloads are short "|"-separated fields (Telegram allows 64 bytes):
//
//	lang|<lang>                        choose the interface language
//	f|<flow id>|<step>|<action>[|arg]  an answer within a flow
//	list|<scope>|<page>                a page of records (scope o = own, u = unit)
//	rec|<id>|<scope>|<page>            one record, remembering the list page
//	edit|<id>, del|<id>|<scope>|<page>, delok|<id>|<scope>|<page>
//	rpt|<unit>|<period>|<lang>         the report again, in another language
//	note|<unit>|<period>               write the report's notes
//	dl|set, dl|reopen                  set a deadline, reopen a half-year
//	go|<command>                       run a command (buttons of reminders)
//	ret|<id>                           return a record for review
//	ok|<id>|<notes seen>               confirm it, as shown with that many notes
//
// Every payload is checked against the store before it changes anything.
const sep = "|"

func data(fields ...string) string { return strings.Join(fields, sep) }

// route sends the input to the flow or command it belongs to.
func (t *turn) route() error {
	if t.in.Button != "" {
		return t.pressed()
	}
	cmd, arg := t.command()
	if token, ok := office.TelegramLinkToken(arg); ok && cmd == "start" {
		return t.linkTelegram(token) // whoever the account was so far
	}
	if !t.user.Lang.Valid() {
		return t.firstContact()
	}
	if !t.user.Joined() {
		return t.notJoined(cmd, arg)
	}
	switch cmd {
	case "":
		if t.hasConv {
			return t.answer()
		}
		return t.logFromSentence()
	case "start":
		if arg != "" {
			return t.redeem(arg)
		}
		// /start is often tapped by habit: an unfinished flow stays, and
		// its question is asked again below the greeting.
		t.welcome()
		if t.hasConv {
			return t.prompt()
		}
		return nil
	case "lang":
		t.askLanguage()
		return nil
	case "help":
		t.sayMenu(t.help())
		return nil
	case "cancel":
		if t.hasConv {
			t.endFlow()
			t.sayMenu(t.tr("cancelled"))
		} else {
			t.sayMenu(t.tr("nothing_to_cancel"))
		}
		return nil
	case "log":
		return t.startLog()
	case "my":
		return t.showList(scopeOwn, 0, false)
	case "records":
		if !t.user.CanCoordinate() {
			t.sayMenu(t.tr("not_allowed"))
			return nil
		}
		return t.showList(scopeUnit, 0, false)
	case "invite":
		return t.startInvite()
	case "report":
		return t.startScoped(flowReport)
	case "note":
		return t.startScoped(flowNote)
	case "status":
		return t.showStatus()
	case "deadline":
		return t.showDeadlines()
	case "remind":
		return t.remind(arg)
	case "web":
		return t.webLink()
	}
	t.sayMenu(t.tr("unknown_command"))
	return nil
}

// command reads a slash command, or a menu button's label, from the text.
func (t *turn) command() (name, arg string) {
	text := strings.TrimSpace(t.in.Text)
	if strings.HasPrefix(text, "/") {
		name, arg, _ = strings.Cut(text[1:], " ")
		name, _, _ = strings.Cut(name, "@") // /log@fieldlog_bot in groups
		return strings.ToLower(name), strings.TrimSpace(arg)
	}
	if c := t.menuCommand(text); c != "" {
		return c, ""
	}
	return "", ""
}

// pressed handles a button press.
func (t *turn) pressed() error {
	f := strings.Split(t.in.Button, sep)
	if f[0] == "lang" && len(f) == 2 {
		return t.chooseLanguage(fieldlog.Lang(f[1]))
	}
	if !t.user.Lang.Valid() {
		return t.firstContact()
	}
	if !t.user.Joined() {
		t.notice(t.tr("stale_button"))
		return t.notJoined("", "")
	}
	switch {
	case f[0] == "f" && len(f) >= 4:
		if !t.hasConv || f[1] != t.conv.ID {
			t.notice(t.tr("stale_button"))
			return nil
		}
		if f[2] != t.conv.Step {
			// A button of an earlier step of this flow: answering it
			// now would skip the question shown last.
			t.notice(t.tr("stale_step"))
			return t.prompt()
		}
		arg := ""
		if len(f) > 4 {
			arg = f[4]
		}
		return t.flowButton(f[3], arg)
	case f[0] == "list" && len(f) == 3:
		return t.showList(f[1], atoi(f[2]), true)
	case f[0] == "rec" && len(f) == 4:
		return t.showRecord(fieldlog.ActivityID(f[1]), f[2], atoi(f[3]))
	case f[0] == "edit" && len(f) == 2:
		return t.startEdit(fieldlog.ActivityID(f[1]))
	case f[0] == "del" && len(f) == 4:
		return t.confirmDelete(fieldlog.ActivityID(f[1]), f[2], atoi(f[3]))
	case f[0] == "delok" && len(f) == 4:
		return t.delete(fieldlog.ActivityID(f[1]), f[2], atoi(f[3]))
	case f[0] == "rpt" && len(f) == 4:
		return t.reportAgain(fieldlog.UnitID(f[1]), f[2], fieldlog.Lang(f[3]))
	case f[0] == "note" && len(f) == 3:
		return t.noteFromReport(fieldlog.UnitID(f[1]), f[2])
	case f[0] == "photos" && len(f) == 2:
		return t.showPhotos(fieldlog.ActivityID(f[1]))
	case f[0] == "dl" && len(f) == 2:
		return t.deadlineButton(f[1])
	case f[0] == "go" && len(f) == 2:
		return t.goButton(f[1])
	case f[0] == "ret" && len(f) == 2:
		return t.startReturn(fieldlog.ActivityID(f[1]))
	case f[0] == "ok" && len(f) == 2:
		// A button of before the notes shown were counted: what it
		// showed is not known, so the record is shown as it is now, with
		// a button that counts.
		t.notice(t.tr("stale_button"))
		return t.showRecord(fieldlog.ActivityID(f[1]), scopeOwn, 0)
	case f[0] == "ok" && len(f) == 3:
		seen, err := strconv.Atoi(f[2])
		if err != nil || seen < 0 {
			break
		}
		return t.confirmRecord(fieldlog.ActivityID(f[1]), seen)
	case f[0] == "noop":
		return nil
	}
	t.notice(t.tr("stale_button"))
	return nil
}

// flowButton passes a button answer to the current flow.
func (t *turn) flowButton(action, arg string) error {
	if action == "cancel" {
		t.endFlow()
		t.show(t.tr("cancelled"))
		t.sayMenu(t.tr("hint_use_menu"))
		return nil
	}
	switch t.conv.Flow {
	case flowLog, flowEdit:
		return t.logButton(action, arg)
	case flowInvite:
		return t.inviteButton(action, arg)
	case flowReport:
		return t.scopeAnswer(action, arg)
	case flowNote:
		return t.noteButton(action, arg)
	case flowDeadline, flowReopen:
		return t.deadlineFlowButton(action, arg)
	case flowReturn:
		return t.returnButton(action, arg)
	}
	t.notice(t.tr("stale_button"))
	return nil
}

// answer passes typed text or a photo to the current flow.
func (t *turn) answer() error {
	switch t.conv.Flow {
	case flowLog, flowEdit:
		return t.logAnswer()
	case flowInvite:
		t.say(t.tr("use_buttons"))
		return t.prompt()
	case flowReport:
		return t.scopeAnswer("text", t.in.Text)
	case flowNote:
		return t.noteAnswer()
	case flowDeadline, flowReopen:
		return t.deadlineAnswer()
	case flowReturn:
		return t.returnAnswer()
	}
	t.endFlow()
	t.sayMenu(t.tr("hint_use_menu"))
	return nil
}

// prompt asks the question of the current step again.
func (t *turn) prompt() error {
	switch t.conv.Flow {
	case flowLog, flowEdit:
		return t.logPrompt()
	case flowInvite:
		return t.invitePrompt()
	case flowReport:
		return t.scopePrompt()
	case flowNote:
		return t.notePrompt()
	case flowDeadline, flowReopen:
		return t.deadlinePrompt()
	case flowReturn:
		return t.returnPrompt()
	}
	return nil
}

// flowButtonData is the payload of a button of the current flow step.
func (t *turn) flowData(action string, arg ...string) string {
	return data(append([]string{"f", t.conv.ID, t.conv.Step, action}, arg...)...)
}

// atoi parses a small non-negative number from a button payload; anything
// else is 0.
func atoi(s string) int {
	n := 0
	if len(s) > 6 {
		return 0
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}
