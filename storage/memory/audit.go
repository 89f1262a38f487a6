package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fieldlog"
)

// AppendAudit stores e as a new entry. Its ID is made as the MongoDB
// store makes it: the subject and the entry's number among the subject's.
func (m *Store) AppendAudit(_ context.Context, e fieldlog.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, old := range m.audit {
		if old.Subject == e.Subject {
			n++
		}
	}
	e.ID = fmt.Sprintf("%s|%s|%08d", e.Subject.Kind, e.Subject.ID, n+1)
	e.At = stored(e.At)
	e.Changes = nilIfEmpty(slices.Clone(e.Changes))
	m.audit = append(m.audit, e)
	return nil
}

// AuditOf returns the latest entries about s, newest first.
func (m *Store) AuditOf(_ context.Context, s fieldlog.AuditSubject, limit int) ([]fieldlog.AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []fieldlog.AuditEntry
	for i := len(m.audit) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		if e := m.audit[i]; e.Subject == s {
			e.Changes = slices.Clone(e.Changes)
			out = append(out, e)
		}
	}
	return out, nil
}

// AuditSince calls fn for every entry made at or after since, oldest
// first (by time, then by ID).
func (m *Store) AuditSince(ctx context.Context, since time.Time, fn func(fieldlog.AuditEntry) error) error {
	m.mu.Lock()
	var out []fieldlog.AuditEntry
	for _, e := range m.audit {
		if !e.At.Before(since) {
			e.Changes = slices.Clone(e.Changes)
			out = append(out, e)
		}
	}
	m.mu.Unlock()
	slices.SortStableFunc(out, func(a, b fieldlog.AuditEntry) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(a.ID, b.ID))
	})
	for _, e := range out {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
