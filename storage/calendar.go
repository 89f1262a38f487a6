package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// calendarDoc is one event of the calendar: a deadline set, or a
// reopening granted. Events are only ever inserted, so the calendar is
// also its own history: who set which deadline, who reopened what, when.
type calendarDoc struct {
	ID     string    `bson:"_id"`
	Kind   string    `bson:"kind"` // "deadline" or "reopen"
	UnitID string    `bson:"unit_id"`
	Year   int       `bson:"year"`
	Half   int       `bson:"half"`
	Due    string    `bson:"due,omitempty"`   // a deadline's day, YYYY-MM-DD
	Until  time.Time `bson:"until,omitempty"` // a reopening's end
	By     int64     `bson:"by"`
	At     time.Time `bson:"at"`
}

const (
	eventDeadline = "deadline"
	eventReopen   = "reopen"
)

func eventID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// SetDeadline records d; the deadline set last counts.
func (s *Store) SetDeadline(ctx context.Context, d fieldlog.Deadline) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	doc := calendarDoc{ID: eventID(), Kind: eventDeadline, UnitID: string(d.Unit), Year: d.Period.Year, Half: d.Period.Half,
		Due: d.Due.String(), By: d.SetBy, At: msTime(d.SetAt)}
	if _, err := s.calendar.InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("set deadline of %s %s: %w", d.Unit, d.Period, err)
	}
	return nil
}

// Reopen records r; the reopening granted last counts.
func (s *Store) Reopen(ctx context.Context, r fieldlog.Reopening) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	doc := calendarDoc{ID: eventID(), Kind: eventReopen, UnitID: string(r.Unit), Year: r.Period.Year, Half: r.Period.Half,
		Until: msTime(r.Until), By: r.By, At: msTime(r.At)}
	if _, err := s.calendar.InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("reopen %s %s: %w", r.Unit, r.Period, err)
	}
	return nil
}

// Schedule reads the events of p, oldest first, and keeps the latest
// deadline of each unit.
func (s *Store) Schedule(ctx context.Context, p fieldlog.Period) (fieldlog.Schedule, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	docs, err := findAll(ctx, s.calendar, bson.D{{Key: "year", Value: p.Year}, {Key: "half", Value: p.Half}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}),
		func(d calendarDoc) (calendarDoc, error) { return d, nil })
	if err != nil {
		return fieldlog.Schedule{}, fmt.Errorf("read the calendar of %s: %w", p, err)
	}
	var ds []fieldlog.Deadline
	var rs []fieldlog.Reopening
	for _, d := range docs {
		switch d.Kind {
		case eventDeadline:
			due, err := fieldlog.ParseISODate(d.Due)
			if err != nil {
				return fieldlog.Schedule{}, fmt.Errorf("deadline event %s: %w", d.ID, err)
			}
			ds = append(ds, fieldlog.Deadline{Unit: fieldlog.UnitID(d.UnitID), Period: p, Due: due, SetBy: d.By, SetAt: d.At})
		case eventReopen:
			rs = append(rs, fieldlog.Reopening{Unit: fieldlog.UnitID(d.UnitID), Period: p, Until: d.Until, By: d.By, At: d.At})
		}
	}
	// Events come oldest first: NewSchedule keeps the last deadline it is
	// given for a unit, and the latest reopening.
	return fieldlog.NewSchedule(p, ds, rs), nil
}
