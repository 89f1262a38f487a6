// Package reminder makes the bot speak first: at 09:00 local time, 7, 3
// and 1 days before a unit's report deadline, each of its officers is
// reminded of it with how many records they logged this half-year, and each
// coordinator gets one digest of the units below them that are silent or
// thin; on the deadline day coordinators get a final summary; an officer
// silent for 30 days gets a nudge, at most once a month.
//
// Each message goes out at most once, across restarts and processes: it
// has a key, which the sender claims in the store before sending, for a
// lease; the message id is recorded after. A claim whose lease ran out is
// marked uncertain and not sent again: at most once beats twice.
//
// The scheduler is channel-agnostic: it hands Replies to a Sender (the
// Telegram adapter), which keeps each chat's order and Telegram's limits.
package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"fieldlog"
	"fieldlog/conversation"
	"fieldlog/locales"
)

// Store is what the scheduler reads and records.
type Store interface {
	fieldlog.Users
	fieldlog.Units
	fieldlog.Activities
	fieldlog.Calendar
	fieldlog.Reminders
}

// Sender delivers a message to a chat and returns its id. An error that
// is conversation.ErrUnreachable means the user blocked the bot.
type Sender interface {
	Notify(ctx context.Context, chatID int64, r conversation.Reply) (int, error)
}

// Clock tells the time and waits; tests give their own.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// Config holds the scheduler's dependencies.
type Config struct {
	Store    Store
	Sender   Sender
	Messages *locales.Messages
	Location *time.Location
	Clock    Clock // the wall clock when nil
	// ID names this process in the claims it makes, for the operator.
	ID string
	// Lease is how long a claim may stay unfinished before it is taken
	// as uncertain; zero means DefaultLease.
	Lease time.Duration
	// Workers is how many reminders are being sent at once; zero means
	// DefaultWorkers. The Sender keeps to Telegram's rate limits.
	Workers int
	Logger  *slog.Logger
}

// Defaults of Config, and the rules of the reminders.
const (
	DefaultLease   = 2 * time.Minute
	DefaultWorkers = 16

	// SendHour is when, in local time, a day's reminders start.
	SendHour = 9
	// recentDays: an officer who logged within them is not reminded.
	recentDays = 3
	// silentDays: an officer with nothing logged for them is nudged.
	silentDays = 30
	// thin is how few records of a unit a digest names.
	thin = 3
	// quietWeek: no nudge this many days before a deadline.
	quietWeek = 7
)

// offsets are the days before a deadline that reminders go out.
var offsets = map[int]bool{7: true, 3: true, 1: true}

// Scheduler sends reminders, digests and nudges.
type Scheduler struct {
	store   Store
	sender  Sender
	msgs    *locales.Messages
	loc     *time.Location
	clock   Clock
	id      string
	lease   time.Duration
	workers int
	log     *slog.Logger
}

// New returns a scheduler.
func New(cfg Config) *Scheduler {
	s := &Scheduler{store: cfg.Store, sender: cfg.Sender, msgs: cfg.Messages, loc: cfg.Location, clock: cfg.Clock,
		id: cfg.ID, lease: cfg.Lease, workers: cfg.Workers, log: cfg.Logger}
	if s.clock == nil {
		s.clock = wallClock{}
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.lease == 0 {
		s.lease = DefaultLease
	}
	if s.workers == 0 {
		s.workers = DefaultWorkers
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Run sends each day's reminders from SendHour on, until ctx ends. Started
// after SendHour, it sends what is still due today; what was due on days
// before is not sent.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		now := s.clock.Now()
		start := s.startOf(fieldlog.DateOf(now, s.loc))
		if !now.Before(start) {
			if err := s.Day(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("reminders", "err", err)
			}
			start = s.startOf(fieldlog.DateOf(now, s.loc).AddDays(1))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.clock.After(start.Sub(s.clock.Now())):
		}
	}
}

// startOf is when reminders of day start.
func (s *Scheduler) startOf(day fieldlog.Date) time.Time {
	return day.Time(s.loc).Add(SendHour * time.Hour)
}

// job is one message to send.
type job struct {
	key   string
	user  fieldlog.User
	kind  string // "due", "digest", "final", "nudge"
	check func(ctx context.Context, u fieldlog.User) (conversation.Reply, bool, error)
}

// Day sends today's reminders that are due and not yet claimed. It reads
// the users once, through the store's cursor, and keeps per reporter and
// per unit only counts, not the users.
func (s *Scheduler) Day(ctx context.Context) error {
	now := s.clock.Now()
	day := fieldlog.DateOf(now, s.loc)
	if n, err := s.store.ExpireReminders(ctx, now); err != nil {
		return fmt.Errorf("expire reminder claims: %w", err)
	} else if n > 0 {
		s.log.Warn("reminders whose sender stopped mid-send; not sent again", "count", n)
	}
	w, err := s.plan(ctx, day)
	if err != nil {
		return err
	}
	jobs := make(chan job, s.workers)
	var wg sync.WaitGroup
	var sent, skipped counter
	for range s.workers {
		wg.Go(func() {
			for j := range jobs {
				if s.send(ctx, day, j) {
					sent.add()
				} else {
					skipped.add()
				}
			}
		})
	}
	err = s.store.EachUser(ctx, func(u fieldlog.User) error {
		for _, j := range w.jobsFor(u) {
			select {
			case jobs <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	close(jobs)
	wg.Wait()
	if sent.n > 0 || skipped.n > 0 {
		s.log.Info("reminders of the day", "day", day.String(), "sent", sent.n, "not_sent", skipped.n)
	}
	if err != nil {
		return fmt.Errorf("read users for reminders: %w", err)
	}
	return nil
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) add() { c.mu.Lock(); c.n++; c.mu.Unlock() }

// send sends one job, unless the day is over, the user no longer wants it
// or it was claimed before. It reports whether a message went out.
func (s *Scheduler) send(ctx context.Context, day fieldlog.Date, j job) bool {
	now := s.clock.Now()
	if fieldlog.DateOf(now, s.loc) != day {
		return false // a wave that ran past midnight: its reminders are stale
	}
	// The user as they are now: moved, paused, blocked since the plan.
	u, err := s.store.User(ctx, j.user.ID)
	if err != nil {
		s.log.Warn("reminder: user", "user", j.user.ID, "err", err)
		return false
	}
	if u.Blocked || u.ChatID == 0 || (u.RemindersOff && j.kind != "final") {
		return false
	}
	reply, ok, err := j.check(ctx, u)
	if err != nil {
		s.log.Warn("reminder: prepare", "key", j.key, "err", err)
		return false
	}
	if !ok {
		return false
	}
	claimed, err := s.store.ClaimReminder(ctx, fieldlog.ReminderClaim{Key: j.key, UserID: u.ID, ClaimedBy: s.id,
		ClaimedAt: now, LeaseUntil: now.Add(s.lease)})
	if err != nil {
		s.log.Warn("reminder: claim", "key", j.key, "err", err)
		return false
	}
	if !claimed {
		return false // another process's, or sent before a restart
	}
	id, err := s.sender.Notify(ctx, u.ChatID, reply)
	state := fieldlog.ReminderSent
	switch {
	case errors.Is(err, conversation.ErrUnreachable):
		state = fieldlog.ReminderBlocked
	case err != nil:
		state = fieldlog.ReminderFailed
		s.log.Warn("reminder: send", "key", j.key, "err", err)
	}
	if ferr := s.store.FinishReminder(context.WithoutCancel(ctx), j.key, state, id, s.clock.Now()); ferr != nil {
		s.log.Warn("reminder: record", "key", j.key, "err", ferr)
	}
	return err == nil
}

// key builds a reminder key from its parts.
func key(parts ...string) string { return strings.Join(parts, "|") }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
