package bot

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
)

// failingInbox refuses to record while down is set.
type failingInbox struct {
	*memInbox
	down atomic.Bool
}

func (f *failingInbox) ReceiveAll(ctx context.Context, us []fieldlog.IncomingUpdate) ([]bool, error) {
	if f.down.Load() {
		return nil, errors.New("store unreachable")
	}
	return f.memInbox.ReceiveAll(ctx, us)
}

// A batch that cannot be recorded is not confirmed to Telegram: it is asked
// for again, and handled once the store is back, once.
func TestTelegramConfirmsOnlyWhatIsRecorded(t *testing.T) {
	srv := bottest.New(t)
	inbox := &failingInbox{memInbox: newMemInbox()}
	inbox.down.Store(true)
	engine := &stubEngine{}
	run(t, srv, inbox, engine)

	id := srv.SendText(userA, "while down")
	time.Sleep(1500 * time.Millisecond) // a first try, its pause, and a second
	if c := srv.Confirmed(); c > id {
		t.Fatalf("offset %d confirms update %d, which was never recorded", c, id)
	}
	if n := len(engine.seen(0)); n != 0 {
		t.Fatalf("the engine saw %d updates that were not recorded", n)
	}
	inbox.down.Store(false)
	srv.WaitText(t, userA.ID, "echo: while down")
	srv.WaitConfirmed(t, id)
	srv.SendText(userA, "after")
	srv.WaitText(t, userA.ID, "echo: after")
	if got := engine.texts(userA.ID); !slices.Equal(got, []string{"while down", "after"}) {
		t.Errorf("engine saw %q, want each update once", got)
	}
}

// doneCounter counts the updates forgotten, and in how many deletes.
type doneCounter struct {
	fieldlog.Inbox
	mu    sync.Mutex
	calls int
	keys  []string
}

func (d *doneCounter) Done(_ context.Context, keys ...string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	d.keys = append(d.keys, keys...)
	return nil
}

// Handled updates are forgotten many at once; a chat never has as many
// unforgotten as its conversation remembers, so a replay is always caught.
func TestForgetterBatchesAndBoundsEachChat(t *testing.T) {
	d := &doneCounter{}
	f := newForgetter(d, slog.New(slog.DiscardHandler))
	f.every = time.Hour // only the bounds flush here
	ctx := context.Background()
	for i := range f.perChat - 1 {
		f.add(ctx, 1, key(int64(i)))
		f.add(ctx, 2, key(int64(100+i)))
	}
	if d.calls != 0 {
		t.Fatalf("%d deletes before any chat reached its bound", d.calls)
	}
	f.add(ctx, 1, key(99)) // chat 1 reaches perChat
	if d.calls != 1 || len(d.keys) != 2*(f.perChat-1)+1 {
		t.Fatalf("after chat 1 reached its bound: %d deletes of %d keys, want one of all %d", d.calls, len(d.keys), 2*(f.perChat-1)+1)
	}
	if f.perChat >= fieldlog.MaxApplied {
		t.Errorf("a chat may keep %d unforgotten updates; its conversation remembers only %d", f.perChat, fieldlog.MaxApplied)
	}
	// The rest goes at the stop.
	f.add(ctx, 3, key(500))
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { f.run(runCtx); close(done) }()
	stop()
	<-done
	if !slices.Contains(d.keys, key(500)) {
		t.Error("an update handled before the stop was not forgotten at the stop")
	}
}
