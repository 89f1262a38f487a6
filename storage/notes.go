package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fieldlog"
)

// notesDoc is one unit's notes for one half-year; its _id is
// "<unit>|<year>-H<half>", so each pair has one document without a
// compound unique index. Paragraphs are added and removed one at a time
// with single-document updates, never by replacing the document, so two
// coordinators writing at once both keep what they wrote.
type notesDoc struct {
	ID       string         `bson:"_id"`
	UnitID   string         `bson:"unit_id"`
	Year     int            `bson:"year"`
	Half     int            `bson:"half"`
	Problems []paragraphDoc `bson:"problems"`
	Plans    []paragraphDoc `bson:"plans"`
}

// paragraphDoc is one paragraph. Its fields are always written in this
// order and in full, because deleting it matches the whole element (see
// DeleteParagraph).
type paragraphDoc struct {
	ID   string    `bson:"id"`
	Text string    `bson:"text"`
	By   int64     `bson:"by"`
	At   time.Time `bson:"at"`
}

func toParagraphDoc(p fieldlog.Paragraph) paragraphDoc {
	return paragraphDoc{ID: p.ID, Text: p.Text, By: p.By, At: msTime(p.At)}
}

func (d paragraphDoc) paragraph() fieldlog.Paragraph {
	return fieldlog.Paragraph{ID: d.ID, Text: d.Text, By: d.By, At: d.At}
}

func paragraphs(ds []paragraphDoc) []fieldlog.Paragraph {
	var out []fieldlog.Paragraph
	for _, d := range ds {
		out = append(out, d.paragraph())
	}
	return out
}

func notesID(unit fieldlog.UnitID, p fieldlog.Period) string { return string(unit) + "|" + p.String() }

// partField is the document field of a part of the notes.
func partField(part fieldlog.NotePart) (string, error) {
	if !part.Valid() {
		return "", fmt.Errorf("unknown part of the notes %q", part)
	}
	return string(part), nil
}

// Notes returns the notes of unit for p; no notes give empty parts.
func (s *Store) Notes(ctx context.Context, unit fieldlog.UnitID, p fieldlog.Period) (fieldlog.Notes, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	n := fieldlog.Notes{UnitID: unit, Period: p}
	var d notesDoc
	err := s.notes.FindOne(ctx, bson.D{{Key: "_id", Value: notesID(unit, p)}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return n, nil
	}
	if err != nil {
		return n, fmt.Errorf("find notes of %s %s: %w", unit, p, err)
	}
	n.Problems, n.Plans = paragraphs(d.Problems), paragraphs(d.Plans)
	return n, nil
}

// AddParagraph appends para to part of the notes of unit for p, once.
//
// The push is one update whose filter requires the paragraph to be absent,
// so a retried add changes nothing. When the notes do not exist yet they
// are inserted; an insert that finds them created meanwhile (by another
// coordinator) falls back to the push. Uniqueness is decided by the insert,
// whose duplicate-key error both servers report alike.
func (s *Store) AddParagraph(ctx context.Context, unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, para fieldlog.Paragraph) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	field, err := partField(part)
	if err != nil {
		return err
	}
	id := notesID(unit, p)
	pd := toParagraphDoc(para)
	for try := 0; try < 2; try++ {
		// "None of the paragraphs has this id" is written with $nor: the
		// embedded server matches {field.id: {$ne: id}} (and $elemMatch)
		// wrongly on arrays of documents, measured; $nor of the equality is
		// right on both servers.
		res, err := s.notes.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "$nor", Value: bson.A{bson.D{{Key: field + ".id", Value: para.ID}}}}},
			bson.D{{Key: "$push", Value: bson.D{{Key: field, Value: pd}}}})
		if err != nil {
			return fmt.Errorf("add to notes %s: %w", id, err)
		}
		if res.MatchedCount > 0 {
			return nil
		}
		d := notesDoc{ID: id, UnitID: string(unit), Year: p.Year, Half: p.Half, Problems: []paragraphDoc{}, Plans: []paragraphDoc{}}
		if part == fieldlog.Plans {
			d.Plans = []paragraphDoc{pd}
		} else {
			d.Problems = []paragraphDoc{pd}
		}
		_, err = s.notes.InsertOne(ctx, d)
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("add to notes %s: %w", id, err)
		}
		// The notes exist: either they hold the paragraph already, or they
		// were created since the push; a second push tells which.
		n, err := s.Notes(ctx, unit, p)
		if err != nil {
			return err
		}
		for _, q := range n.Part(part) {
			if q.ID == para.ID {
				return nil
			}
		}
	}
	return fmt.Errorf("add to notes %s: the notes changed twice while adding", id)
}

// DeleteParagraph removes the paragraph with id from part;
// fieldlog.ErrNotFound if it is not there.
//
// The embedded server's $pull removes only elements equal to the value
// given (MongoDB would also take a condition such as {id: …}), so the
// paragraph is read first and pulled whole: on both servers that removes
// exactly it, in one atomic update, whatever else changed meanwhile.
func (s *Store) DeleteParagraph(ctx context.Context, unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, pid string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	field, err := partField(part)
	if err != nil {
		return err
	}
	n, err := s.Notes(ctx, unit, p)
	if err != nil {
		return err
	}
	var para *fieldlog.Paragraph
	for _, q := range n.Part(part) {
		if q.ID == pid {
			para = &q
			break
		}
	}
	id := notesID(unit, p)
	if para == nil {
		return fmt.Errorf("delete paragraph %s of notes %s: %w", pid, id, fieldlog.ErrNotFound)
	}
	res, err := s.notes.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$pull", Value: bson.D{{Key: field, Value: toParagraphDoc(*para)}}}})
	if err != nil {
		return fmt.Errorf("delete paragraph %s of notes %s: %w", pid, id, err)
	}
	if res.ModifiedCount == 0 {
		return fmt.Errorf("delete paragraph %s of notes %s: %w", pid, id, fieldlog.ErrNotFound)
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
