package bot

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"fieldlog"
)

// Several processes, one inbox. Behind a load balancer, one chat's
// updates reach different processes; each records what it gets in the
// shared inbox, and a chat's updates are handled by whichever process
// holds the chat's lease, one after another in Telegram's order, straight
// from the inbox. A process that cannot take the lease leaves its update
// to the holder, which reads the inbox again before it lets go; if the
// holder let go before the update was recorded, the process takes the
// lease itself on its next try. A holder that dies loses the lease when it
// lapses, and the sweep of the other processes picks up what it left.

// Lease timing: a lease lasts leaseTTL and is renewed every leaseTTL/3 by
// its holder, so that a long turn (a report) keeps it; a dead holder's
// lease lapses after leaseTTL.
const (
	leaseTTL = 30 * time.Second
	// defaultSweepEvery is how often a process looks for updates nobody
	// handles (their process died), and defaultSweepAge how old they must
	// be: older than a lease lasts.
	defaultSweepEvery = 30 * time.Second
	defaultSweepAge   = leaseTTL + 5*time.Second
)

// handleShared handles the waiting updates of chat, key among them, under
// the chat's lease. While another process holds the lease it tries again:
// that process may handle key meanwhile (then the inbox no longer has it
// when this one reads), or may have read the inbox before key was
// recorded; either way key is handled, once, in its place.
func (t *Telegram) handleShared(chat int64, key string) {
	ctx := t.handling
	pause := 10 * time.Millisecond
	for ctx.Err() == nil {
		ok, err := t.leases.AcquireChat(ctx, chat, t.holder, leaseTTL)
		if err != nil {
			t.log.Warn("take a chat's lease", "chat", chat, "err", err)
		}
		if ok {
			t.drainHeld(ctx, chat)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause = min(2*pause, 500*time.Millisecond)
	}
}

// drainHeld handles, while holding chat's lease, what of the chat waits
// in the inbox; then it lets the lease go. It reads the inbox once: an
// update recorded later has a job of its own, in the process that
// recorded it, which takes the lease next.
func (t *Telegram) drainHeld(ctx context.Context, chat int64) {
	keep, lost := t.keepLease(ctx, chat)
	defer func() {
		// Handled updates leave the inbox before another process may
		// take the chat.
		t.forget.flush(ctx)
		keep()
		release, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		if err := t.leases.ReleaseChat(release, chat, t.holder); err != nil {
			t.log.Warn("let a chat's lease go; it lapses", "chat", chat, "err", err)
		}
	}()
	us, err := t.inbox.UnhandledIn(ctx, chat)
	if err != nil {
		t.log.Error("read waiting updates of a chat", "chat", chat, "err", err)
		return
	}
	// An update in hand when the lease is lost is cut short: the process
	// that took the chat handles it.
	held, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(lost, cancel)()
	// After waiting for the store, an update is tried again only if this
	// process still has the chat, or has it again, and the update still
	// waits: the process that had the chat meanwhile may have handled it.
	var current string // the key in hand
	stillHeld := func(ctx context.Context) bool {
		ok, err := t.leases.AcquireChat(ctx, chat, t.holder, leaseTTL)
		if err != nil || !ok {
			return false
		}
		waiting, err := t.inbox.UnhandledIn(ctx, chat)
		return err == nil && slices.ContainsFunc(waiting, func(u fieldlog.IncomingUpdate) bool { return u.Key == current })
	}
	for _, u := range us {
		if held.Err() != nil {
			return
		}
		var upd update
		if err := json.Unmarshal(u.Payload, &upd); err != nil {
			t.log.Error("unreadable stored update; dropped", "key", u.Key, "err", err)
			t.done(ctx, u.Key)
			continue
		}
		current = u.Key
		t.handleIn(held, u.Key, &upd, stillHeld)
	}
}

// keepLease renews chat's lease until keep is called; lost ends if a
// renewal finds the lease taken by another holder.
func (t *Telegram) keepLease(ctx context.Context, chat int64) (keep func(), lost context.Context) {
	lost, lose := context.WithCancel(context.Background())
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(leaseTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			ok, err := t.leases.AcquireChat(ctx, chat, t.holder, leaseTTL)
			switch {
			case err != nil:
				t.log.Warn("renew a chat's lease", "chat", chat, "err", err)
			case !ok:
				t.log.Error("a chat's lease was taken by another process; stopping its updates here", "chat", chat)
				lose()
				return
			}
		}
	}()
	return func() { close(stop); <-done; lose() }, lost
}

// sweep queues, every t.sweepEvery until ctx ends, the updates that have
// waited longer than t.sweepAge: their process died before handling them,
// and no new update of their chat came to start another.
func (t *Telegram) sweep(ctx context.Context) {
	t.background.Add(1)
	go func() {
		defer t.background.Done()
		tick := time.NewTicker(t.sweepEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			us, err := t.inbox.Unhandled(ctx)
			if err != nil {
				t.log.Warn("look for updates nobody handles", "err", err)
				continue
			}
			for _, u := range us {
				if time.Since(u.ReceivedAt) > t.sweepAge {
					t.queue(u)
				}
			}
		}
	}()
}

// defaultBeatEvery is how often a process says it is alive; it counts as
// alive for three beats.
const defaultBeatEvery = 10 * time.Second

// beat tells the peers this process is alive until ctx ends, and sends at
// the part of the bot's rate that the live processes leave it; at the end
// it tells them it stops.
func (t *Telegram) beat(ctx context.Context) {
	t.background.Add(1)
	go func() {
		defer t.background.Done()
		shared := 1
		once := func() {
			n, err := t.peers.Beat(ctx, t.holder, 3*t.beatEvery)
			if err != nil {
				t.log.Warn("tell the other processes this one is alive", "err", err)
				return
			}
			if n = max(n, 1); n != shared {
				t.log.Info("processes sharing the bot's send rate", "processes", n)
				shared = n
				t.throttle.share(n)
			}
		}
		once()
		tick := time.NewTicker(t.beatEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				bye, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
				defer cancel()
				if _, err := t.peers.Beat(bye, t.holder, 0); err != nil {
					t.log.Warn("tell the other processes this one stops", "err", err)
				}
				return
			case <-tick.C:
				once()
			}
		}
	}()
}
