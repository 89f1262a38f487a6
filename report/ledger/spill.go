package ledger

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"fieldlog"
)

// spill holds the records between Add and Close, so that the records sheet
// can list them by unit and date although a cursor delivers them in no
// particular order. The records go to a temporary file in the compact form
// below; memory keeps only a sort key of 32 bytes per record.
type spill struct {
	f    *os.File
	w    *bufio.Writer
	size int64 // bytes written
	keys []sortKey
	buf  []byte // one encoded record, reused

	// units are the units seen, by first appearance; keys refer to them by
	// index so that Close can place units it learns the order of only then.
	units   []fieldlog.UnitID
	unitIdx map[fieldlog.UnitID]int32
}

// sortKey orders one record and says where it lies in the file.
type sortKey struct {
	logged int64 // Unix milliseconds: one day's records in the order they were logged
	off    int64
	size   int32
	unit   int32 // index into spill.units
	day    int32 // yyyymmdd
}

func newSpill(dir string) (*spill, error) {
	f, err := os.CreateTemp(dir, "fieldlog-ledger-*.bin")
	if err != nil {
		return nil, fmt.Errorf("ledger: temporary file for sorting records: %w", err)
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 64<<10), unitIdx: map[fieldlog.UnitID]int32{}}, nil
}

// add appends a to the file.
func (s *spill) add(a fieldlog.Activity) error {
	u, ok := s.unitIdx[a.UnitID]
	if !ok {
		u = int32(len(s.units))
		s.units = append(s.units, a.UnitID)
		s.unitIdx[a.UnitID] = u
	}
	s.buf = encodeRecord(s.buf[:0], a)
	if _, err := s.w.Write(s.buf); err != nil {
		return fmt.Errorf("ledger: keep record %s for sorting: %w", a.ID, err)
	}
	var logged int64
	if !a.LoggedAt.IsZero() {
		logged = a.LoggedAt.UnixMilli()
	}
	s.keys = append(s.keys, sortKey{
		logged: logged, off: s.size, size: int32(len(s.buf)),
		unit: u, day: int32(a.Date.Year*10000 + int(a.Date.Month)*100 + a.Date.Day),
	})
	s.size += int64(len(s.buf))
	return nil
}

// each calls fn for every record, ordered by the rank of its unit (rank
// maps spill.units indexes to their place), then date, then logging time,
// then the order they came in.
func (s *spill) each(rank []int, fn func(fieldlog.Activity) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("ledger: keep records for sorting: %w", err)
	}
	slices.SortFunc(s.keys, func(a, b sortKey) int {
		return cmp.Or(
			cmp.Compare(rank[a.unit], rank[b.unit]),
			cmp.Compare(a.day, b.day),
			cmp.Compare(a.logged, b.logged),
			cmp.Compare(a.off, b.off),
		)
	})
	for _, k := range s.keys {
		s.buf = slices.Grow(s.buf[:0], int(k.size))[:k.size]
		if _, err := s.f.ReadAt(s.buf, k.off); err != nil {
			return fmt.Errorf("ledger: read back sorted records: %w", err)
		}
		a, err := decodeRecord(s.buf)
		if err != nil {
			return fmt.Errorf("ledger: read back sorted records: %w", err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// close removes the file.
func (s *spill) close() error {
	err := s.f.Close()
	if rmErr := os.Remove(s.f.Name()); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		err = errors.Join(err, rmErr)
	}
	if err != nil {
		return fmt.Errorf("ledger: remove temporary file: %w", err)
	}
	return nil
}

// encodeRecord appends the fields a row shows: strings with their length
// before them, numbers as varints. Photos, review threads and deletion are
// not kept: Add has already skipped deleted records.
func encodeRecord(b []byte, a fieldlog.Activity) []byte {
	for _, s := range []string{string(a.ID), string(a.UnitID), a.SectionID, a.TypeID, a.Title, a.Place, a.ReporterName, string(a.Review.State)} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	var logged int64
	hasLogged := !a.LoggedAt.IsZero()
	if hasLogged {
		logged = a.LoggedAt.UnixNano()
	}
	for _, n := range []int64{int64(a.Date.Year), int64(a.Date.Month), int64(a.Date.Day),
		a.Participants.Value, a.Quantity.Value, a.ReporterID, logged} {
		b = binary.AppendVarint(b, n)
	}
	return append(b, flags(a.Participants.Approx, a.Quantity.Approx, hasLogged))
}

func flags(bits ...bool) byte {
	var f byte
	for i, b := range bits {
		if b {
			f |= 1 << i
		}
	}
	return f
}

// decodeRecord reads what encodeRecord wrote.
func decodeRecord(b []byte) (fieldlog.Activity, error) {
	r := recordReader{b: b}
	var a fieldlog.Activity
	a.ID = fieldlog.ActivityID(r.string())
	a.UnitID = fieldlog.UnitID(r.string())
	a.SectionID = r.string()
	a.TypeID = r.string()
	a.Title = r.string()
	a.Place = r.string()
	a.ReporterName = r.string()
	a.Review.State = fieldlog.ReviewState(r.string())
	a.Date.Year = int(r.int())
	a.Date.Month = time.Month(r.int())
	a.Date.Day = int(r.int())
	a.Participants.Value = r.int()
	a.Quantity.Value = r.int()
	a.ReporterID = r.int()
	logged := r.int()
	f := r.byte()
	a.Participants.Approx = f&1 != 0
	a.Quantity.Approx = f&2 != 0
	if f&4 != 0 {
		a.LoggedAt = time.Unix(0, logged).UTC()
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d bytes left over", len(r.b))
	}
	if r.err != nil {
		return fieldlog.Activity{}, fmt.Errorf("decode record: %w", r.err)
	}
	return a, nil
}

// recordReader reads fields off b and remembers the first error.
type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) string() string {
	n, w := binary.Uvarint(r.b)
	if w <= 0 || n > uint64(len(r.b)-w) {
		r.fail()
		return ""
	}
	s := string(r.b[w : w+int(n)])
	r.b = r.b[w+int(n):]
	return s
}

func (r *recordReader) int() int64 {
	n, w := binary.Varint(r.b)
	if w <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[w:]
	return n
}

func (r *recordReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *recordReader) fail() {
	if r.err == nil {
		r.err = io.ErrUnexpectedEOF
	}
	r.b = nil
}
