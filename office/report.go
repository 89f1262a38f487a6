package office

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"fieldlog"
	"fieldlog/report"
	"fieldlog/report/docx"
	"fieldlog/report/ledger"
)

// The half-year report of a unit's subtree: the compiled document, its
// Word file and the Excel ledger of every record behind it.

// Report is a compiled half-year report.
type Report struct {
	Unit   fieldlog.UnitID
	Period fieldlog.Period
	// Lang is the language of Document and of the ledger.
	Lang fieldlog.Lang
	// Document is the report in Lang, for a channel to lay out.
	Document report.Document
	// Records is how many records it counts.
	Records int
	// Word is the .docx in DocLang, named WordName; Ledger the .xlsx in
	// Lang, named LedgerName. The names are safe on phones and Windows.
	Word, Ledger         []byte
	WordName, LedgerName string
}

// DocLang is the language of the report's Word file: Chinese, the official
// one. A Mongolian Word file would be horizontal, its glyphs on their side,
// which no office sends; until a vertical one can be made and checked, the
// Mongolian report is the document only.
const DocLang = fieldlog.Chinese

// Report compiles the report of unit's subtree for p, in lang, from one
// pass over the records. Only a coordinator or admin who may act on unit
// may (fieldlog.User.MayReport); ErrForbidden otherwise.
func (o *Office) Report(ctx context.Context, u fieldlog.User, unit fieldlog.UnitID, p fieldlog.Period, lang fieldlog.Lang) (Report, error) {
	if !lang.Valid() {
		return Report{}, fmt.Errorf("compile report: unknown language %q", lang)
	}
	tree, err := o.Tree(ctx)
	if err != nil {
		return Report{}, err
	}
	if !u.MayReport(tree, unit) {
		return Report{}, ErrForbidden
	}
	notes, err := o.store.Notes(ctx, unit, p)
	if err != nil {
		return Report{}, fmt.Errorf("load notes of the report: %w", err)
	}
	today := o.Today()
	config := func(l fieldlog.Lang) report.Config {
		return report.Config{Catalog: o.catalog, Tree: tree, Scope: unit, Period: p, Lang: l,
			Notes:    report.Notes{Problems: paragraphTexts(notes.Problems), Plans: paragraphTexts(notes.Plans)},
			Messages: o.msgs, Date: today}
	}
	text, doc := report.NewCompiler(config(lang)), report.NewCompiler(config(DocLang))
	if lang == DocLang {
		doc = text // one compiler does for both
	}
	ledName := o.msgs.Textf(lang, "file_ledger", "Unit", tree.Name(unit, lang), "Period", o.msgs.Period(lang, p))
	var xlsx bytes.Buffer
	led, err := ledger.New(&xlsx, ledger.Config{Lang: lang, Catalog: o.catalog, Tree: tree, Scope: unit, Period: p, Messages: o.msgs, Location: o.loc,
		Title: ledName})
	if err != nil {
		return Report{}, fmt.Errorf("start ledger: %w", err)
	}
	count := 0
	// The compiler and the ledger check the scope again on every record:
	// a query that came back too wide must not put another unit's figures
	// in this report.
	err = o.store.EachActivity(ctx, fieldlog.ReportFilter(tree, unit, p), func(a fieldlog.Activity) error {
		count++
		text.Add(a)
		if doc != text {
			doc.Add(a)
		}
		return led.Add(a)
	})
	if err != nil {
		_ = led.Discard()
		return Report{}, fmt.Errorf("read records for the report: %w", err)
	}
	if err := led.Close(); err != nil {
		return Report{}, fmt.Errorf("write ledger: %w", err)
	}
	var word bytes.Buffer
	if err := docx.Write(&word, doc.Document()); err != nil {
		return Report{}, fmt.Errorf("write report document: %w", err)
	}
	docName := o.msgs.Textf(DocLang, "file_report", "Unit", tree.Name(unit, DocLang), "Period", o.msgs.Period(DocLang, p))
	o.observe.ReportCompiled()
	o.log.Info("report compiled", "user", u.ID, "unit", unit, "period", p.String(), "records", count)
	return Report{Unit: unit, Period: p, Lang: lang, Document: text.Document(), Records: count,
		Word: word.Bytes(), Ledger: xlsx.Bytes(), WordName: fileName(docName, ".docx"), LedgerName: fileName(ledName, ".xlsx")}, nil
}

// paragraphTexts are the paragraphs' texts.
func paragraphTexts(ps []fieldlog.Paragraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

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
