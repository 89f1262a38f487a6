package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fieldlog"
)

// forgetter deletes handled updates from the inbox in batches: one delete
// for many updates, instead of one per update (on the embedded server each
// write is an SQLite commit and a sync to disk).
//
// Forgetting late is safe because each user's conversation remembers the
// last fieldlog.MaxApplied updates it applied: one handled again after a
// crash is skipped. That holds only while a chat has fewer handled but
// unforgotten updates than that, so a chat that reaches perChat of them
// waits for them to be forgotten before it goes on.
type forgetter struct {
	inbox fieldlog.Inbox
	log   *slog.Logger
	// every is how long a handled update may wait; perChat bounds them per
	// chat (below fieldlog.MaxApplied), batch bounds a delete.
	every   time.Duration
	perChat int
	batch   int

	mu      sync.Mutex
	handled []handled
	chats   map[int64]int // handled per chat
	flushMu sync.Mutex    // one delete at a time, so a key is deleted once
	kick    chan struct{}
}

type handled struct {
	chat int64
	key  string
}

func newForgetter(inbox fieldlog.Inbox, log *slog.Logger) *forgetter {
	return &forgetter{inbox: inbox, log: log, every: time.Second, perChat: fieldlog.MaxApplied / 2, batch: 200,
		chats: map[int64]int{}, kick: make(chan struct{}, 1)}
}

// add notes that the update key of chat has been handled. It returns at
// once, unless the chat has perChat updates waiting to be forgotten: then
// it forgets them first.
func (f *forgetter) add(ctx context.Context, chat int64, key string) {
	f.mu.Lock()
	f.handled = append(f.handled, handled{chat, key})
	f.chats[chat]++
	full, many := f.chats[chat] >= f.perChat, len(f.handled) >= f.batch
	f.mu.Unlock()
	switch {
	case full:
		f.flush(ctx)
	case many:
		select {
		case f.kick <- struct{}{}:
		default:
		}
	}
}

// run forgets handled updates now and then until ctx ends, and then once
// more, within a second (a stop must end within 10 s; what is not
// forgotten then is skipped as applied at the next start).
func (f *forgetter) run(ctx context.Context) {
	tick := time.NewTicker(f.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			f.flush(final)
			cancel()
			return
		case <-tick.C:
		case <-f.kick:
		}
		f.flush(ctx)
	}
}

// flush deletes the updates noted so far. After a failure they are kept
// for the next try; the worst case is that they are handled again at the
// next start, and skipped.
func (f *forgetter) flush(ctx context.Context) {
	f.flushMu.Lock()
	defer f.flushMu.Unlock()
	f.mu.Lock()
	batch := f.handled
	f.handled = nil
	clear(f.chats)
	f.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	keys := make([]string, len(batch))
	for i, h := range batch {
		keys[i] = h.key
	}
	if err := f.inbox.Done(ctx, keys...); err != nil {
		f.log.Error("forget handled updates", "count", len(keys), "err", err)
		f.mu.Lock()
		f.handled = append(batch, f.handled...)
		for _, h := range batch {
			f.chats[h.chat]++
		}
		f.mu.Unlock()
	}
}
