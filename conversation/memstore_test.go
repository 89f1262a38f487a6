package conversation

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"fieldlog"
)

// memStore is an in-memory fieldlog.Store, so that the engine's flows can
// be tested without a database. The MongoDB adapter has its own tests.
type memStore struct {
	mu       sync.Mutex
	users    map[int64]fieldlog.User
	units    []fieldlog.Unit
	invites  map[string]fieldlog.Invite
	acts     map[fieldlog.ActivityID]fieldlog.Activity
	convs    map[int64]fieldlog.Conversation
	notes    map[string]fieldlog.Notes
	attempts []struct {
		kind string
		user int64
		at   time.Time
	}
}

func newMemStore() *memStore {
	return &memStore{
		users:   map[int64]fieldlog.User{},
		invites: map[string]fieldlog.Invite{},
		acts:    map[fieldlog.ActivityID]fieldlog.Activity{},
		convs:   map[int64]fieldlog.Conversation{},
		notes:   map[string]fieldlog.Notes{},
	}
}

func (m *memStore) User(_ context.Context, id int64) (fieldlog.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return u, fieldlog.ErrNotFound
	}
	return u, nil
}

func (m *memStore) SaveUser(_ context.Context, u fieldlog.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users[u.ID] = u
	return nil
}

func (m *memStore) AllUnits(context.Context) ([]fieldlog.Unit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.units), nil
}

func (m *memStore) SaveUnits(_ context.Context, us []fieldlog.Unit) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.units = append(m.units, us...)
	return nil
}

func (m *memStore) CreateInvite(_ context.Context, inv fieldlog.Invite) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.invites[inv.Code]; ok {
		return fieldlog.ErrDuplicate
	}
	m.invites[inv.Code] = inv
	return nil
}

func (m *memStore) RedeemInvite(_ context.Context, code string, user int64, now time.Time) (fieldlog.Invite, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inv, ok := m.invites[code]
	if !ok || inv.UsedBy != 0 || !now.Before(inv.ExpiresAt) {
		return fieldlog.Invite{}, fieldlog.ErrNotFound
	}
	inv.UsedBy, inv.UsedAt = user, now
	m.invites[code] = inv
	return inv, nil
}

func (m *memStore) InsertActivity(_ context.Context, a fieldlog.Activity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.acts[a.ID]; ok {
		return fieldlog.ErrDuplicate
	}
	m.acts[a.ID] = a
	return nil
}

func (m *memStore) Activity(_ context.Context, id fieldlog.ActivityID) (fieldlog.Activity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.acts[id]
	if !ok || a.Deleted {
		return fieldlog.Activity{}, fieldlog.ErrNotFound
	}
	return a, nil
}

func (m *memStore) UpdateActivity(_ context.Context, a fieldlog.Activity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.acts[a.ID]
	if !ok || old.Deleted {
		return fieldlog.ErrNotFound
	}
	a.UnitID, a.ReporterID, a.ReporterName, a.LoggedAt = old.UnitID, old.ReporterID, old.ReporterName, old.LoggedAt
	m.acts[a.ID] = a
	return nil
}

func (m *memStore) DeleteActivity(_ context.Context, id fieldlog.ActivityID, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.acts[id]
	if !ok || a.Deleted {
		return fieldlog.ErrNotFound
	}
	a.Deleted, a.DeletedAt = true, at
	m.acts[id] = a
	return nil
}

func (m *memStore) matching(f fieldlog.ActivityFilter) []fieldlog.Activity {
	var out []fieldlog.Activity
	for _, a := range m.acts {
		if a.Deleted || (f.ReporterID != 0 && a.ReporterID != f.ReporterID) ||
			(f.Units != nil && !slices.Contains(f.Units, a.UnitID)) ||
			(!f.From.IsZero() && a.Date.Before(f.From)) || (!f.To.IsZero() && f.To.Before(a.Date)) {
			continue
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b fieldlog.Activity) int {
		if c := strings.Compare(b.Date.String(), a.Date.String()); c != 0 {
			return c
		}
		return b.LoggedAt.Compare(a.LoggedAt)
	})
	return out
}

func (m *memStore) ListActivities(_ context.Context, f fieldlog.ActivityFilter, skip, limit int) ([]fieldlog.Activity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := m.matching(f)
	if skip > len(all) {
		return nil, nil
	}
	return all[skip:min(len(all), skip+limit)], nil
}

func (m *memStore) CountActivities(_ context.Context, f fieldlog.ActivityFilter) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.matching(f)), nil
}

func (m *memStore) Conversation(_ context.Context, user int64) (fieldlog.Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.convs[user]
	if !ok {
		return c, fieldlog.ErrNotFound
	}
	c.Vars = maps.Clone(c.Vars) // a real store hands out copies too
	c.Draft.Photos = slices.Clone(c.Draft.Photos)
	return c, nil
}

func (m *memStore) SaveConversation(_ context.Context, c fieldlog.Conversation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c.Draft.Photos = slices.Clone(c.Draft.Photos)
	c.Vars = maps.Clone(c.Vars)
	m.convs[c.UserID] = c
	return nil
}

func (m *memStore) EndConversation(_ context.Context, user int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.convs, user)
	return nil
}

func (m *memStore) RecordAttempt(_ context.Context, kind string, user int64, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.attempts = append(m.attempts, struct {
		kind string
		user int64
		at   time.Time
	}{kind, user, at})
	return nil
}

func (m *memStore) CountAttempts(_ context.Context, kind string, user int64, since time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, a := range m.attempts {
		if a.kind == kind && a.user == user && !a.at.Before(since) {
			n++
		}
	}
	return n, nil
}

func (m *memStore) EachActivity(_ context.Context, f fieldlog.ActivityFilter, fn func(fieldlog.Activity) error) error {
	m.mu.Lock()
	all := m.matching(f)
	m.mu.Unlock()
	for _, a := range all {
		a.Photos = nil
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) Notes(_ context.Context, unit fieldlog.UnitID, p fieldlog.Period) (fieldlog.Notes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notes[string(unit)+p.String()]
	if !ok {
		return n, fieldlog.ErrNotFound
	}
	n.Problems, n.Plans = slices.Clone(n.Problems), slices.Clone(n.Plans)
	return n, nil
}

func (m *memStore) SaveNotes(_ context.Context, n fieldlog.Notes) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n.Problems, n.Plans = slices.Clone(n.Problems), slices.Clone(n.Plans)
	m.notes[string(n.UnitID)+n.Period.String()] = n
	return nil
}
