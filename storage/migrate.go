package storage

import (
	"context"
	"fmt"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// SchemaVersion is the shape of the documents this code reads and writes,
// recorded in an export's manifest. Raise it when migrate learns a step:
// older shapes are brought up to date at Open, but an export made by newer
// code may hold shapes this code does not know, and Import refuses it.
const SchemaVersion = 1

// migrate brings documents written by earlier versions to today's shape.
// It runs at every Open and changes nothing once they are.
func (s *Store) migrate(ctx context.Context) error {
	// The inbox used to keep handled updates, marked, for two days; now it
	// holds only waiting ones, so marked ones would be handled again.
	if _, err := s.inbox.DeleteMany(ctx, bson.D{{Key: "handled", Value: true}}); err != nil {
		return fmt.Errorf("migrate inbox: %w", err)
	}
	for _, c := range []*mongo.Collection{s.users, s.conversations} {
		if err := s.migrateNumericIDs(ctx, c); err != nil {
			return err
		}
	}
	return s.migrateNotes(ctx)
}

// migrateNumericIDs rewrites documents whose _id is a number (users and
// conversations were keyed by the Telegram id as an int64) with the id as a
// string, which the embedded server can look up without a scan.
func (s *Store) migrateNumericIDs(ctx context.Context, c *mongo.Collection) error {
	cur, err := c.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("migrate %s: %w", c.Name(), err)
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("migrate %s: %w", c.Name(), err)
	}
	n := 0
	for _, raw := range docs {
		id := raw.Lookup("_id")
		num, ok := id.AsInt64OK()
		if !ok {
			continue
		}
		var d bson.D
		if err := bson.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("migrate %s %v: %w", c.Name(), id, err)
		}
		for i := range d {
			if d[i].Key == "_id" {
				d[i].Value = idString(num)
			}
		}
		// Insert first: a stop in between leaves both, and the next Open
		// finds the string one there and only deletes the old.
		if _, err := c.InsertOne(ctx, d); err != nil && !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("migrate %s %d: %w", c.Name(), num, err)
		}
		if _, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
			return fmt.Errorf("migrate %s %d: %w", c.Name(), num, err)
		}
		n++
	}
	if n > 0 {
		s.log.Info("documents keyed by a string id", "collection", c.Name(), "count", n)
	}
	return nil
}

// migrateNotes gives ids to notes paragraphs stored as plain strings.
func (s *Store) migrateNotes(ctx context.Context) error {
	cur, err := s.notes.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("migrate notes: %w", err)
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("migrate notes: %w", err)
	}
	for _, raw := range docs {
		var d struct {
			ID        string        `bson:"_id"`
			UnitID    string        `bson:"unit_id"`
			Year      int           `bson:"year"`
			Half      int           `bson:"half"`
			Problems  bson.RawValue `bson:"problems"`
			Plans     bson.RawValue `bson:"plans"`
			UpdatedBy int64         `bson:"updated_by"`
		}
		if err := bson.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("migrate notes: read %v: %w", raw.Lookup("_id"), err)
		}
		problems, oldP := legacyParagraphs(d.Problems, "p", d.UpdatedBy)
		plans, oldL := legacyParagraphs(d.Plans, "l", d.UpdatedBy)
		if !oldP && !oldL {
			continue
		}
		nd := notesDoc{ID: d.ID, UnitID: d.UnitID, Year: d.Year, Half: d.Half, Problems: problems, Plans: plans}
		if _, err := s.notes.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, nd); err != nil {
			return fmt.Errorf("migrate notes %s: %w", d.ID, err)
		}
		s.log.Info("notes given paragraph ids", "notes", d.ID)
	}
	return nil
}

// legacyParagraphs reads a part of the notes, reporting whether any
// paragraph was a plain string; those get ids from their position.
func legacyParagraphs(v bson.RawValue, prefix string, by int64) ([]paragraphDoc, bool) {
	out := []paragraphDoc{}
	legacy := false
	arr, ok := v.ArrayOK()
	if !ok {
		return out, false
	}
	vals, _ := arr.Values()
	for i, v := range vals {
		if str, ok := v.StringValueOK(); ok {
			legacy = true
			out = append(out, paragraphDoc{ID: "m" + prefix + strconv.Itoa(i+1), Text: str, By: by})
			continue
		}
		var pd paragraphDoc
		if err := v.Unmarshal(&pd); err == nil {
			out = append(out, pd)
		}
	}
	return out, legacy
}
