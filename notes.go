package fieldlog

import (
	"context"
	"time"
)

// Notes are what a coordinator writes for a unit's half-year report: the
// paragraphs of 存在的问题 (problems) and 下一步计划 (plans), which records
// cannot count.
type Notes struct {
	UnitID    UnitID
	Period    Period
	Problems  []string
	Plans     []string
	UpdatedBy int64
	UpdatedAt time.Time
}

// Notebook stores coordinators' notes, one set per unit and period.
type Notebook interface {
	// Notes returns the notes of unit for period, or ErrNotFound.
	Notes(ctx context.Context, unit UnitID, p Period) (Notes, error)
	// SaveNotes creates or replaces the notes of n.UnitID for n.Period.
	SaveNotes(ctx context.Context, n Notes) error
}
