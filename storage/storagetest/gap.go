package storagetest

import (
	"context"
	"sync"

	"fieldlog"
	"fieldlog/storage/memory"
)

// Gap is an in-memory store that runs a step of someone else's right after
// its next read of a record: between what a use case reads and what it
// writes, where a race between two users falls. Tests of such races use
// it instead of goroutines and sleeps.
type Gap struct {
	*memory.Store
	mu   sync.Mutex
	next func()
}

// NewGap wraps s.
func NewGap(s *memory.Store) *Gap { return &Gap{Store: s} }

// After runs fn once, right after the next read of a record.
func (g *Gap) After(fn func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.next = fn
}

// Activity reads the record, then runs the step set by After, if any.
func (g *Gap) Activity(ctx context.Context, id fieldlog.ActivityID) (fieldlog.Activity, error) {
	a, err := g.Store.Activity(ctx, id)
	g.mu.Lock()
	fn := g.next
	g.next = nil
	g.mu.Unlock()
	if fn != nil {
		fn()
	}
	return a, err
}
