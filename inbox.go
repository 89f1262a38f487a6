package fieldlog

import (
	"context"
	"time"
)

// IncomingUpdate is one update received from a messaging channel, recorded
// before it is handled so that a redelivered update is recognised and one
// interrupted by a crash can be handled again.
type IncomingUpdate struct {
	Key        string // channel-specific and unique, e.g. "tg:812345"
	ChatID     int64
	Payload    []byte // the channel's own encoding of the update
	ReceivedAt time.Time
	Handled    bool
	HandledAt  time.Time
}

// Inbox records incoming updates.
type Inbox interface {
	// Receive records the update. It returns false, and records nothing,
	// when an update with the same key was received before.
	Receive(ctx context.Context, u IncomingUpdate) (bool, error)
	// MarkHandled notes that the update with key has been handled.
	MarkHandled(ctx context.Context, key string, at time.Time) error
	// Unhandled returns received updates not yet handled, oldest first.
	Unhandled(ctx context.Context) ([]IncomingUpdate, error)
	// PruneHandled deletes updates handled before before; it keeps the
	// collection small while still catching redeliveries of recent ones.
	PruneHandled(ctx context.Context, before time.Time) (int, error)
}
