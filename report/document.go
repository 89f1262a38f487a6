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
}

// Notes are what a coordinator wrote for a period: the paragraphs of
// 存在的问题 (problems) and 下一步计划 (plans), which cannot be counted.
type Notes struct {
	Problems []string
	Plans    []string
}
