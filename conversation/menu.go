package conversation

import (
	"strings"

	"fieldlog"
)

// action is an entry of the main menu: a command and its button label.
type action struct {
	command string
	label   string // message id of the button label
	help    string // message id of its line in /help and the command list
}

var (
	actLog      = action{"log", "menu_log", "help_log"}
	actMy       = action{"my", "menu_my", "help_my"}
	actRecords  = action{"records", "menu_records", "help_records"}
	actInvite   = action{"invite", "menu_invite", "help_invite"}
	actHelp     = action{"help", "menu_help", "help_help"}
	actLang     = action{"lang", "menu_lang", "help_lang"}
	actReport   = action{"report", "menu_report", "help_report"}
	actStatus   = action{"status", "menu_status", "help_status"}
	actNote     = action{"note", "", "help_note"}
	actDeadline = action{"deadline", "", "help_deadline"}
	actRemind   = action{"remind", "", "help_remind"}
	actCancel   = action{"cancel", "", "help_cancel"}
	actWeb      = action{"web", "menu_web", "help_web"}
)

// actions returns the menu rows of what the user's role may do.
func actions(u fieldlog.User) [][]action {
	var rows [][]action
	if u.MayLog() {
		rows = append(rows, []action{actLog, actMy})
	}
	if u.CanCoordinate() {
		rows = append(rows, []action{actRecords, actInvite}, []action{actReport, actStatus})
	}
	return append(rows, []action{actHelp, actLang})
}

// commandsOf lists every command of the user's role, for /help and the
// command list: the menu's actions, then those without a button; /web
// when the deployment has a web page.
func commandsOf(u fieldlog.User, web bool) []action {
	var out []action
	for _, r := range actions(u) {
		out = append(out, r...)
	}
	if u.CanCoordinate() {
		out = append(out, actNote)
	}
	out = append(out, actDeadline, actRemind)
	if web && u.Joined() {
		out = append(out, actWeb)
	}
	return append(out, actCancel)
}

// menu is the persistent keyboard of the user's actions.
func (t *turn) menu() [][]string {
	var rows [][]string
	for _, r := range actions(t.user) {
		var row []string
		for _, a := range r {
			row = append(row, t.tr(a.label))
		}
		rows = append(rows, row)
	}
	return rows
}

// menuCommand maps a menu button's label, in either language since the
// keyboard may predate a language change, to its command.
func (t *turn) menuCommand(text string) string {
	if text == "" {
		return ""
	}
	// menu_web is pressed as text only where the Mini App cannot open.
	for _, a := range []action{actLog, actMy, actRecords, actInvite, actReport, actStatus, actHelp, actLang, actWeb} {
		for _, l := range fieldlog.Langs {
			if t.e.msgs.Text(l, a.label, nil) == text {
				return a.command
			}
		}
	}
	return ""
}

// sayMenu sends text with the main menu keyboard.
func (t *turn) sayMenu(text string) {
	if !t.user.Joined() {
		t.say(text)
		return
	}
	r := Reply{Text: text, Menu: t.menu()}
	if strings.HasPrefix(t.e.webURL, "https://") {
		r.MenuApp = Button{Text: t.tr("menu_web"), WebApp: t.e.webURL + "/web/"}
	}
	t.resp.Replies = append(t.resp.Replies, r)
}

// help explains each action of the user's role.
func (t *turn) help() string {
	var b strings.Builder
	b.WriteString(t.tr("help_intro"))
	for _, a := range commandsOf(t.user, t.e.webURL != "") {
		b.WriteString("\n/" + a.command + " — " + t.tr(a.help))
	}
	return b.String()
}

// Commands returns the command list for a role in lang, for the channel to
// register (Telegram's setMyCommands) before anyone writes.
func (e *Engine) Commands(u fieldlog.User, lang fieldlog.Lang) []Command {
	var out []Command
	for _, a := range commandsOf(u, e.webURL != "") {
		out = append(out, Command{Name: a.command, Description: e.msgs.Text(lang, a.help, nil)})
	}
	return out
}

// refreshCommands updates this chat's command list after a change of role
// or language.
func (t *turn) refreshCommands() {
	t.resp.Commands = t.e.Commands(t.user, t.lang)
}

// welcome greets a joined user with their role, unit and menu.
func (t *turn) welcome() {
	unit := ""
	if t.user.UnitID != "" {
		if tree, err := t.units(); err == nil {
			unit = tree.Name(t.user.UnitID, t.lang)
		}
	}
	t.sayMenu(t.tr("welcome", "Name", t.user.Name, "Role", t.tr("role_"+string(t.user.Role)), "Unit", unit))
}
