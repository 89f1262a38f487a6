// Package memory is an in-memory fieldlog.Store and fieldlog.Inbox. It
// keeps nothing across restarts, so it is for tests and benchmarks: the
// engine's flows run on it without a database, and the load benchmark uses
// it to measure the bot's own cost. It passes the same contract tests
// (storage/contract) as the MongoDB store.
package memory

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"fieldlog"
)

// Store is an in-memory fieldlog.Store and fieldlog.Inbox, safe for
// concurrent use. Everything it returns is a copy.
type Store struct {
	mu      sync.Mutex
	users   map[int64]fieldlog.User
	links   map[string]int64 // account key: user id
	units   map[fieldlog.UnitID]fieldlog.Unit
	invites map[string]fieldlog.Invite
	// recs are the records, in one slice so that a list's scan reads
	// memory in order; at is where each id's is. Records are never
	// removed (a delete marks one), so a place stays its record's.
	recs     []fieldlog.Activity
	at       map[fieldlog.ActivityID]int
	convs    map[int64]fieldlog.Conversation
	notes    map[string]*fieldlog.Notes
	attempts []attempt
	inbox    map[string]fieldlog.IncomingUpdate
	events   []event // the calendar, oldest first
	claims   map[string]claim
	leases   map[int64]lease
	peers    map[string]time.Time  // until when each process is alive
	audit    []fieldlog.AuditEntry // oldest appended first
	photos   map[string]photoFile
	// The web's sessions, sign-in links and tries, under their own lock.
	*WebStore
}

// lease is a chat's lease: who holds it until when.
type lease struct {
	holder string
	until  time.Time
}

// event is a deadline set or a reopening granted.
type event struct {
	deadline  *fieldlog.Deadline
	reopening *fieldlog.Reopening
}

type claim struct {
	c     fieldlog.ReminderClaim
	state fieldlog.ReminderState
}

type attempt struct {
	kind string
	user int64
	at   time.Time
}

var (
	_ fieldlog.Store = (*Store)(nil)
	_ fieldlog.Inbox = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	return &Store{
		users:   map[int64]fieldlog.User{},
		links:   map[string]int64{},
		units:   map[fieldlog.UnitID]fieldlog.Unit{},
		invites: map[string]fieldlog.Invite{},
		at:      map[fieldlog.ActivityID]int{},
		convs:   map[int64]fieldlog.Conversation{},
		notes:   map[string]*fieldlog.Notes{},
		inbox:   map[string]fieldlog.IncomingUpdate{},
		claims:  map[string]claim{},
		leases:  map[int64]lease{},
		peers:   map[string]time.Time{},

		WebStore: NewWebStore(),
	}
}

// AcquireChat takes or renews chat's lease for holder; false while
// another holds it.
func (s *Store) AcquireChat(_ context.Context, chatID int64, holder string, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if l, ok := s.leases[chatID]; ok && l.holder != holder && now.Before(l.until) {
		return false, nil
	}
	s.leases[chatID] = lease{holder: holder, until: now.Add(ttl)}
	return true, nil
}

// Beat notes that holder is alive for ttl and counts the live processes.
func (s *Store) Beat(_ context.Context, holder string, ttl time.Duration) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.peers[holder] = now.Add(ttl)
	n := 0
	for _, until := range s.peers {
		if until.After(now) {
			n++
		}
	}
	return n, nil
}

// ReleaseChat gives up holder's lease of chat.
func (s *Store) ReleaseChat(_ context.Context, chatID int64, holder string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.leases[chatID].holder == holder {
		delete(s.leases, chatID)
	}
	return nil
}

// User returns the user with id, or fieldlog.ErrNotFound.
func (m *Store) User(_ context.Context, id int64) (fieldlog.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return u, fieldlog.ErrNotFound
	}
	return u, nil
}

// SaveUser creates or replaces the user.
func (m *Store) SaveUser(_ context.Context, u fieldlog.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u.JoinedAt = stored(u.JoinedAt)
	m.users[u.ID] = u
	return nil
}

// AccountUser returns the id of the user account is linked to.
func (m *Store) AccountUser(_ context.Context, account string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.links[account]
	if !ok {
		return 0, fieldlog.ErrNotFound
	}
	return id, nil
}

// LinkAccount links account to userID.
func (m *Store) LinkAccount(_ context.Context, account string, userID int64, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.links[account] = userID
	return nil
}

// UnlinkAccount removes account's link.
func (m *Store) UnlinkAccount(_ context.Context, account string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.links, account)
	return nil
}

// AccountsOf returns the accounts linked to userID.
func (m *Store) AccountsOf(_ context.Context, userID int64) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k, id := range m.links {
		if id == userID {
			out = append(out, k)
		}
	}
	return out, nil
}

// AllUnits returns every unit, ordered by parent, order and id as the
// MongoDB store returns them.
func (m *Store) AllUnits(context.Context) ([]fieldlog.Unit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]fieldlog.Unit, 0, len(m.units))
	for _, u := range m.units {
		u.Name = maps.Clone(u.Name)
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b fieldlog.Unit) int {
		return cmp.Or(cmp.Compare(a.ParentID, b.ParentID), cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// SaveUnits creates units or updates them by id.
func (m *Store) SaveUnits(_ context.Context, us []fieldlog.Unit) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range us {
		u.Name = maps.Clone(u.Name)
		if len(u.Name) == 0 {
			u.Name = nil
		}
		m.units[u.ID] = u
	}
	return nil
}

// CreateInvite stores a new invitation; fieldlog.ErrDuplicate if the code
// exists.
func (m *Store) CreateInvite(_ context.Context, inv fieldlog.Invite) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.invites[inv.Code]; ok {
		return fieldlog.ErrDuplicate
	}
	inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = stored(inv.CreatedAt), stored(inv.ExpiresAt), stored(inv.UsedAt)
	m.invites[inv.Code] = inv
	return nil
}

// RedeemInvite marks a usable code as used by user.
func (m *Store) RedeemInvite(_ context.Context, code string, user int64, now time.Time) (fieldlog.Invite, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inv, ok := m.invites[code]
	if !ok || (inv.UsedBy != 0 && inv.UsedBy != user) || !now.Before(inv.ExpiresAt) {
		return fieldlog.Invite{}, fieldlog.ErrNotFound
	}
	if inv.UsedBy == 0 {
		inv.UsedBy, inv.UsedAt = user, stored(now)
		m.invites[code] = inv
	}
	return inv, nil
}

// InsertActivity stores a new record; fieldlog.ErrDuplicate if its ID is
// taken, even by a deleted record.
func (m *Store) InsertActivity(_ context.Context, a fieldlog.Activity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.at[a.ID]; ok {
		return fieldlog.ErrDuplicate
	}
	m.at[a.ID] = len(m.recs)
	m.recs = append(m.recs, storedActivity(a))
	return nil
}

// Activity returns a record that is not deleted.
func (m *Store) Activity(_ context.Context, id fieldlog.ActivityID) (fieldlog.Activity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.act(id)
	if !ok || a.Deleted {
		return fieldlog.Activity{}, fieldlog.ErrNotFound
	}
	return copyOf(*a), nil
}

// UpdateActivity replaces the editable fields of a record that is not
// deleted; its unit, reporter and logging time stay.
func (m *Store) UpdateActivity(_ context.Context, a fieldlog.Activity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.act(a.ID)
	if !ok || old.Deleted {
		return fieldlog.ErrNotFound
	}
	a.UnitID, a.ReporterID, a.ReporterName, a.LoggedAt = old.UnitID, old.ReporterID, old.ReporterName, old.LoggedAt
	a.Review = old.Review // changed only by ReviewActivity
	a.Deleted, a.DeletedAt = false, time.Time{}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = old.UpdatedAt
	}
	*old = storedActivity(a)
	return nil
}

// DeleteActivity marks a record deleted.
func (m *Store) DeleteActivity(_ context.Context, id fieldlog.ActivityID, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.act(id)
	if !ok || a.Deleted {
		return fieldlog.ErrNotFound
	}
	a.Deleted, a.DeletedAt = true, stored(at)
	return nil
}

// dateKey orders dates as their "YYYY-MM-DD" strings do, which is how the
// MongoDB store sorts and compares them, without formatting them.
func dateKey(d fieldlog.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// hit is a matching record's sort key, so that a list sorts keys and
// copies only the page.
type hit struct {
	date   int
	logged time.Time
	id     fieldlog.ActivityID
}

// newestFirst is the MongoDB store's order: date, logging time, id, each
// descending.
func newestFirst(a, b hit) int {
	return cmp.Or(cmp.Compare(b.date, a.date), b.logged.Compare(a.logged), cmp.Compare(b.id, a.id))
}

// filter is f.Matches with the dates compared by key. A method, not a
// closure: a record passed to a closure escapes, and every record of a
// scan was allocated anew (most of a list's time at 50,000 records).
type filter struct {
	f        fieldlog.ActivityFilter
	units    map[fieldlog.UnitID]bool // nil: all units
	from, to int
}

func matcher(f fieldlog.ActivityFilter) filter {
	m := filter{f: f, from: dateKey(f.From), to: dateKey(f.To)}
	if !f.AllUnits {
		m.units = make(map[fieldlog.UnitID]bool, len(f.Units))
		for _, u := range f.Units {
			m.units[u] = true
		}
	}
	return m
}

func (m *filter) match(a *fieldlog.Activity) bool {
	switch {
	case a.Deleted:
		return false
	case m.f.ReporterID != 0 && a.ReporterID != m.f.ReporterID:
		return false
	case m.units != nil && !m.units[a.UnitID]:
		return false
	case m.from != 0 && dateKey(a.Date) < m.from:
		return false
	case m.to != 0 && dateKey(a.Date) > m.to:
		return false
	}
	return true
}

// matching returns the keys of the records f selects, newest first, as
// the MongoDB store sorts them, the first first of them at least (all
// when first <= 0): a page needs only those. Callers hold m.mu.
func (m *Store) matching(f fieldlog.ActivityFilter, first int) []hit {
	match := matcher(f)
	var out []hit
	for i := range m.recs {
		if a := &m.recs[i]; match.match(a) {
			out = append(out, hit{date: dateKey(a.Date), logged: a.LoggedAt, id: a.ID})
		}
	}
	if first > 0 && first < len(out)/8 {
		// A page of a long list: pick its records, sort only those.
		out = newest(out, first)
	}
	slices.SortFunc(out, newestFirst)
	return out
}

// newest returns the k newest of hits (in no order), keeping a heap of
// the k newest seen with the oldest of them on top.
func newest(hits []hit, k int) []hit {
	h := hits[:0:0]
	down := func(i int) {
		for {
			l, o := 2*i+1, i
			if l < len(h) && newestFirst(h[l], h[o]) > 0 {
				o = l
			}
			if r := l + 1; r < len(h) && newestFirst(h[r], h[o]) > 0 {
				o = r
			}
			if o == i {
				return
			}
			h[i], h[o] = h[o], h[i]
			i = o
		}
	}
	for _, x := range hits {
		switch {
		case len(h) < k:
			h = append(h, x)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if newestFirst(h[i], h[p]) <= 0 {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
		case newestFirst(x, h[0]) < 0: // x is newer than the oldest kept
			h[0] = x
			down(0)
		}
	}
	return h
}

// ListActivities returns a page of matching records, newest first.
func (m *Store) ListActivities(_ context.Context, f fieldlog.ActivityFilter, skip, limit int) ([]fieldlog.Activity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	first := 0
	if limit > 0 {
		first = max(skip, 0) + limit
	}
	all := m.matching(f, first)
	skip = min(max(skip, 0), len(all))
	end := len(all)
	if limit > 0 {
		end = min(end, skip+limit)
	}
	out := make([]fieldlog.Activity, 0, end-skip)
	for _, h := range all[skip:end] {
		out = append(out, copyOf(m.recs[m.at[h.id]]))
	}
	return out, nil
}

// CountActivities counts matching records.
func (m *Store) CountActivities(_ context.Context, f fieldlog.ActivityFilter) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	match := matcher(f)
	n := 0
	for i := range m.recs {
		if match.match(&m.recs[i]) {
			n++
		}
	}
	return n, nil
}

// EachActivity calls fn for every matching record, without photos.
func (m *Store) EachActivity(ctx context.Context, f fieldlog.ActivityFilter, fn func(fieldlog.Activity) error) error {
	m.mu.Lock()
	hits := m.matching(f, 0)
	all := make([]fieldlog.Activity, len(hits))
	for i, h := range hits {
		all[i] = copyOf(m.recs[m.at[h.id]])
	}
	m.mu.Unlock()
	for _, a := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		a.Photos = nil
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// Conversation returns the user's conversation.
func (m *Store) Conversation(_ context.Context, user int64) (fieldlog.Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.convs[user]
	if !ok {
		return c, fieldlog.ErrNotFound
	}
	return cloneConversation(c), nil
}

// SaveConversation creates or replaces the user's conversation.
func (m *Store) SaveConversation(_ context.Context, c fieldlog.Conversation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c = cloneConversation(c)
	c.UpdatedAt = stored(c.UpdatedAt)
	c.Draft = storedActivity(c.Draft)
	m.convs[c.UserID] = c
	return nil
}

func cloneConversation(c fieldlog.Conversation) fieldlog.Conversation {
	c.Vars = maps.Clone(c.Vars)
	if len(c.Vars) == 0 {
		c.Vars = nil
	}
	c.Applied = nilIfEmpty(slices.Clone(c.Applied))
	c.Draft.Photos = nilIfEmpty(slices.Clone(c.Draft.Photos))
	return c
}

// stored is a time as the MongoDB store gives it back: in UTC, to the
// millisecond, the precision of a BSON date.
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// storedActivity is a record as the MongoDB store gives it back.
func storedActivity(a fieldlog.Activity) fieldlog.Activity {
	a.Photos = nilIfEmpty(slices.Clone(a.Photos))
	a.LoggedAt, a.UpdatedAt, a.DeletedAt = stored(a.LoggedAt), stored(a.UpdatedAt), stored(a.DeletedAt)
	a.Review.Thread = nilIfEmpty(slices.Clone(a.Review.Thread))
	for i := range a.Review.Thread {
		a.Review.Thread[i].At = stored(a.Review.Thread[i].At)
	}
	return a
}

// copyOf is a record as a caller may change it without changing the store.
func copyOf(a fieldlog.Activity) fieldlog.Activity {
	a.Photos = slices.Clone(a.Photos)
	a.Review.Thread = slices.Clone(a.Review.Thread)
	return a
}

// nilIfEmpty gives an empty list back as nil, as the MongoDB store does.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// RecordAttempt notes a failed try.
func (m *Store) RecordAttempt(_ context.Context, kind string, user int64, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	at = stored(at)
	m.attempts = slices.DeleteFunc(m.attempts, func(a attempt) bool { return a.at.Before(at.Add(-fieldlog.AttemptRetention)) })
	m.attempts = append(m.attempts, attempt{kind, user, at})
	return nil
}

// CountAttempts counts tries of kind by user at or after since.
func (m *Store) CountAttempts(_ context.Context, kind string, user int64, since time.Time) (int, error) {
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

func notesKey(unit fieldlog.UnitID, p fieldlog.Period) string { return string(unit) + "|" + p.String() }

// Notes returns the notes of unit for p.
func (m *Store) Notes(_ context.Context, unit fieldlog.UnitID, p fieldlog.Period) (fieldlog.Notes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notes[notesKey(unit, p)]
	if !ok {
		return fieldlog.Notes{UnitID: unit, Period: p}, nil
	}
	out := *n
	out.Problems, out.Plans = slices.Clone(n.Problems), slices.Clone(n.Plans)
	return out, nil
}

// AddParagraph appends para to part, once.
func (m *Store) AddParagraph(_ context.Context, unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, para fieldlog.Paragraph) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := notesKey(unit, p)
	n, ok := m.notes[k]
	if !ok {
		n = &fieldlog.Notes{UnitID: unit, Period: p}
		m.notes[k] = n
	}
	paras := m.part(n, part)
	if slices.ContainsFunc(*paras, func(q fieldlog.Paragraph) bool { return q.ID == para.ID }) {
		return nil
	}
	para.At = stored(para.At)
	*paras = append(*paras, para)
	return nil
}

// DeleteParagraph removes the paragraph with id from part.
func (m *Store) DeleteParagraph(_ context.Context, unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.notes[notesKey(unit, p)]
	if !ok {
		return fieldlog.ErrNotFound
	}
	paras := m.part(n, part)
	i := slices.IndexFunc(*paras, func(q fieldlog.Paragraph) bool { return q.ID == id })
	if i < 0 {
		return fieldlog.ErrNotFound
	}
	*paras = slices.Delete(*paras, i, i+1)
	return nil
}

func (m *Store) part(n *fieldlog.Notes, part fieldlog.NotePart) *[]fieldlog.Paragraph {
	if part == fieldlog.Plans {
		return &n.Plans
	}
	return &n.Problems
}

// Receive records an update unless one with its key is waiting.
func (m *Store) Receive(_ context.Context, u fieldlog.IncomingUpdate) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.inbox[u.Key]; ok {
		return false, nil
	}
	u.Payload = nilIfEmpty(slices.Clone(u.Payload))
	u.ReceivedAt = stored(u.ReceivedAt)
	m.inbox[u.Key] = u
	return true, nil
}

// ReceiveAll records each update of a batch unless its key is waiting.
func (m *Store) ReceiveAll(ctx context.Context, us []fieldlog.IncomingUpdate) ([]bool, error) {
	fresh := make([]bool, len(us))
	for i, u := range us {
		fresh[i], _ = m.Receive(ctx, u)
	}
	return fresh, nil
}

// Done forgets handled updates.
func (m *Store) Done(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.inbox, k)
	}
	return nil
}

// Unhandled returns every waiting update, in Seq order.
func (m *Store) Unhandled(context.Context) ([]fieldlog.IncomingUpdate, error) {
	return m.waiting(func(fieldlog.IncomingUpdate) bool { return true }), nil
}

// UnhandledIn returns the waiting updates of one chat, in Seq order.
func (m *Store) UnhandledIn(_ context.Context, chat int64) ([]fieldlog.IncomingUpdate, error) {
	return m.waiting(func(u fieldlog.IncomingUpdate) bool { return u.ChatID == chat }), nil
}

func (m *Store) waiting(keep func(fieldlog.IncomingUpdate) bool) []fieldlog.IncomingUpdate {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []fieldlog.IncomingUpdate
	for _, u := range m.inbox {
		if keep(u) {
			u.Payload = slices.Clone(u.Payload)
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b fieldlog.IncomingUpdate) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), strings.Compare(a.Key, b.Key))
	})
	return out
}

// EachUser calls fn for every joined user.
func (m *Store) EachUser(ctx context.Context, fn func(fieldlog.User) error) error {
	m.mu.Lock()
	var all []fieldlog.User
	for _, u := range m.users {
		if u.Joined() {
			all = append(all, u)
		}
	}
	m.mu.Unlock()
	for _, u := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}

// ReviewActivity sets the review state of a record and adds note, if its
// thread holds seen notes (or seen is fieldlog.AnyThread).
func (m *Store) ReviewActivity(_ context.Context, id fieldlog.ActivityID, note fieldlog.ReviewNote, seen int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.act(id)
	if !ok || a.Deleted {
		return fieldlog.ErrNotFound
	}
	if seen != fieldlog.AnyThread && len(a.Review.Thread) != seen {
		return fieldlog.ErrReviewChanged
	}
	note.At = stored(note.At)
	a.Review.State = note.State
	a.Review.Thread = append(slices.Clone(a.Review.Thread), note)
	return nil
}

// SetDeadline records d.
func (m *Store) SetDeadline(_ context.Context, d fieldlog.Deadline) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d.SetAt = stored(d.SetAt)
	m.events = append(m.events, event{deadline: &d})
	return nil
}

// Reopen records r.
func (m *Store) Reopen(_ context.Context, r fieldlog.Reopening) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.Until, r.At = stored(r.Until), stored(r.At)
	m.events = append(m.events, event{reopening: &r})
	return nil
}

// Schedule returns the deadlines and reopenings of p.
func (m *Store) Schedule(_ context.Context, p fieldlog.Period) (fieldlog.Schedule, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ds []fieldlog.Deadline
	var rs []fieldlog.Reopening
	for _, e := range m.events {
		if e.deadline != nil {
			ds = append(ds, *e.deadline)
		} else {
			rs = append(rs, *e.reopening)
		}
	}
	return fieldlog.NewSchedule(p, ds, rs), nil
}

// ClaimReminder records c unless its key was claimed before.
func (m *Store) ClaimReminder(_ context.Context, c fieldlog.ReminderClaim) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.claims[c.Key]; ok {
		return false, nil
	}
	c.ClaimedAt, c.LeaseUntil = stored(c.ClaimedAt), stored(c.LeaseUntil)
	m.claims[c.Key] = claim{c: c, state: fieldlog.ReminderSending}
	return true, nil
}

// FinishReminder records how a claimed reminder ended.
func (m *Store) FinishReminder(_ context.Context, key string, state fieldlog.ReminderState, _ int, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.claims[key]
	if !ok {
		return fieldlog.ErrNotFound
	}
	c.state = state
	m.claims[key] = c
	return nil
}

// ExpireReminders marks claims whose lease ran out uncertain.
func (m *Store) ExpireReminders(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k, c := range m.claims {
		if c.state == fieldlog.ReminderSending && c.c.LeaseUntil.Before(now) {
			c.state = fieldlog.ReminderUncertain
			m.claims[k] = c
			n++
		}
	}
	return n, nil
}

// ReminderState returns the state of key.
func (m *Store) ReminderState(_ context.Context, key string) (fieldlog.ReminderState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.claims[key]
	if !ok {
		return "", fieldlog.ErrNotFound
	}
	return c.state, nil
}

// act is the stored record with id, to read or to replace (callers hold
// m.mu, and copy what they hand out).
func (m *Store) act(id fieldlog.ActivityID) (*fieldlog.Activity, bool) {
	i, ok := m.at[id]
	if !ok {
		return nil, false
	}
	return &m.recs[i], true
}
