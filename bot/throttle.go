package bot

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// Telegram's flood limits, as its Bot FAQ states them: in a single chat,
// "avoid sending more than one message per second. We may allow short
// bursts that go over this limit, but eventually you'll begin receiving 429
// errors"; and to many users, "the API will not allow more than 30 messages
// per second or so". go-telegram/bot neither throttles nor retries, so every
// request that puts something into a chat (sendMessage, editMessageText,
// sendPhoto, sendDocument) first waits here for its turn.
//
// Not counted: answerCallbackQuery (it shows a toast and stops the button's
// spinner; it is no message in the chat, and holding it would leave the
// spinner turning), setMyCommands and getFile, which are not messages
// either. Telegram may still refuse them with 429: call waits that out.
//
// The numbers, and why:
//
//   - 29 a second for the whole bot, evenly spaced (one every 34.5 ms, no
//     burst). 31 sends then span at least 30 × 34.5 ms − lag = 1.03 s as
//     they leave, so Telegram counts at most 30 within a second even when a
//     request reaches it up to 29 ms sooner after the one before than it
//     left. A burst on top of the rate would put more than 30 into some
//     second. 29 is 96.7 % of 30, above the 95 % a reminder wave must
//     reach; the even spacing costs an answer at most 34.5 ms per other send
//     that goes out at the same moment.
//   - 1 a second per chat after a burst of 3: an answer is often two or three
//     messages (a picture, its text and a file; a long text in parts), which
//     must not be held a second apart, and Telegram allows short bursts.
//     After the burst a chat gets one message a second, counted from when
//     Telegram answered the previous one, not from when it left: a request
//     slowed on its way then still reaches Telegram a second after the one
//     before it.
//
// Sends that answer a user's update go before the bot's own notifications
// (reminders): a reminder wave that keeps the bot at its limit for minutes
// does not hold the answers of the users who are talking to it. Among
// equals, a chat's send keeps the place of the send before it while the
// chat is busy (a send to it went within the last second): when many
// answers wait at once, each arrives whole before the next starts, rather
// than all of them one message at a time.
const (
	DefaultPerSecond = 29
	DefaultPerChat   = 1
	DefaultChatBurst = 3
)

// lag is how late a send may go (its timer fired late) and still keep its
// place in the even spacing, so that late timers do not lower the rate.
// A send that went late brings the next one closer by as much: at 29 a
// second any second may then hold 30 sends as they leave, never 31.
const lag = 5 * time.Millisecond

// Limits are the rates at which the bot sends. The zero value keeps inside
// Telegram's limits (the defaults above).
type Limits struct {
	// PerSecond is the most messages a second to all chats together.
	PerSecond float64
	// PerChat is the most messages a second to one chat once a burst of
	// ChatBurst messages has gone out.
	PerChat   float64
	ChatBurst int
	// Off sends at once, however fast: for tests of other things against a
	// fake Bot API that enforces no limits. A pause Telegram asks for with
	// a 429 is still kept.
	Off bool
}

// clock is the time the throttle waits by; tests drive a fake one.
type clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) stopper
}

type stopper interface{ Stop() bool }

type realClock struct{}

func (realClock) Now() time.Time                              { return time.Now() }
func (realClock) AfterFunc(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) }

// priority orders the sends that wait: lower goes first.
type priority int

const (
	answer priority = iota // part of the answer to a user's update
	notice                 // the bot speaks first (reminders, digests)
)

// throttle lets each send go when both the bot's and the chat's limits
// allow it, and keeps the pauses Telegram asks for with a 429.
//
// Both limits are GCRA (a token bucket kept as one time, the theoretical
// arrival time of the next send): a send may go once now is no earlier than
// that time less the burst's tolerance, and moves it on by the interval.
// Waiting sends are granted by whoever changes the state (a new send, or a
// timer at the earliest moment one of them may go), by priority, then by
// their chat's place in the queue, then in the order they came. A send within the limits goes at once, without a
// timer or another goroutine.
type throttle struct {
	clock     clock
	perSecond float64       // the bot's rate, for all its processes together (0: off)
	every     time.Duration // between two sends of this process
	chatEvery time.Duration // between two sends to one chat, after the burst
	chatSlack time.Duration // how far ahead a chat may run: (burst-1) × chatEvery
	lag       time.Duration // see lag; a quarter of every at most

	mu     sync.Mutex
	next   time.Time // the bot may send from then on
	paused time.Time // the whole bot waits until then (a 429 for the bot)
	chats  map[int64]*pace
	queue  []*waiter // in arrival order
	seq    uint64
	// timer wakes the queue at wakeAt; gen tells a stale timer's call
	// from the current one's.
	timer  stopper
	wakeAt time.Time
	gen    uint64
	swept  time.Time
	// lastFlood is when the last 429 came, and for which chat.
	lastFlood     time.Time
	lastFloodChat int64
	// window is the most sends Telegram may count in one second; recent
	// the sends it may still count: in flight, or answered within the
	// last second (see mayCount).
	window int
	recent []*flight
}

// flight is one send let go: whether Telegram has answered it, and when.
type flight struct {
	answered time.Time // zero while in flight
}

// pace is what the throttle knows of one chat. It is dropped once the chat
// is idle (nothing waiting or in flight, its burst refilled, no pause), so
// memory follows the chats of the last few seconds, not all chats ever.
type pace struct {
	tat      time.Time // the chat's next send is due then; up to chatSlack earlier is allowed
	paused   time.Time // a 429 for this chat: nothing before then
	last     time.Time // when the last send to the chat was let go
	waiting  int
	inflight int
	ticket   uint64 // the place in the queue of the chat's sends while it is busy
}

type waiter struct {
	chat    int64
	prio    priority
	ticket  uint64        // lower goes first, within a priority
	ready   chan struct{} // closed when granted
	granted bool
	slot    slot
}

// slot is a send let go: the chat, when, and when the chat's send before
// it went (zero if the chat had been idle).
type slot struct {
	chat     int64
	at, prev time.Time
	flight   *flight
}

func newThrottle(l Limits, c clock) *throttle {
	if c == nil {
		c = realClock{}
	}
	t := &throttle{clock: c, chats: map[int64]*pace{}}
	if l.Off {
		return t
	}
	perSecond := l.PerSecond
	if perSecond <= 0 {
		perSecond = DefaultPerSecond
	}
	perChat := l.PerChat
	if perChat <= 0 {
		perChat = DefaultPerChat
	}
	burst := l.ChatBurst
	if burst <= 0 {
		burst = DefaultChatBurst
	}
	t.perSecond = perSecond
	t.setRate(perSecond)
	t.chatEvery = interval(perChat)
	t.chatSlack = time.Duration(burst-1) * t.chatEvery
	return t
}

// setRate sets the rate of this process's sends. Callers hold t.mu, or
// have not shared t yet.
func (t *throttle) setRate(perSecond float64) {
	t.every = interval(perSecond)
	t.window = 0
	if !math.IsInf(perSecond, 1) {
		t.window = int(math.Ceil(perSecond)) + 1
	}
	t.lag = min(lag, t.every/4)
}

// share makes this process send at its part of the bot's rate when
// processes share the bot: each gets an equal part, so that together they
// keep inside Telegram's limit for the bot. Per-chat limits need no
// sharing: a chat's answers come from the process that holds its lease.
func (t *throttle) share(processes int) {
	if t.perSecond == 0 || processes < 1 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.setRate(t.perSecond / float64(processes))
}

func interval(perSecond float64) time.Duration {
	return time.Duration(math.Ceil(float64(time.Second) / perSecond))
}

// wait returns when a send to chat may go, or with ctx's error. The caller
// must call done with the slot once Telegram has answered.
func (t *throttle) wait(ctx context.Context, chat int64, prio priority) (slot, error) {
	if err := ctx.Err(); err != nil {
		return slot{}, err
	}
	w := &waiter{chat: chat, prio: prio, ready: make(chan struct{})}
	t.mu.Lock()
	p := t.pace(chat)
	if p.waiting == 0 && p.inflight == 0 && t.clock.Now().Sub(p.last) >= time.Second {
		t.seq++
		p.ticket = t.seq
	}
	w.ticket = p.ticket
	p.waiting++
	t.queue = append(t.queue, w)
	t.dispatch()
	granted := w.granted
	t.mu.Unlock()
	if granted {
		return w.slot, nil
	}
	select {
	case <-w.ready:
		return w.slot, nil
	case <-ctx.Done():
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if w.granted { // at the same moment: the slot is spent
		t.finish(w.slot)
	} else {
		t.queue = slices.DeleteFunc(t.queue, func(q *waiter) bool { return q == w })
		t.pace(chat).waiting--
		t.dispatch() // it may have held back others of lower priority
	}
	return slot{}, ctx.Err()
}

// done records that Telegram answered the send of s: the chat's next send
// is due a chatEvery from now at the earliest, after its burst.
func (t *throttle) done(s slot) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.finish(s)
}

func (t *throttle) finish(s slot) {
	now := t.clock.Now()
	p := t.pace(s.chat)
	p.inflight--
	if due := now.Add(t.chatEvery); due.After(p.tat) {
		p.tat = due
	}
	if s.flight != nil {
		s.flight.answered = now
		// A full window waited for a send in flight: the time it may go
		// is known now.
		if t.window > 0 && len(t.queue) > 0 {
			t.arm(now)
		}
	}
}

// Telegram counts a send when it arrives, which is some time after it left
// and before its answer came back. Evenly spaced departures keep the count
// of any second at 29 only if they arrive as evenly; a few held up on the
// way (a new connection, a pause of the process) and then arriving together
// make 31, and a 429 (measured: one in a wave of 10,000 on loopback). So a
// send is let go only while fewer than window sends could still be counted
// with it: those in flight, and those answered less than a second ago. A
// send answered before that arrived before that too. With answers that
// take r seconds this caps the rate at window/(1+r): no limit on loopback
// (29 a second holds), 25 a second at 200 ms.

// windowFull reports whether window sends may still be counted at now,
// and drops those that no longer may. Callers hold t.mu.
func (t *throttle) windowFull(now time.Time) bool {
	if t.window == 0 {
		return false
	}
	t.recent = slices.DeleteFunc(t.recent, func(f *flight) bool {
		return !f.answered.IsZero() && !now.Before(f.answered.Add(time.Second))
	})
	return len(t.recent) >= t.window
}

// windowFrees is when a full window next has room, or zero if only an
// answer in flight can make it. Callers hold t.mu.
func (t *throttle) windowFrees() time.Time {
	var at time.Time
	for _, f := range t.recent {
		if f.answered.IsZero() {
			continue
		}
		if free := f.answered.Add(time.Second); at.IsZero() || free.Before(at) {
			at = free
		}
	}
	return at
}

// flooded records a 429 that Telegram answered to the send of s, asking
// to wait d, and pauses what it takes the limit to be: that chat's, or the
// whole bot's. It is the bot's when the chat had sent nothing in the second
// before (its own 1 a second cannot have been broken), or when another
// chat got a 429 within the last second (several chats refused at once);
// otherwise the chat's. It reports whether it paused the whole bot.
func (t *throttle) flooded(s slot, d time.Duration) (whole bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	whole = s.prev.IsZero() || s.at.Sub(s.prev) >= time.Second ||
		!t.lastFlood.IsZero() && t.lastFloodChat != s.chat && now.Sub(t.lastFlood) < time.Second
	t.lastFlood, t.lastFloodChat = now, s.chat
	until := now.Add(d)
	if whole {
		t.paused = later(t.paused, until)
	} else {
		p := t.pace(s.chat)
		p.paused = later(p.paused, until)
	}
	// Nothing becomes allowed earlier: no dispatch. A waiting send whose
	// timer fires before the pause ends waits on.
	return whole
}

// pace returns the chat's state, creating it. Callers hold t.mu.
func (t *throttle) pace(chat int64) *pace {
	p := t.chats[chat]
	if p == nil {
		p = &pace{}
		t.chats[chat] = p
	}
	return p
}

// botReady is when the bot may send next. Callers hold t.mu.
func (t *throttle) botReady() time.Time { return later(t.next, t.paused) }

// chatReady is when the chat may get its next send. Callers hold t.mu.
func (t *throttle) chatReady(p *pace) time.Time { return later(p.tat.Add(-t.chatSlack), p.paused) }

// dispatch lets go every waiting send that may go now, best first, and
// sets the timer for the next one. Callers hold t.mu.
func (t *throttle) dispatch() {
	now := t.clock.Now()
	t.sweep(now)
	for len(t.queue) > 0 && !now.Before(t.botReady()) && !t.windowFull(now) {
		best := -1
		for i, w := range t.queue {
			if now.Before(t.chatReady(t.chats[w.chat])) {
				continue
			}
			if best < 0 || ahead(w, t.queue[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		t.grant(t.queue[best], now)
		t.queue = slices.Delete(t.queue, best, best+1)
	}
	t.arm(now)
}

// ahead reports whether a goes before b: by priority, then ticket; the
// queue's order (arrival) breaks ties.
func ahead(a, b *waiter) bool {
	return a.prio < b.prio || a.prio == b.prio && a.ticket < b.ticket
}

func (t *throttle) grant(w *waiter, now time.Time) {
	p := t.chats[w.chat]
	// A send let go a little late (its timer fired late) keeps its place in
	// the even spacing; otherwise every late timer would lower the rate.
	if now.Sub(t.next) <= t.lag {
		t.next = t.next.Add(t.every)
	} else {
		t.next = now.Add(t.every)
	}
	p.tat = later(p.tat, now).Add(t.chatEvery)
	w.slot = slot{chat: w.chat, at: now, prev: p.last}
	if t.window > 0 {
		w.slot.flight = &flight{}
		t.recent = append(t.recent, w.slot.flight)
	}
	p.last = now
	p.waiting--
	p.inflight++
	w.granted = true
	close(w.ready)
}

// arm sets the timer for the earliest moment a waiting send may go, unless
// it is set for that moment or before. Callers hold t.mu.
func (t *throttle) arm(now time.Time) {
	if len(t.queue) == 0 {
		if t.timer != nil {
			t.timer.Stop()
			t.timer = nil
		}
		return
	}
	var at time.Time
	for i, w := range t.queue {
		if r := t.chatReady(t.chats[w.chat]); i == 0 || r.Before(at) {
			at = r
		}
	}
	at = later(at, t.botReady())
	if t.windowFull(now) {
		free := t.windowFrees()
		if free.IsZero() {
			return // the next answer arms it (finish)
		}
		at = later(at, free)
	}
	if t.timer != nil && !t.wakeAt.After(at) {
		return
	}
	if t.timer != nil {
		t.timer.Stop()
	}
	t.gen++
	gen := t.gen
	t.wakeAt = at
	t.timer = t.clock.AfterFunc(at.Sub(now), func() { t.wake(gen) })
}

func (t *throttle) wake(gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen != t.gen {
		return // stopped too late; the current timer does the work
	}
	t.timer = nil
	t.dispatch()
}

// sweep drops, at most once a second, the state of idle chats. Callers
// hold t.mu.
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < time.Second {
		return
	}
	t.swept = now
	for id, p := range t.chats {
		if p.waiting == 0 && p.inflight == 0 && !p.tat.After(now) && !p.paused.After(now) {
			delete(t.chats, id)
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
