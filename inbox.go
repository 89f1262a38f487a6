package fieldlog

import (
	"context"
	"time"
)

// IncomingUpdate is one update received from a messaging channel, recorded
// before it is handled so that one interrupted by a stop or a crash is
// handled at the next start. Once handled it is forgotten: the user's
// conversation remembers which updates it has applied (Conversation.Applied),
// so the inbox holds only what is still to do and stays small.
type IncomingUpdate struct {
	Key string // channel-specific and unique, e.g. "tg:812345"
	// Seq orders the updates of a channel as the channel sent them
	// (Telegram's update_id); the inbox returns them in this order.
	Seq        int64
	ChatID     int64
	Payload    []byte // the channel's own encoding of the update
	ReceivedAt time.Time
}

// Inbox records incoming updates until they are handled.
type Inbox interface {
	// Receive records the update. It returns false, and records nothing,
	// when an update with the same key is already waiting.
	Receive(ctx context.Context, u IncomingUpdate) (bool, error)
	// ReceiveAll records a batch of updates in one write where the store
	// can, and says of each whether it was fresh (not already waiting).
	// After an error none may be taken as recorded.
	ReceiveAll(ctx context.Context, us []IncomingUpdate) ([]bool, error)
	// Done forgets the updates with keys, which have been handled; no error
	// for a key that is not there.
	Done(ctx context.Context, keys ...string) error
	// Unhandled returns every update still waiting, in Seq order.
	Unhandled(ctx context.Context) ([]IncomingUpdate, error)
	// UnhandledIn returns the updates of one chat still waiting, in Seq
	// order.
	UnhandledIn(ctx context.Context, chatID int64) ([]IncomingUpdate, error)
}

// ChatLeases are per-chat leases, kept where every process of the bot
// sees them, so that several processes sharing one Inbox handle each
// chat's updates one at a time, in order.
type ChatLeases interface {
	// AcquireChat takes chat's lease for holder for ttl, or renews it if
	// holder has it. It returns false while another holder has it.
	AcquireChat(ctx context.Context, chatID int64, holder string, ttl time.Duration) (bool, error)
	// ReleaseChat gives up holder's lease of chat; nothing if holder does
	// not have it.
	ReleaseChat(ctx context.Context, chatID int64, holder string) error
}

// Peers are the processes that run one bot together. Each beats now and
// then; the live ones split Telegram's rate for the bot between them.
type Peers interface {
	// Beat notes that holder is alive for ttl from now (ttl 0: it is
	// stopping) and returns how many processes are alive, holder included
	// unless it is stopping.
	Beat(ctx context.Context, holder string, ttl time.Duration) (int, error)
}
