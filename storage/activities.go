package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// eachBatchSize is how many records EachActivity fetches per round trip:
// large enough to stream a half-year quickly, small enough that memory
// stays constant whatever the number of records.
const eachBatchSize = 500

// InsertActivity stores a new record; fieldlog.ErrDuplicate if a record with
// its ID exists (deleted or not). The insert is acknowledged by the server
// before it returns (the driver's default write concern).
func (s *Store) InsertActivity(ctx context.Context, a fieldlog.Activity) error {
	if s.acts != nil {
		s.acts.mu.Lock()
		defer s.acts.mu.Unlock()
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := toActivityDoc(a)
	if _, err := s.activities.InsertOne(ctx, d); err != nil {
		err = duplicate(err)
		if s.acts != nil && !errors.Is(err, fieldlog.ErrDuplicate) {
			s.acts.drop() // the store may have taken it
		}
		return fmt.Errorf("insert activity %s: %w", a.ID, err)
	}
	if s.acts != nil && !d.Deleted {
		s.acts.put(d.ID, d.UnitID, d.ReporterID, a.Date, d.LoggedAt)
	}
	return nil
}

// Activity returns a record that is not deleted, or fieldlog.ErrNotFound.
func (s *Store) Activity(ctx context.Context, id fieldlog.ActivityID) (fieldlog.Activity, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	// By _id alone, which the embedded server looks up by index; a filter
	// on deleted as well would read every record there.
	var d activityDoc
	err := s.activities.FindOne(ctx, bson.D{{Key: "_id", Value: string(id)}}).Decode(&d)
	if err == nil && d.Deleted {
		err = mongo.ErrNoDocuments
	}
	if err != nil {
		return fieldlog.Activity{}, fmt.Errorf("find activity %s: %w", id, notFound(err))
	}
	a, err := d.activity()
	if err != nil {
		return fieldlog.Activity{}, fmt.Errorf("decode activity %s: %w", id, err)
	}
	return a, nil
}

// UpdateActivity replaces the editable fields of a record that is not
// deleted (section, type, date, participants, quantity, title, place,
// photos and, when set, updated_at); fieldlog.ErrNotFound otherwise. The
// unit, reporter and logging time never change.
//
// Like Activity it finds the record by _id alone: the check that it is not
// deleted is made first, and only its reporter, one turn at a time,
// changes it.
func (s *Store) UpdateActivity(ctx context.Context, a fieldlog.Activity) error {
	if s.acts != nil {
		s.acts.mu.Lock()
		defer s.acts.mu.Unlock()
	}
	if _, err := s.Activity(ctx, a.ID); err != nil {
		return fmt.Errorf("update activity %s: %w", a.ID, err)
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := toActivityDoc(a)
	set := bson.D{
		{Key: "section_id", Value: d.SectionID},
		{Key: "type_id", Value: d.TypeID},
		{Key: "date", Value: d.Date},
		{Key: "participants", Value: d.Participants},
		{Key: "quantity", Value: d.Quantity},
		{Key: "title", Value: d.Title},
		{Key: "place", Value: d.Place},
		{Key: "photos", Value: d.Photos},
	}
	if !d.UpdatedAt.IsZero() {
		set = append(set, bson.E{Key: "updated_at", Value: d.UpdatedAt})
	}
	res, err := s.activities.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		if s.acts != nil {
			s.acts.drop() // the store may have taken it
		}
		return fmt.Errorf("update activity %s: %w", a.ID, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update activity %s: %w", a.ID, fieldlog.ErrNotFound)
	}
	if s.acts != nil {
		s.acts.setDate(d.ID, a.Date)
	}
	return nil
}

// DeleteActivity marks a record deleted at at; fieldlog.ErrNotFound if there
// is no such record or it is already deleted. The document is kept, so that
// a deleted record can be audited and its ID is never reused.
func (s *Store) DeleteActivity(ctx context.Context, id fieldlog.ActivityID, at time.Time) error {
	if s.acts != nil {
		s.acts.mu.Lock()
		defer s.acts.mu.Unlock()
	}
	if _, err := s.Activity(ctx, id); err != nil {
		return fmt.Errorf("delete activity %s: %w", id, err)
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	res, err := s.activities.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: string(id)}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "deleted", Value: true},
			{Key: "deleted_at", Value: msTime(at)},
		}}})
	if err != nil {
		if s.acts != nil {
			s.acts.drop() // the store may have taken it
		}
		return fmt.Errorf("delete activity %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("delete activity %s: %w", id, fieldlog.ErrNotFound)
	}
	if s.acts != nil {
		s.acts.remove(string(id))
	}
	return nil
}

// activityFilter is the query for f; deleted records never match. An empty
// unit list matches nothing ($in of an empty array, on both servers), but
// callers do not even ask then: see fieldlog.ActivityFilter.MatchesNothing.
func activityFilter(f fieldlog.ActivityFilter) bson.D {
	q := bson.D{{Key: "deleted", Value: false}}
	if f.ReporterID != 0 {
		q = append(q, bson.E{Key: "reporter_id", Value: f.ReporterID})
	}
	if !f.AllUnits {
		ids := make([]string, len(f.Units))
		for i, u := range f.Units {
			ids[i] = string(u)
		}
		q = append(q, bson.E{Key: "unit_id", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	// Dates are "YYYY-MM-DD" strings, which compare in date order.
	var date bson.D
	if !f.From.IsZero() {
		date = append(date, bson.E{Key: "$gte", Value: f.From.String()})
	}
	if !f.To.IsZero() {
		date = append(date, bson.E{Key: "$lte", Value: f.To.String()})
	}
	if date != nil {
		q = append(q, bson.E{Key: "date", Value: date})
	}
	return q
}

// ListActivities returns matching records newest first (by date, then by
// logging time, then by id so that paging is stable), skipping skip and
// returning at most limit; limit <= 0 means no limit.
func (s *Store) ListActivities(ctx context.Context, f fieldlog.ActivityFilter, skip, limit int) ([]fieldlog.Activity, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if f.MatchesNothing() {
		return nil, nil
	}
	opts := options.Find().SetSort(bson.D{
		{Key: "date", Value: -1}, {Key: "logged_at", Value: -1}, {Key: "_id", Value: -1},
	})
	if skip > 0 {
		opts.SetSkip(int64(skip))
	}
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	if s.acts != nil {
		out, ok, lost, err := s.listIndexed(ctx, f, skip, limit)
		if lost {
			s.acts.forget()
		}
		if err != nil {
			return nil, fmt.Errorf("list activities: %w", err)
		}
		if ok {
			return out, nil
		}
	}
	out, err := findAll(ctx, s.activities, activityFilter(f), opts, activityDoc.activity)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	return out, nil
}

// CountActivities counts matching records.
//
// countDocuments is an aggregation under the hood ($match, then $group with
// a single $sum): that is the one shape the embedded server computes
// correctly, and it was measured to do so.
func (s *Store) CountActivities(ctx context.Context, f fieldlog.ActivityFilter) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if f.MatchesNothing() {
		return 0, nil
	}
	if s.acts != nil {
		if err := s.acts.rlock(ctx, s); err != nil {
			return 0, fmt.Errorf("count activities: %w", err)
		}
		defer s.acts.mu.RUnlock()
		return s.acts.count(f), nil
	}
	n, err := s.activities.CountDocuments(ctx, activityFilter(f))
	if err != nil {
		return 0, fmt.Errorf("count activities: %w", err)
	}
	return int(n), nil
}

// EachActivity calls fn with every record matching f, in no particular
// order, without photos (Photos is nil). It reads through a cursor in
// batches, so memory stays constant however many records match; this is
// how figures are computed, in Go, instead of with aggregation pipelines,
// which the embedded server gets silently wrong. An error from fn stops the
// iteration and is returned as it is.
//
// It does not sort: the embedded server sorts by holding every matching
// document in memory (345 MB of heap for 50,000 records against 65 MB
// unsorted, see BENCHMARKS.md), and a real MongoDB would sort in memory
// too unless an index matched the sort.
func (s *Store) EachActivity(ctx context.Context, f fieldlog.ActivityFilter, fn func(fieldlog.Activity) error) error {
	if f.MatchesNothing() {
		return nil
	}
	opts := options.Find().
		SetProjection(bson.D{{Key: "photos", Value: 0}}).
		SetBatchSize(eachBatchSize)
	return eachDoc(ctx, s.activities, activityFilter(f), opts, func(d activityDoc) error {
		a, err := d.activity()
		if err != nil {
			return fmt.Errorf("read activities: %w", err)
		}
		return fn(a)
	})
}

// ReviewActivity sets the review state of a record that is not deleted
// and appends note to its thread, in one update, after checking the record
// is there and, unless seen is fieldlog.AnyThread, that its thread holds
// seen notes.
//
// The check and the write must be one step, or two answers read at once
// would both be added. On the embedded server this process is the only
// client: the index's lock, which every write of records holds, makes them
// one, and the update is found by _id alone (which that server looks up by
// index; any other filter reads every record). A real MongoDB may have
// other clients (another instance of the bot): there the update's filter
// repeats the check, which the server applies atomically with the write.
func (s *Store) ReviewActivity(ctx context.Context, id fieldlog.ActivityID, note fieldlog.ReviewNote, seen int) error {
	if s.acts != nil {
		s.acts.mu.Lock()
		defer s.acts.mu.Unlock()
	}
	a, err := s.Activity(ctx, id)
	if err != nil {
		return fmt.Errorf("review activity %s: %w", id, err)
	}
	if seen != fieldlog.AnyThread && len(a.Review.Thread) != seen {
		return fmt.Errorf("review activity %s: %w", id, fieldlog.ErrReviewChanged)
	}
	filter := bson.D{{Key: "_id", Value: string(id)}}
	if s.acts == nil && seen != fieldlog.AnyThread {
		filter = append(filter, threadHolds(seen))
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	res, err := s.activities.UpdateOne(ctx, filter, bson.D{
		{Key: "$set", Value: bson.D{{Key: "review_state", Value: string(note.State)}}},
		{Key: "$push", Value: bson.D{{Key: "review_thread", Value: toReviewNoteDoc(note)}}},
	})
	if err != nil {
		return fmt.Errorf("review activity %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		// Gone, or (on a real MongoDB) reviewed by another client since
		// the check.
		if _, err := s.Activity(ctx, id); err != nil {
			return fmt.Errorf("review activity %s: %w", id, err)
		}
		return fmt.Errorf("review activity %s: %w", id, fieldlog.ErrReviewChanged)
	}
	return nil
}

// threadHolds is the condition that a record's review thread holds n
// notes. A record never reviewed has no thread in its document (it is left
// out when empty), which $size does not match.
func threadHolds(n int) bson.E {
	if n == 0 {
		return bson.E{Key: "review_thread.0", Value: bson.D{{Key: "$exists", Value: false}}}
	}
	return bson.E{Key: "review_thread", Value: bson.D{{Key: "$size", Value: n}}}
}

// pageFetchMax is the largest page listIndexed fetches one record at a
// time (each an indexed lookup by _id, about 0.4 ms on the embedded
// server); a larger one is left to the server's sorted find, which reads
// the whole collection anyway.
const pageFetchMax = 2000

// listIndexed answers ListActivities on the embedded server from the index
// of activities: it selects and sorts the page there and fetches only the
// page's documents, by _id. ok is false when the server's own query must
// answer: a page too large, or a document that is not what the index said
// (lost: the caller drops the index; it cannot happen while this process
// is the server's only client).
func (s *Store) listIndexed(ctx context.Context, f fieldlog.ActivityFilter, skip, limit int) (_ []fieldlog.Activity, ok, lost bool, _ error) {
	if err := s.acts.rlock(ctx, s); err != nil {
		return nil, false, false, err
	}
	defer s.acts.mu.RUnlock()
	ids := s.acts.page(f, skip, limit)
	if len(ids) > pageFetchMax {
		return nil, false, false, nil
	}
	out := make([]fieldlog.Activity, 0, len(ids))
	for _, id := range ids {
		var d activityDoc
		if err := s.activities.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
			if errors.Is(err, mongo.ErrNoDocuments) {
				return nil, false, s.lostIndex(id), nil
			}
			return nil, false, false, fmt.Errorf("find activity %s: %w", id, err)
		}
		a, err := d.activity()
		if err != nil {
			return nil, false, false, fmt.Errorf("read activities: %w", err)
		}
		if !f.Matches(a) {
			return nil, false, s.lostIndex(id), nil
		}
		out = append(out, a)
	}
	return out, true, false, nil
}

// lostIndex logs that the index of activities disagreed with the store
// about id; it is then dropped and read again.
func (s *Store) lostIndex(id string) bool {
	s.log.Error("the index of activities disagrees with the store: it is read again", "activity", id)
	return true
}
