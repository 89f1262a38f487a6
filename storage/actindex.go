package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// actIndex is what listing and counting records need of every record that
// is not deleted (id, unit, reporter, date, logging time), in memory, for
// the embedded server only. That server reads and decodes every document of
// the collection for a sorted find or a countDocuments (it uses no index to
// select, STACK-NOTES.md): with 50,000 records a page of "my records" took
// over 10 s. As for the memo, this process is the server's only client, so
// the index can be kept current by the store's own writes: ListActivities
// selects and sorts a page here and fetches only its documents by _id,
// which the server looks up by index; CountActivities counts here. A real
// MongoDB uses its own indexes and gets none of this.
//
// mu is held exclusively by a write across the store's write and the
// update here, and shared by a list across the selection here and the
// fetch of the page's documents: the index never holds an older value than
// the store, and a page's documents are what the index said. A write that
// fails after the store may have taken it drops the whole index, which is
// loaded again (one projected scan) by the next list or count.
type actIndex struct {
	mu     sync.RWMutex
	loaded bool
	ents   []actEntry
	pos    map[string]int32 // id → position in ents
	units  map[string]int32 // unit id → code, interned
}

// actEntry is one record that is not deleted. date is YYYYMMDD (0 when
// unset), which orders as the stored "YYYY-MM-DD" string does; logged is
// the logging time in Unix milliseconds, the precision stored.
type actEntry struct {
	id       string
	reporter int64
	logged   int64
	date     int32
	unit     int32
}

// actIndexDoc is the projection the index is loaded from: no photos,
// titles or threads are decoded.
type actIndexDoc struct {
	ID         string    `bson:"_id"`
	UnitID     string    `bson:"unit_id"`
	ReporterID int64     `bson:"reporter_id"`
	Date       string    `bson:"date"`
	LoggedAt   time.Time `bson:"logged_at"`
	Deleted    *bool     `bson:"deleted"` // nil: no field, which {deleted: false} does not match
}

func newActIndex() *actIndex { return &actIndex{} }

// indexLoadTimeout bounds loading the index, which a request's own
// deadline (DefaultOpTimeout) would cut short at 50,000 records on the
// slow path.
const indexLoadTimeout = 2 * time.Minute

func dateKey(d fieldlog.Date) int32 {
	if d.IsZero() {
		return 0
	}
	return int32(d.Year*10000 + int(d.Month)*100 + d.Day)
}

// loggedKey is t as stored: Unix milliseconds, 0 for the zero time (left
// out of the document, which sorts it below every time).
func loggedKey(t time.Time) int64 {
	if t.IsZero() {
		return minLogged
	}
	return t.UnixMilli()
}

// minLogged is below every stored logging time, as a missing field sorts.
const minLogged = -1 << 63

// drop forgets the index; the next list or count loads it again. Callers
// hold mu.
func (x *actIndex) drop() {
	x.loaded, x.ents, x.pos, x.units = false, nil, nil, nil
}

// forget drops the index, after the collection was written behind its back
// (Import).
func (x *actIndex) forget() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.drop()
}

func (x *actIndex) unitCode(u string) int32 {
	c, ok := x.units[u]
	if !ok {
		c = int32(len(x.units))
		x.units[u] = c
	}
	return c
}

// put adds or replaces a record. Callers hold mu exclusively.
func (x *actIndex) put(id, unit string, reporter int64, date fieldlog.Date, logged time.Time) {
	if !x.loaded {
		return
	}
	e := actEntry{id: id, reporter: reporter, logged: loggedKey(logged), date: dateKey(date), unit: x.unitCode(unit)}
	if i, ok := x.pos[id]; ok {
		x.ents[i] = e
		return
	}
	x.pos[id] = int32(len(x.ents))
	x.ents = append(x.ents, e)
}

// setDate changes the date of a record, the one indexed field an edit
// changes. Callers hold mu exclusively.
func (x *actIndex) setDate(id string, date fieldlog.Date) {
	if !x.loaded {
		return
	}
	if i, ok := x.pos[id]; ok {
		x.ents[i].date = dateKey(date)
		return
	}
	x.drop() // an edited record the index does not know: it is wrong
}

// remove takes a deleted record out. Callers hold mu exclusively.
func (x *actIndex) remove(id string) {
	if !x.loaded {
		return
	}
	i, ok := x.pos[id]
	if !ok {
		return
	}
	last := int32(len(x.ents) - 1)
	if i != last {
		x.ents[i] = x.ents[last]
		x.pos[x.ents[i].id] = i
	}
	x.ents = x.ents[:last]
	delete(x.pos, id)
}

// load reads the index from the store: from the embedded server's SQLite
// table directly (a fraction of a second for 50,000 records), or, if that
// fails, through the server with a projection (9–17 s for 50,000).
// Callers hold mu exclusively.
func (x *actIndex) load(ctx context.Context, s *Store) error {
	x.reset()
	// Loaded once for every caller: not cut short by the deadline of the
	// request that happened to need it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), indexLoadTimeout)
	defer cancel()
	skipped := 0
	err := s.embedded.scanActivities(ctx, s.db.Name(), func(r activityRow) error {
		// As {deleted: false} does, a document without the field is none
		// of the records; one that cannot be read is left out, not the
		// whole index (the server's query would fail on it too).
		if !r.id.Valid || !r.deleted.Valid || r.deleted.Bool {
			return nil
		}
		date, err := parseDate(r.date.String)
		if err != nil {
			skipped++
			return nil
		}
		var logged time.Time
		if r.logged.Valid {
			logged = time.UnixMilli(r.logged.Int64)
		}
		x.put(r.id.String, r.unit.String, r.reporter.Int64, date, logged)
		return nil
	})
	if skipped > 0 {
		s.log.Warn("activities left out of the index: unreadable date", "count", skipped)
	}
	if err == nil {
		return nil
	}
	s.log.Warn("read the index of activities through the server", "err", err)
	x.reset()
	opts := options.Find().SetBatchSize(5000).SetProjection(bson.D{
		{Key: "_id", Value: 1}, {Key: "unit_id", Value: 1}, {Key: "reporter_id", Value: 1},
		{Key: "date", Value: 1}, {Key: "logged_at", Value: 1}, {Key: "deleted", Value: 1},
	})
	err = eachDoc(ctx, s.activities, bson.D{}, opts, func(d actIndexDoc) error {
		if d.Deleted == nil || *d.Deleted {
			return nil
		}
		date, err := parseDate(d.Date)
		if err != nil {
			return nil // as above
		}
		x.put(d.ID, d.UnitID, d.ReporterID, date, d.LoggedAt)
		return nil
	})
	if err != nil {
		x.drop()
		return fmt.Errorf("load the index of activities: %w", err)
	}
	return nil
}

// reset makes the index empty and loaded. Callers hold mu exclusively.
func (x *actIndex) reset() {
	x.ents, x.pos, x.units = nil, map[string]int32{}, map[string]int32{}
	x.loaded = true
}

// rlock takes mu shared with the index loaded, loading it first if need
// be. On success the caller holds mu shared.
func (x *actIndex) rlock(ctx context.Context, s *Store) error {
	for {
		x.mu.RLock()
		if x.loaded {
			return nil
		}
		x.mu.RUnlock()
		x.mu.Lock()
		var err error
		if !x.loaded {
			err = x.load(ctx, s)
		}
		x.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

// matcher is f over index entries. Callers hold mu.
func (x *actIndex) matcher(f fieldlog.ActivityFilter) func(*actEntry) bool {
	var units []bool // by unit code; nil with AllUnits
	if !f.AllUnits {
		units = make([]bool, len(x.units))
		for _, u := range f.Units {
			if c, ok := x.units[string(u)]; ok {
				units[c] = true
			}
		}
	}
	from, to := dateKey(f.From), dateKey(f.To)
	return func(e *actEntry) bool {
		switch {
		case f.ReporterID != 0 && e.reporter != f.ReporterID:
			return false
		case units != nil && !units[e.unit]:
			return false
		case from != 0 && e.date < from:
			return false
		case to != 0 && e.date > to:
			return false
		}
		return true
	}
}

func (x *actIndex) count(f fieldlog.ActivityFilter) int {
	match := x.matcher(f)
	n := 0
	for i := range x.ents {
		if match(&x.ents[i]) {
			n++
		}
	}
	return n
}

// newestFirst is the order of ListActivities: date, logging time, id,
// each descending.
func newestFirst(a, b *actEntry) int {
	return cmp.Or(cmp.Compare(b.date, a.date), cmp.Compare(b.logged, a.logged), strings.Compare(b.id, a.id))
}

// page returns the ids of the page of f's matches, in order.
func (x *actIndex) page(f fieldlog.ActivityFilter, skip, limit int) []string {
	match := x.matcher(f)
	var hits []*actEntry
	for i := range x.ents {
		if match(&x.ents[i]) {
			hits = append(hits, &x.ents[i])
		}
	}
	skip = min(max(skip, 0), len(hits))
	end := len(hits)
	if limit > 0 {
		end = min(end, skip+limit)
	}
	if end < len(hits)/8 {
		// A first page of many: keep the end best in a bounded heap
		// instead of sorting them all.
		hits = smallest(hits, end)
	} else {
		slices.SortFunc(hits, newestFirst)
	}
	out := make([]string, 0, end-skip)
	for _, e := range hits[skip:end] {
		out = append(out, e.id)
	}
	return out
}

// smallest returns the k first of hits in newestFirst order, sorted.
func smallest(hits []*actEntry, k int) []*actEntry {
	if k == 0 {
		return nil
	}
	// h is a max-heap (by newestFirst) of the k best seen so far.
	h := make([]*actEntry, 0, k)
	less := func(i, j int) bool { return newestFirst(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && less(r, l) {
				m = r
			}
			if !less(m, i) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, e := range hits {
		if len(h) < k {
			h = append(h, e)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(i, p) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if newestFirst(e, h[0]) < 0 {
			h[0] = e
			down(0)
		}
	}
	slices.SortFunc(h, newestFirst)
	return h
}
