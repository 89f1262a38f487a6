// Package office is what a user may do in fieldlog, whatever channel they
// use: log, edit, delete and list records, return a record for checking
// and answer a return, compile a report, write its notes, see who is
// silent, invite, set deadlines and reopen a half-year. Each use case asks the rules of package fieldlog
// (access.go) before it acts, and writes the audit trail after; the chat
// flows (conversation/) and the web pages are user interfaces over it, and
// none of them decides again who may do what.
//
// Refusals are typed, so that each interface words them in the user's
// language: fieldlog.ErrNotFound (the record is gone), ErrForbidden (not
// theirs to see or change), *ClosedError (its half-year is closed to
// changes) and *InvalidError (a field breaks its rule).
package office

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fieldlog"
	"fieldlog/locales"
)

// Store is what the use cases keep and read.
type Store interface {
	fieldlog.Users
	fieldlog.Accounts
	fieldlog.Units
	fieldlog.Invites
	fieldlog.Attempts
	fieldlog.Activities
	fieldlog.Calendar
	fieldlog.AuditLog
	fieldlog.Notebook
	fieldlog.Invites
}

// Observer counts what the office does, for the operator's metrics. Its
// methods must return quickly.
type Observer interface {
	RecordSaved()
	ReportCompiled()
}

// Teller tells a user what another did to their record (a coordinator
// returned it; its reporter answered), through whatever channel reaches
// them. It must not fail the use case: the change is made already.
type Teller interface {
	Tell(ctx context.Context, e Event)
}

// EventKind is what happened to a record that its reporter or reviewer is
// told of.
type EventKind string

// The events told.
const (
	// RecordReturned: a coordinator returned the record to its reporter.
	RecordReturned EventKind = "returned"
	// ReturnConfirmed: the reporter kept a returned record as it was.
	ReturnConfirmed EventKind = "confirmed"
	// ReturnCorrected: the reporter corrected a returned record.
	ReturnCorrected EventKind = "corrected"
)

// Event is something a user did to a record that another user is told.
type Event struct {
	Kind     EventKind
	To, By   fieldlog.User
	Activity fieldlog.Activity
	// Comment is the coordinator's comment of a return.
	Comment string
}

// Config holds the office's dependencies.
type Config struct {
	Store   Store
	Catalog *fieldlog.Catalog
	// Messages words what the office writes itself: reports and the
	// names of their files.
	Messages *locales.Messages
	Location *time.Location
	// Now returns the current time; tests set it.
	Now func() time.Time
	// Admins are the user ids that own the deployment (FIELDLOG_ADMINS):
	// they act as admins whatever role is stored.
	Admins []int64
	// Observer is told of records saved and reports compiled; nil:
	// nobody.
	Observer Observer
	// Teller tells users of returns and answers; nil tells nobody.
	Teller Teller
	Logger *slog.Logger
}

// Office runs the use cases. It keeps nothing but caches between calls:
// several offices (processes) may serve one database.
type Office struct {
	store     Store
	catalog   *fieldlog.Catalog
	msgs      *locales.Messages
	loc       *time.Location
	now       func() time.Time
	admins    map[int64]bool
	observe   Observer
	teller    Teller
	log       *slog.Logger
	units     unitTree
	schedules schedules
	// tries serialises the count, the try and its record of codes and
	// links typed on the web, so that a burst cannot pass the limit
	// between a count and its record (across processes each may let the
	// limit through once: a few more tries, never a flood).
	tries sync.Mutex
	// linking serialises linking Telegram accounts, so that two links of
	// one user at once leave one account theirs, not both or none.
	linking sync.Mutex
}

// New returns an office.
func New(cfg Config) *Office {
	o := &Office{
		store:   cfg.Store,
		catalog: cfg.Catalog,
		msgs:    cfg.Messages,
		loc:     cmp.Or(cfg.Location, time.UTC),
		now:     cfg.Now,
		admins:  map[int64]bool{},
		observe: cmp.Or[Observer](cfg.Observer, noObserver{}),
		teller:  cmp.Or[Teller](cfg.Teller, noTeller{}),
		log:     cfg.Logger,
	}
	for _, id := range cfg.Admins {
		o.admins[id] = true
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	return o
}

type noObserver struct{}

func (noObserver) RecordSaved()    {}
func (noObserver) ReportCompiled() {}

type noTeller struct{}

func (noTeller) Tell(context.Context, Event) {}

// ErrForbidden is the refusal of what the user may not do: the record is
// not theirs to see or change, the unit not theirs to act on.
var ErrForbidden = errors.New("not allowed")

// Acting is u as they act: an admin of the deployment (Config.Admins) acts
// as an admin whatever role is stored.
func (o *Office) Acting(u fieldlog.User) fieldlog.User {
	if o.IsAdmin(u) {
		u.Role = fieldlog.Admin
	}
	return u
}

// Catalog is the deployment's catalogue.
func (o *Office) Catalog() *fieldlog.Catalog { return o.catalog }

// Location is the deployment's time zone, in which days are counted.
func (o *Office) Location() *time.Location { return o.loc }

// Today is the current civil day in the deployment's time zone.
func (o *Office) Today() fieldlog.Date { return fieldlog.DateOf(o.now(), o.loc) }

// Earliest is the first day an activity may be logged for: the start of
// the previous half-year, whose report may still be in preparation.
func (o *Office) Earliest() fieldlog.Date {
	return fieldlog.PeriodOf(o.Today()).Previous().Start()
}

// Tree is the organisation tree, at most a minute old (see unitTree).
func (o *Office) Tree(ctx context.Context) (*fieldlog.Tree, error) {
	return o.units.get(ctx, o.store)
}

// Schedule is the deadlines and reopenings of p, at most a minute old
// unless this office changed them (see ForgetSchedule).
func (o *Office) Schedule(ctx context.Context, p fieldlog.Period) (fieldlog.Schedule, error) {
	return o.schedules.get(ctx, o.store, p)
}

// ForgetSchedule drops the cached schedule of p, after a change to it.
func (o *Office) ForgetSchedule(p fieldlog.Period) { o.schedules.forget(p) }

// audit appends an entry of what actor just changed. The change is saved
// already, so a failure to record it must not undo it or the answer: it is
// logged, by action and ids only, since the values are what users wrote.
func (o *Office) audit(ctx context.Context, actor fieldlog.User, action fieldlog.AuditAction, s fieldlog.AuditSubject, changes []fieldlog.FieldChange) {
	e := fieldlog.AuditEntry{At: o.now(), Actor: actor.ID, ActorName: actor.Name, Action: action, Subject: s, Changes: changes}
	if err := o.store.AppendAudit(ctx, e); err != nil {
		o.log.Warn("audit entry not written", "action", string(action), "subject", string(s.Kind), "id", s.ID, "user", actor.ID, "err", err)
	}
}

// unitTree keeps the organisation tree between calls for a while. Units
// change only when a unit file is imported (at a start, or by the units
// command of another process), so a tree a minute old is good enough, and
// most calls need one.
type unitTree struct {
	mu     sync.Mutex
	tree   *fieldlog.Tree
	loaded time.Time
}

// unitTreeAge is how long a loaded tree is used.
const unitTreeAge = time.Minute

func (u *unitTree) get(ctx context.Context, store fieldlog.Units) (*fieldlog.Tree, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.tree != nil && time.Since(u.loaded) < unitTreeAge {
		return u.tree, nil
	}
	us, err := store.AllUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	u.tree, u.loaded = fieldlog.NewTree(us), time.Now()
	return u.tree, nil
}

// schedules keeps the deadlines and reopenings of each half-year between
// calls for a while, as unitTree keeps the units: the lock check of every
// date and every save needs them. A change made through this office shows
// at once; one made by another process within scheduleAge.
type schedules struct {
	mu     sync.Mutex
	cached map[fieldlog.Period]cachedSchedule
}

type cachedSchedule struct {
	sched  fieldlog.Schedule
	loaded time.Time
}

// scheduleAge is how long a loaded schedule is used.
const scheduleAge = time.Minute

func (s *schedules) get(ctx context.Context, store fieldlog.Calendar, p fieldlog.Period) (fieldlog.Schedule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cached[p]; ok && time.Since(c.loaded) < scheduleAge {
		return c.sched, nil
	}
	sched, err := store.Schedule(ctx, p)
	if err != nil {
		return sched, fmt.Errorf("read deadlines of %s: %w", p, err)
	}
	if s.cached == nil {
		s.cached = map[fieldlog.Period]cachedSchedule{}
	}
	s.cached[p] = cachedSchedule{sched: sched, loaded: time.Now()}
	return sched, nil
}

func (s *schedules) forget(p fieldlog.Period) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cached, p)
}

// IsAdmin reports whether u is an admin of the deployment by its
// configuration (Config.Admins), whatever role is stored. Admins are
// Telegram accounts, each its own user: none is ever linked to another
// (LinkTelegram).
func (o *Office) IsAdmin(u fieldlog.User) bool { return o.admins[u.ID] }

// TellerFunc is a function that is a Teller.
type TellerFunc func(ctx context.Context, e Event)

// Tell calls f.
func (f TellerFunc) Tell(ctx context.Context, e Event) { f(ctx, e) }
