// Package report compiles the half-year work report (工作总结) from activity
// records: a pure compiler builds a Document, which separate renderers turn
// into chat messages, a Word file and an Excel ledger.
package report

import "fieldlog"

// Kind is the role of a paragraph in an official document; renderers map it
// to the layout GB/T 9704-2012 prescribes.
type Kind int

// The paragraph kinds, in the order they usually appear.
const (
	Title    Kind = iota // 2号小标宋, centred
	Body                 // 3号仿宋, first line indented two characters
	Heading1             // 一、 3号黑体
	Heading2             // （一） 3号楷体
	Heading3             // 1. 3号仿宋 bold
)

// Paragraph is one paragraph of the report; Text carries its own numbering
// ("一、", "（一）") so every renderer shows the same words.
type Paragraph struct {
	Kind Kind
	Text string
}

// Document is a compiled report, ready to render.
type Document struct {
	Lang       fieldlog.Lang
	Period     fieldlog.Period
	UnitName   string
	Paragraphs []Paragraph
	// Issuer and Date are the 落款 under the body (GB/T 9704 §7.3.5): the
	// issuing unit and the 成文日期, the day the report was compiled,
	// written out ("2025年6月30日"). Either may be empty. The issuer is
	// the report's unit named as the tree names it (嘎鲁图镇): whether a
	// unit's report goes out under its Party committee (中共嘎鲁图镇委员会),
	// its government or its office is the unit's choice, which the units
	// file does not record, so the clerk renames it in Word where needed.
	Issuer string
	Date   string
}

// Notes are what a coordinator wrote for a period: the paragraphs of
// 存在的问题 (problems) and 下一步计划 (plans), which cannot be counted.
type Notes struct {
	Problems []string
	Plans    []string
}
