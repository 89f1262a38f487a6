package conversation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"fieldlog"
	"fieldlog/parse"
	"fieldlog/report"
	"fieldlog/report/docx"
	"fieldlog/report/ledger"
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
// rpt|<unit>|<period>|<lang>. The payload is checked like any other.
func (t *turn) reportAgain(unit fieldlog.UnitID, period string, lang fieldlog.Lang) error {
	tree, err := t.units()
	if err != nil {
		return err
	}
	p, perr := parse.Period(period, t.today())
	if !t.user.MayAct(tree, unit) || perr != nil || !lang.Valid() {
		t.notice(t.tr("not_allowed"))
		return nil
	}
	return t.sendReport(unit, p, lang)
}

// sendReport compiles the report of unit's subtree for p from one pass
// over the records: the chat text and the ledger in textLang, the Word
// file in Chinese, the official language. A Mongolian Word file would be
// horizontal, its glyphs on their side, which no office sends: until a
// vertical one can be made and checked, the Mongolian report is the chat
// text only, and the bot says the Chinese file is the official one.
//
// At most Config.MaxReports reports compile at once; a user whose report
// must wait is told so at once.
func (t *turn) sendReport(unit fieldlog.UnitID, p fieldlog.Period, textLang fieldlog.Lang) error {
	const docLang = fieldlog.Chinese
	tree, err := t.units()
	if err != nil {
		return err
	}
	t.extendDeadline(t.e.reportTimeout)
	release, err := t.reportSlot()
	if err != nil {
		return err
	}
	defer release()
	notes, err := t.e.store.Notes(t.ctx, unit, p)
	if err != nil {
		return fmt.Errorf("load notes: %w", err)
	}
	config := func(l fieldlog.Lang) report.Config {
		return report.Config{Catalog: t.e.catalog, Tree: tree, Scope: unit, Period: p, Lang: l,
			Notes: report.Notes{Problems: paragraphTexts(notes.Problems), Plans: paragraphTexts(notes.Plans)}, Messages: t.e.msgs,
			Date: t.today()}
	}
	text, doc := report.NewCompiler(config(textLang)), report.NewCompiler(config(docLang))
	if textLang == docLang {
		doc = text // one compiler does for both
	}
	var xlsx bytes.Buffer
	led, err := ledger.New(&xlsx, ledger.Config{Lang: textLang, Catalog: t.e.catalog, Tree: tree, Scope: unit, Period: p, Messages: t.e.msgs, Location: t.e.loc,
		Title: t.trIn(textLang, "file_ledger", "Unit", tree.Name(unit, textLang), "Period", t.periodNameIn(textLang, p))})
	if err != nil {
		return fmt.Errorf("start ledger: %w", err)
	}
	count := 0
	// The compiler and the ledger check the scope again on every record:
	// a query that came back too wide must not put another unit's figures
	// in this report.
	err = t.e.store.EachActivity(t.ctx, fieldlog.ReportFilter(tree, unit, p),
		func(a fieldlog.Activity) error {
			count++
			text.Add(a)
			if doc != text {
				doc.Add(a)
			}
			return led.Add(a)
		})
	if err != nil {
		_ = led.Discard()
		return fmt.Errorf("read records for the report: %w", err)
	}
	if err := led.Close(); err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	var word bytes.Buffer
	if err := docx.Write(&word, doc.Document()); err != nil {
		return fmt.Errorf("write report document: %w", err)
	}
	for _, m := range report.HTML(text.Document()) {
		t.resp.Replies = append(t.resp.Replies, Reply{Text: m, HTML: true})
	}
	ready := t.tr("report_ready", "Count", count)
	if textLang != docLang {
		ready = t.tr("report_ready_text_only", "Count", count)
	}
	docName := t.trIn(docLang, "file_report", "Unit", tree.Name(unit, docLang), "Period", t.periodNameIn(docLang, p))
	ledName := t.trIn(textLang, "file_ledger", "Unit", tree.Name(unit, textLang), "Period", t.periodNameIn(textLang, p))
	t.resp.Replies = append(t.resp.Replies, Reply{
		Text: ready,
		Buttons: [][]Button{
			{
				{Text: reportButtonZh, Data: data("rpt", string(unit), p.String(), string(fieldlog.Chinese))},
				{Text: reportButtonMn, Data: data("rpt", string(unit), p.String(), string(fieldlog.Mongolian))},
			},
			{{Text: t.tr("btn_write_notes"), Data: data("note", string(unit), p.String())}},
		},
		Files: []File{{Name: fileName(docName, ".docx"), Data: word.Bytes()}, {Name: fileName(ledName, ".xlsx"), Data: xlsx.Bytes()}},
	})
	t.e.observe.ReportCompiled()
	t.e.log.Info("report compiled", "user", t.user.ID, "unit", unit, "period", p.String(), "records", count)
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

// paragraphTexts are the paragraphs' texts.
func paragraphTexts(ps []fieldlog.Paragraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// periodName is a half-year as users write it: 2024年上半年.
func (t *turn) periodName(p fieldlog.Period) string { return t.periodNameIn(t.lang, p) }

func (t *turn) periodNameIn(l fieldlog.Lang, p fieldlog.Period) string { return t.e.msgs.Period(l, p) }

// fileName makes a file name safe on phones and Windows.
func fileName(name, ext string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, name)
	return strings.TrimSpace(name) + ext
}
