package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"fieldlog/conversation"
)

// ErrBlocked is the error of a send to a chat that cannot be written to:
// Telegram answered 403 (the user blocked the bot, or deleted their
// account). The chat is marked, and nothing more is sent to it, without
// asking Telegram, until the user writes again (Config.OnBlocked). It is
// conversation.ErrUnreachable (errors.Is), as the engine's Notifier
// promises.
var ErrBlocked = fmt.Errorf("bot: Telegram refuses to deliver to the chat (403): %w", conversation.ErrUnreachable)

// ErrStopped is the error of a Notify that the stop of the bot left unsent.
var ErrStopped = errors.New("bot: stopped before the message was sent")

// maxFloodRetries is how often a send refused with 429 is tried again.
const maxFloodRetries = 3

// blockedFor is how long a chat stays marked blocked in memory without a
// new 403. Then one send asks Telegram again: this bounds how long a mark
// outlives its cause when the user wrote to another process of the bot.
const blockedFor = time.Hour

// turnKey marks the context of the handling of one chat's update: its
// value is the chat.
type turnKey struct{}

// answerKey marks a context whose sends answer a user (priority answer).
type answerKey struct{}

func inTurn(ctx context.Context, chat int64) context.Context {
	return context.WithValue(ctx, turnKey{}, chat)
}

func answering(ctx context.Context) context.Context {
	return context.WithValue(ctx, answerKey{}, true)
}

func priorityOf(ctx context.Context) priority {
	if _, ok := ctx.Value(turnKey{}).(int64); ok || ctx.Value(answerKey{}) != nil {
		return answer
	}
	return notice
}

// blockList is the chats that answered 403, with when the mark lapses.
type blockList struct {
	clock clock
	mu    sync.Mutex
	chats map[int64]time.Time
}

func newBlockList(c clock) *blockList { return &blockList{clock: c, chats: map[int64]time.Time{}} }

// has reports whether chat is marked blocked.
func (b *blockList) has(chat int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	until, ok := b.chats[chat]
	return ok && b.clock.Now().Before(until)
}

// mark marks chat blocked and reports whether it was not marked before.
func (b *blockList) mark(chat int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	until, ok := b.chats[chat]
	fresh := !ok || !now.Before(until)
	if fresh && len(b.chats) >= 1024 {
		for id, u := range b.chats { // lapsed marks: memory stays bounded
			if !now.Before(u) {
				delete(b.chats, id)
			}
		}
	}
	b.chats[chat] = now.Add(blockedFor)
	return fresh
}

// clear unmarks chat and reports whether it was marked (even if the mark
// had lapsed: its owner may still keep it).
func (b *blockList) clear(chat int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.chats[chat]
	delete(b.chats, chat)
	return ok
}

// sendTo runs one Bot API request that puts something into chat, and
// returns the message it made (nil for none). The request waits for its
// turn under Telegram's limits; a 429 pauses the chat, or the whole bot,
// for retry_after and the request is tried again; a 403 marks the chat
// blocked. A chat marked blocked is not asked: ErrBlocked.
func (t *Telegram) sendTo(ctx context.Context, chat int64, req func() (*models.Message, error)) (*models.Message, error) {
	prio := priorityOf(ctx)
	for try := 0; ; try++ {
		if t.blocked.has(chat) {
			return nil, ErrBlocked
		}
		s, err := t.throttle.wait(ctx, chat, prio)
		if err != nil {
			return nil, err
		}
		m, err := req()
		t.throttle.done(s)
		var flood *tg.TooManyRequestsError
		switch {
		case errors.As(err, &flood) && try < maxFloodRetries:
			t.observe.TooManyRequests()
			wait := max(time.Duration(flood.RetryAfter)*time.Second, time.Second)
			whole := t.throttle.flooded(s, wait)
			t.log.Warn("telegram flood limit; waiting", "chat", chat, "retry_after", flood.RetryAfter, "whole_bot", whole)
			continue
		case errors.Is(err, tg.ErrorForbidden):
			t.observe.Sent(err)
			t.markBlocked(ctx, chat, err)
			return nil, fmt.Errorf("%w: %w", ErrBlocked, err)
		case err != nil:
			switch {
			case errors.As(err, &flood):
				t.observe.TooManyRequests()
				t.observe.Sent(err)
			case ctx.Err() != nil: // a stop: not a failure of the send
			case strings.Contains(err.Error(), "message is not modified"):
				t.observe.Sent(nil) // an edit to what the message already says
			default:
				t.observe.Sent(err)
			}
			return nil, err // go-telegram/bot returns an empty message too
		}
		t.observe.Sent(nil)
		return m, nil
	}
}

// markBlocked marks chat blocked after Telegram's 403, and tells
// Config.OnBlocked the first time.
func (t *Telegram) markBlocked(ctx context.Context, chat int64, err error) {
	if !t.blocked.mark(chat) {
		return
	}
	t.log.Info("the user blocked the bot; nothing is sent to the chat until they write", "chat", chat, "err", err)
	if t.onBlocked != nil {
		// The mark must reach the store even if the send that found it was
		// the last thing before a stop.
		cbCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		t.onBlocked(cbCtx, chat)
	}
}

// unblock clears chat's mark when its user writes again, and tells
// Config.OnUnblocked.
func (t *Telegram) unblock(ctx context.Context, chat int64) {
	if !t.blocked.clear(chat) {
		return
	}
	t.log.Info("a user who had blocked the bot writes again", "chat", chat)
	if t.onUnblocked != nil {
		t.onUnblocked(ctx, chat)
	}
}

// noticeSeq numbers notifications, which need unique lane keys.
var noticeSeq atomic.Uint64

// Notify sends r to a chat outside of the answer to one of its updates:
// the engine tells a user whose report must wait, the reminder scheduler
// sends reminders. It returns the id of the (last) message sent.
//
// The message waits for its turn in the chat's lane, behind the updates of
// the chat being handled, so that it never lands between the messages of
// an answer; then it waits for Telegram's limits, behind the answers to
// users. Notify returns once it is sent, or failed: ErrBlocked when the
// chat is marked blocked (no request is made), ErrStopped when the bot
// stopped first, ctx's error when ctx ended first (a notification that has
// not started then is not sent).
//
// Called from within the handling of the chat's own update (with the
// context the engine got), it sends at once: its lane is the caller's.
// Called from within another chat's update, it does not wait for this
// chat's lane, which could be waiting for the caller's, or busy compiling a
// report: the message is queued there and Notify returns 0, nil.
func (t *Telegram) Notify(ctx context.Context, chatID int64, r conversation.Reply) (messageID int, err error) {
	r.Edit = false
	if t.blocked.has(chatID) {
		return 0, ErrBlocked
	}
	if turn, ok := ctx.Value(turnKey{}).(int64); ok {
		if turn == chatID {
			return t.reply(ctx, chatID, 0, r)
		}
		t.queueNotice(t.handling, chatID, r, func(_ int, err error) {
			if err != nil && !errors.Is(err, ErrBlocked) {
				t.log.Warn("send a notification queued by another chat's update", "chat", chatID, "err", err)
			}
		})
		return 0, nil
	}
	type result struct {
		id  int
		err error
	}
	done := make(chan result, 1)
	if !t.queueNotice(ctx, chatID, r, func(id int, err error) { done <- result{id, err} }) {
		return 0, ErrStopped
	}
	select {
	case res := <-done:
		return res.id, res.err
	case <-ctx.Done():
		// The job, if it runs, finds ctx ended and sends nothing.
		return 0, ctx.Err()
	}
}

// queueNotice puts the sending of r on chat's lane; finished gets the
// outcome (ErrStopped if the lane dropped it). It reports whether r was
// queued.
func (t *Telegram) queueNotice(ctx context.Context, chat int64, r conversation.Reply, finished func(int, error)) bool {
	key := "notice:" + strconv.FormatUint(noticeSeq.Add(1), 10)
	return t.lanes.pushNotice(chat, key, func() {
		if t.handling.Err() != nil {
			finished(0, ErrStopped)
			return
		}
		// A stop ends the notification too, once its grace is over.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(t.handling, cancel)()
		if err := ctx.Err(); err != nil {
			finished(0, err)
			return
		}
		finished(t.reply(ctx, chat, 0, r))
	}, func() { finished(0, ErrStopped) })
}
