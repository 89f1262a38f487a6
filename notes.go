package fieldlog

import (
	"context"
	"time"
)

// Notes are what coordinators write for a unit's half-year report: the
// paragraphs of 存在的问题 (problems) and 下一步计划 (plans), which records
// cannot count.
type Notes struct {
	UnitID   UnitID
	Period   Period
	Problems []Paragraph
	Plans    []Paragraph
}

// NotePart is one of the two parts of the notes.
type NotePart string

// The parts of the notes.
const (
	Problems NotePart = "problems" // 存在的问题
	Plans    NotePart = "plans"    // 下一步计划
)

// Valid reports whether p is a part of the notes.
func (p NotePart) Valid() bool { return p == Problems || p == Plans }

// Part returns the paragraphs of part p.
func (n Notes) Part(p NotePart) []Paragraph {
	if p == Plans {
		return n.Plans
	}
	return n.Problems
}

// Paragraph is one paragraph of notes. Its ID stays with it, so that a
// button deleting it still means it after another paragraph was added or
// deleted.
type Paragraph struct {
	ID   string
	Text string
	By   int64 // the user who wrote it
	At   time.Time
}

// MaxParagraphs is how many paragraphs one part of the notes holds.
const MaxParagraphs = 20

// Notebook stores coordinators' notes, one set per unit and period. Two
// coordinators may write the notes of one unit at the same time: each
// paragraph is added and deleted on its own, atomically, so neither
// overwrites the other.
type Notebook interface {
	// Notes returns the notes of unit for p; no notes give empty parts.
	Notes(ctx context.Context, unit UnitID, p Period) (Notes, error)
	// AddParagraph appends para to part of the notes of unit for p. Adding
	// a paragraph whose ID is already there changes nothing, so a retried
	// add stores it once.
	AddParagraph(ctx context.Context, unit UnitID, p Period, part NotePart, para Paragraph) error
	// DeleteParagraph removes the paragraph with id from part; ErrNotFound
	// if it is not there.
	DeleteParagraph(ctx context.Context, unit UnitID, p Period, part NotePart, id string) error
}
