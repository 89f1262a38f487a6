package conversation

import (
	"context"
	"errors"
	"fmt"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
	"fieldlog/report"
)

// The half-year report: /report asks which half-year and, above township
// level, which unit; then the report comes as chat messages, a Word file
// laid out as an official document and an Excel ledger of every record
// behind it. /note (note.go) shares the first two steps.

const (
	flowReport = "report"
	stepPeriod = "per"
	varPeriod  = "period" // the chosen half-year, as Period.String()

	reportButtonZh = "📄 中文"
	reportButtonMn = "📄 ᠮᠣᠩᠭᠣᠯ"
)

// startScoped begins a flow that works on one unit's half-year.
func (t *turn) startScoped(flow string) error {
	if ok, err := t.startCoordinatorFlow(flow, stepPeriod); !ok {
		return err
	}
	return t.scopePrompt()
}

// scopePrompt asks for the half-year, then the unit.
func (t *turn) scopePrompt() error {
	switch t.conv.Step {
	case stepPeriod:
		cur := fieldlog.PeriodOf(t.today())
		t.show(t.tr("ask_report_period"), []Button{
			{Text: t.periodName(cur), Data: t.flowData("period", cur.String())},
			{Text: t.periodName(cur.Previous()), Data: t.flowData("period", cur.Previous().String())},
		}, []Button{t.btnCancel()})
	case stepUnit:
		tree, err := t.units()
		if err != nil {
			return err
		}
		p, _ := t.chosenPeriod()
		t.show(t.tr("ask_report_unit", "Period", t.periodName(p)), t.pickerButtons(tree)...)
	}
	return nil
}

// scopeAnswer takes a half-year typed or tapped, or a unit from the picker.
func (t *turn) scopeAnswer(action, arg string) error {
	tree, err := t.units()
	if err != nil {
		return err
	}
	switch {
	case t.conv.Step == stepPeriod && action == "text":
		p, err := parse.Period(arg, t.today())
		if err != nil {
			id := "period_not_understood"
			if errors.Is(err, parse.ErrFuturePeriod) {
				id = "period_future"
			}
			t.say(t.tr(id))
			return t.scopePrompt()
		}
		return t.periodChosen(p, tree)
	case t.conv.Step == stepPeriod && action == "period":
		p, err := parse.Period(arg, t.today())
		if err != nil {
			t.notice(t.tr("stale_button"))
			return t.scopePrompt()
		}
		return t.periodChosen(p, tree)
	case t.conv.Step == stepUnit && t.pickerButton(tree, action, arg):
		return t.scopePrompt()
	case t.conv.Step == stepUnit && action == "back":
		t.goTo(stepPeriod)
		return t.scopePrompt()
	case t.conv.Step == stepUnit && action == "pick" && t.user.MayAct(tree, fieldlog.UnitID(arg)):
		p, _ := t.chosenPeriod()
		return t.scopeChosen(fieldlog.UnitID(arg), p)
	case t.conv.Step == stepUnit && action == "text":
		t.say(t.tr("use_buttons"))
		return t.scopePrompt()
	}
	t.notice(t.tr("not_allowed"))
	return t.scopePrompt()
}

// periodChosen moves on to the unit, which only users above township
// level choose: everyone else reports on their own unit.
func (t *turn) periodChosen(p fieldlog.Period, tree *fieldlog.Tree) error {
	t.setVar(varPeriod, p.String())
	if t.user.Role != fieldlog.Admin && !hasGrandchildren(tree, t.user.UnitID) {
		return t.scopeChosen(t.user.UnitID, p)
	}
	t.goTo(stepUnit)
	return t.scopePrompt()
}

// scopeChosen hands the unit and half-year to the flow that asked.
func (t *turn) scopeChosen(unit fieldlog.UnitID, p fieldlog.Period) error {
	switch t.conv.Flow {
	case flowNote:
		return t.startNotes(unit, p)
	case flowDeadline:
		return t.startDeadline(unit, p)
	case flowReopen:
		return t.startReopen(unit, p)
	}
	t.endFlow()
	return t.sendReport(unit, p, t.lang)
}

func (t *turn) chosenPeriod() (fieldlog.Period, bool) {
	p, err := parse.Period(t.conv.Vars[varPeriod], t.today())
	return p, err == nil
}

func hasGrandchildren(tree *fieldlog.Tree, unit fieldlog.UnitID) bool {
	for _, c := range tree.Children(unit) {
		if len(tree.Children(c)) > 0 {
			return true
		}
	}
	return false
}

// reportAgain answers the language buttons under a report:
// rpt|<unit>|<period>|<lang>. The payload is checked like any other; the
// office decides whether the user may have the unit's report.
func (t *turn) reportAgain(unit fieldlog.UnitID, period string, lang fieldlog.Lang) error {
	p, perr := parse.Period(period, t.today())
	if perr != nil || !lang.Valid() {
		t.notice(t.tr("not_allowed"))
		return nil
	}
	return t.sendReport(unit, p, lang)
}

// sendReport sends the report of unit's subtree for p that the office
// compiles: the chat text and the ledger in textLang, the Word file in
// Chinese (office.DocLang).
//
// At most Config.MaxReports reports compile at once; a user whose report
// must wait is told so at once.
func (t *turn) sendReport(unit fieldlog.UnitID, p fieldlog.Period, textLang fieldlog.Lang) error {
	t.extendDeadline(t.e.reportTimeout)
	release, err := t.reportSlot()
	if err != nil {
		return err
	}
	defer release()
	rep, err := t.e.office.Report(t.ctx, t.user, unit, p, textLang)
	if ok, err := t.refused(err); !ok {
		return err
	}
	for _, m := range report.HTML(rep.Document) {
		t.resp.Replies = append(t.resp.Replies, Reply{Text: m, HTML: true})
	}
	ready := t.tr("report_ready", "Count", rep.Records)
	if textLang != office.DocLang {
		ready = t.tr("report_ready_text_only", "Count", rep.Records)
	}
	t.resp.Replies = append(t.resp.Replies, Reply{
		Text: ready,
		Buttons: [][]Button{
			{
				{Text: reportButtonZh, Data: data("rpt", string(unit), p.String(), string(fieldlog.Chinese))},
				{Text: reportButtonMn, Data: data("rpt", string(unit), p.String(), string(fieldlog.Mongolian))},
			},
			{{Text: t.tr("btn_write_notes"), Data: data("note", string(unit), p.String())}},
		},
		Files: []File{{Name: rep.WordName, Data: rep.Word}, {Name: rep.LedgerName, Data: rep.Ledger}},
	})
	return nil
}

// reportSlot waits until fewer than Config.MaxReports reports compile, and
// returns the function that frees the slot. A user who must wait is told
// at once, since the wait may be long.
func (t *turn) reportSlot() (release func(), err error) {
	release = func() { <-t.e.reports }
	select {
	case t.e.reports <- struct{}{}:
		return release, nil
	default:
	}
	if t.e.notifier != nil {
		if _, err := t.e.notifier.Notify(t.ctx, t.in.ChatID, Reply{Text: t.tr("report_queued")}); err != nil {
			t.e.log.Warn("say that the report waits", "user", t.user.ID, "err", err)
		}
	}
	select {
	case t.e.reports <- struct{}{}:
		return release, nil
	case <-t.ctx.Done():
		return nil, fmt.Errorf("wait for a report slot: %w", context.Cause(t.ctx))
	}
}

// periodName is a half-year as users write it: 2024年上半年.
func (t *turn) periodName(p fieldlog.Period) string { return t.periodNameIn(t.lang, p) }

func (t *turn) periodNameIn(l fieldlog.Lang, p fieldlog.Period) string { return t.e.msgs.Period(l, p) }
