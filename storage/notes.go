package storage

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// notesDoc is one unit's notes for one half-year; its _id is
// "<unit>|<year>-H<half>", so each pair has one document without a
// compound unique index.
type notesDoc struct {
	ID        string    `bson:"_id"`
	UnitID    string    `bson:"unit_id"`
	Year      int       `bson:"year"`
	Half      int       `bson:"half"`
	Problems  []string  `bson:"problems"`
	Plans     []string  `bson:"plans"`
	UpdatedBy int64     `bson:"updated_by"`
	UpdatedAt time.Time `bson:"updated_at"`
}

func notesID(unit fieldlog.UnitID, p fieldlog.Period) string { return string(unit) + "|" + p.String() }

// Notes returns the notes of unit for period, or fieldlog.ErrNotFound.
func (s *Store) Notes(ctx context.Context, unit fieldlog.UnitID, p fieldlog.Period) (fieldlog.Notes, error) {
	var d notesDoc
	if err := s.notes.FindOne(ctx, bson.D{{Key: "_id", Value: notesID(unit, p)}}).Decode(&d); err != nil {
		return fieldlog.Notes{}, fmt.Errorf("find notes of %s %s: %w", unit, p, notFound(err))
	}
	return fieldlog.Notes{
		UnitID: fieldlog.UnitID(d.UnitID), Period: fieldlog.Period{Year: d.Year, Half: d.Half},
		Problems: d.Problems, Plans: d.Plans, UpdatedBy: d.UpdatedBy, UpdatedAt: d.UpdatedAt,
	}, nil
}

// SaveNotes creates or replaces the notes of n.UnitID for n.Period.
func (s *Store) SaveNotes(ctx context.Context, n fieldlog.Notes) error {
	d := notesDoc{
		ID: notesID(n.UnitID, n.Period), UnitID: string(n.UnitID), Year: n.Period.Year, Half: n.Period.Half,
		Problems: nonNil(n.Problems), Plans: nonNil(n.Plans), UpdatedBy: n.UpdatedBy, UpdatedAt: n.UpdatedAt.UTC().Truncate(time.Millisecond),
	}
	if _, err := s.notes.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("save notes of %s %s: %w", n.UnitID, n.Period, err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
