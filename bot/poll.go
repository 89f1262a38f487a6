package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"

	"fieldlog"
)

// The bot receives updates by long polling of its own rather than
// go-telegram/bot's, which confirms an update (asks for the next offset)
// as soon as its worker has taken it, before it is recorded, and hands the
// updates over one at a time. Here a whole batch is recorded in the inbox
// in one write, and only then confirmed by the next getUpdates.

// allowedUpdates are the kinds of update the bot handles.
var allowedUpdates = []string{"message", "callback_query"}

// poller asks the Bot API for updates.
type poller struct {
	url     string // .../bot<token>/getUpdates
	client  *http.Client
	timeout time.Duration
}

// getUpdatesResponse is the Bot API's answer to getUpdates.
type getUpdatesResponse struct {
	OK          bool      `json:"ok"`
	Result      []*update `json:"result"`
	ErrorCode   int       `json:"error_code"`
	Description string    `json:"description"`
}

// errNoUpdates is not an error: the long poll ended without updates.
var errNoUpdates = errors.New("no updates")

// get waits up to the poll timeout for updates from offset on.
func (p *poller) get(ctx context.Context, offset int64) ([]*update, error) {
	body, err := json.Marshal(map[string]any{
		"offset": offset, "timeout": int(p.timeout / time.Second), "allowed_updates": allowedUpdates,
	})
	if err != nil {
		return nil, fmt.Errorf("encode getUpdates: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		// The URL holds the token: say only what failed.
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) {
			err = ue.Unwrap()
		}
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read getUpdates: %w", err)
	}
	var r getUpdatesResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decode getUpdates (HTTP %d): %w", resp.StatusCode, err)
	}
	if !r.OK {
		return nil, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
	}
	if len(r.Result) == 0 {
		return nil, errNoUpdates
	}
	return r.Result, nil
}

// poll receives updates until ctx ends. A batch that cannot be recorded is
// not confirmed: Telegram keeps it and it is asked for again after a
// pause, so that a store that is down loses nothing.
func (t *Telegram) poll(ctx context.Context) error {
	// A webhook left from a run in webhook mode makes Telegram refuse
	// getUpdates; deleting it keeps the updates waiting for it.
	if err := t.call(ctx, func() error { _, err := t.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); return err }); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting: not a failure
		}
		return fmt.Errorf("delete the webhook before polling: %w", err)
	}
	t.running.Store(true)
	var offset int64
	pause := time.Duration(0)
	for ctx.Err() == nil {
		if pause > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(pause):
			}
		}
		batch, err := t.poller.get(ctx, offset)
		switch {
		case errors.Is(err, errNoUpdates):
			pause = 0
			continue
		case err != nil:
			if ctx.Err() != nil {
				return nil
			}
			pause = min(max(2*pause, time.Second), 30*time.Second)
			t.log.Warn("receive updates", "err", err, "retry_in", pause)
			continue
		}
		if err := t.receive(t.handling, batch); err != nil {
			// The store is down: short pauses, so that the waiting are
			// answered soon after it is back.
			pause = min(max(2*pause, time.Second), 5*time.Second)
			t.log.Error("record updates; asking for them again", "count", len(batch), "err", err, "retry_in", pause)
			continue
		}
		pause = 0
		offset = batch[len(batch)-1].ID + 1
		for _, u := range batch {
			offset = max(offset, u.ID+1)
		}
	}
	return nil
}

// receive records a batch of updates in the inbox and queues the fresh
// ones on their chats' lanes, in the order Telegram sent them.
func (t *Telegram) receive(ctx context.Context, batch []*update) error {
	var (
		us   []fieldlog.IncomingUpdate
		upds []*update
	)
	now := time.Now()
	for _, upd := range batch {
		chat := chatOf(upd)
		if chat == 0 {
			t.log.Debug("update ignored: not from a private chat", "update", upd.ID)
			continue
		}
		payload, err := json.Marshal(upd)
		if err != nil {
			t.log.Error("encode update; dropped", "update", upd.ID, "err", err)
			continue
		}
		us = append(us, fieldlog.IncomingUpdate{Key: updateKey(upd.ID), Seq: upd.ID, ChatID: chat, Payload: payload, ReceivedAt: now})
		upds = append(upds, upd)
	}
	fresh, err := t.inbox.ReceiveAll(ctx, us)
	if err != nil {
		return err
	}
	for i, u := range us {
		upd := upds[i]
		if fresh[i] {
			t.observe.UpdateReceived(kindOf(upd))
		} else {
			// Delivered again while it waits: recorded before, but perhaps
			// by a write whose answer was lost (an error here, so Telegram
			// sent it again), and so never queued. Queued now: a lane
			// skips a key it holds, and the engine one it applied.
			t.log.Info("update delivered again while waiting", "key", u.Key)
		}
		t.lanes.push(u.ChatID, u.Key, t.job(u.ChatID, u.Key, upd), func() { t.sayBusy(u.ChatID) })
	}
	return nil
}

// getUpdatesURL is the getUpdates method of the Bot API at base.
func getUpdatesURL(base, token string) string {
	if base == "" {
		base = "https://api.telegram.org"
	}
	return strings.TrimRight(base, "/") + "/bot" + token + "/getUpdates"
}
