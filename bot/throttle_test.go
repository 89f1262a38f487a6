package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"testing"
	"time"
)

// ---- a fake clock ----

// fakeClock is a clock that moves only when the test says so; timers fire,
// in order, within Advance.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	late   time.Duration // timers fire that much after their time
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 6, 18, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) stopper {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d + c.late), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves the clock by d, firing each timer due on the way at its
// own time.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		var next *fakeTimer
		for len(c.timers) > 0 {
			t := c.timers[0]
			if t.stopped {
				c.timers = c.timers[1:]
				continue
			}
			if t.at.After(end) {
				break
			}
			next = t
			c.timers = c.timers[1:]
			break
		}
		if next == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		if next.at.After(c.now) {
			c.now = next.at
		}
		next.stopped = true
		c.mu.Unlock()
		next.f()
	}
}

// ---- driving the throttle ----

// sender is one send waiting for its turn.
type sender struct {
	th  *throttle
	w   *waiter // nil if it went at once
	got chan slot
	err chan error
}

// start asks for a send to chat in a goroutine, and returns once the
// throttle has it, granted or queued.
func start(t *testing.T, th *throttle, ctx context.Context, chat int64, prio priority) *sender {
	t.Helper()
	th.mu.Lock()
	before := map[*waiter]bool{}
	for _, w := range th.queue {
		before[w] = true
	}
	th.mu.Unlock()
	s := &sender{th: th, got: make(chan slot, 1), err: make(chan error, 1)}
	go func() {
		sl, err := th.wait(ctx, chat, prio)
		if err != nil {
			s.err <- err
			return
		}
		s.got <- sl
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		select {
		case sl := <-s.got:
			s.got <- sl // went at once
			return s
		default:
		}
		th.mu.Lock()
		for _, w := range th.queue {
			if !before[w] {
				s.w = w
			}
		}
		th.mu.Unlock()
		if s.w != nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatal("the send neither went nor queued")
		}
		time.Sleep(time.Millisecond)
	}
}

// granted returns the slot if the send may go by now. Timers fire within
// Advance, so this is known at once.
func (s *sender) granted() (slot, bool) {
	if s.w == nil {
		sl := <-s.got
		s.got <- sl
		return sl, true
	}
	s.th.mu.Lock()
	defer s.th.mu.Unlock()
	return s.w.slot, s.w.granted
}

// mustGo fails unless the send went at the clock's time now.
func mustGo(t *testing.T, c *fakeClock, s *sender, what string) slot {
	t.Helper()
	sl, ok := s.granted()
	if !ok {
		t.Fatalf("%s: still waiting at %v", what, c.Now().Format("15:04:05.000"))
	}
	if !sl.at.Equal(c.Now()) {
		t.Fatalf("%s: went at %v, want %v", what, sl.at.Format("15:04:05.000"), c.Now().Format("15:04:05.000"))
	}
	return sl
}

func mustWait(t *testing.T, s *sender, what string) {
	t.Helper()
	if sl, ok := s.granted(); ok {
		t.Fatalf("%s: went at %v, want it to wait", what, sl.at.Format("15:04:05.000"))
	}
}

// send is a whole send of an answer that the test expects to go at once:
// wait for the turn, Telegram answers at once.
func send(t *testing.T, th *throttle, chat int64) slot {
	t.Helper()
	// The fake clock stands still: a send that waits would wait forever.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sl, err := th.wait(ctx, chat, answer)
	if err != nil {
		t.Fatalf("a send to chat %d did not go at once: %v", chat, err)
	}
	th.done(sl)
	return sl
}

// ---- the tests ----

// chatOnly leaves the bot's rate out of the way.
var chatOnly = Limits{PerSecond: math.Inf(1)}

// Within the limits nothing waits: three messages to a chat at once, and
// sends to other chats that keep the bot's spacing, go the moment they ask.
func TestThrottleNoWaitWithinLimits(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(chatOnly, c)
	for i := range 3 {
		if sl := send(t, th, 1); !sl.at.Equal(c.Now()) {
			t.Fatalf("message %d of a burst of 3 waited", i+1)
		}
	}
	th = newThrottle(Limits{}, c)
	for chat := int64(2); chat < 100; chat++ {
		c.Advance(interval(DefaultPerSecond))
		if sl := send(t, th, chat); !sl.at.Equal(c.Now()) {
			t.Fatalf("chat %d waited", chat)
		}
	}
	if th.timer != nil {
		t.Error("a timer is set though nothing waits")
	}
}

// After a burst of 3, a chat gets a message a second, counted from when
// Telegram answered the one before: here each answer takes 200 ms, and the
// 4th message goes a second after the 1st was answered.
func TestThrottleSpreadsOneChatAfterItsBurst(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(chatOnly, c)
	t0 := c.Now()
	for i := range 3 {
		s := start(t, th, context.Background(), 1, answer)
		sl := mustGo(t, c, s, fmt.Sprintf("message %d of the burst", i+1))
		c.Advance(200 * time.Millisecond)
		th.done(sl)
	}
	s4 := start(t, th, context.Background(), 1, answer)
	c.Advance(599 * time.Millisecond) // t0 + 1.199 s
	mustWait(t, s4, "4th message")
	c.Advance(time.Millisecond)
	sl := mustGo(t, c, s4, "4th message")
	if got := sl.at.Sub(t0); got != 1200*time.Millisecond {
		t.Errorf("4th message at +%v, want +1.2s", got)
	}
	th.done(sl)
	// From then on, one a second.
	s5 := start(t, th, context.Background(), 1, answer)
	c.Advance(999 * time.Millisecond)
	mustWait(t, s5, "5th message")
	c.Advance(time.Millisecond)
	mustGo(t, c, s5, "5th message")
	// Another chat is not held meanwhile.
	if sl := send(t, th, 2); !sl.at.Equal(c.Now()) {
		t.Error("another chat waited for the busy one")
	}
}

// The bot's sends are spaced evenly at PerSecond: 29 a second, however
// many chats they go to.
func TestThrottleSpacesTheWholeBot(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{}, c)
	every := interval(DefaultPerSecond)
	var senders []*sender
	for chat := int64(1); chat <= 60; chat++ {
		senders = append(senders, start(t, th, context.Background(), chat, notice))
	}
	mustGo(t, c, senders[0], "the first send")
	t0 := c.Now()
	for i, s := range senders[1:] {
		mustWait(t, s, "a send before its turn")
		c.Advance(every)
		sl := mustGo(t, c, s, "a send at its turn")
		if want := t0.Add(time.Duration(i+1) * every); !sl.at.Equal(want) {
			t.Fatalf("send %d at %v, want %v", i+2, sl.at, want)
		}
		th.done(sl)
	}
	// Any one second holds at most 29 of them.
	if n := int(time.Second / every); n != 28 { // 29 sends span 28 intervals
		t.Errorf("%d intervals in a second, want 28", n)
	}
	if rate := float64(len(senders)-1) / c.Now().Sub(t0).Seconds(); rate < 28.5 || rate > 29.001 {
		t.Errorf("rate %.2f/s, want 29", rate)
	}
}

// A send whose timer fires a little late keeps its place, so that late
// timers do not lower the rate.
func TestThrottleLateTimerKeepsTheRate(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{}, c)
	every := interval(DefaultPerSecond)
	c.late = 3 * time.Millisecond
	first := send(t, th, 1)
	var queued []*sender
	for chat := int64(2); chat <= 30; chat++ {
		queued = append(queued, start(t, th, context.Background(), chat, notice))
	}
	c.Advance(2 * time.Second)
	for i, s := range queued {
		sl, ok := s.granted()
		if !ok {
			t.Fatalf("send %d still waits", i+2)
		}
		if want := first.at.Add(time.Duration(i+1)*every + c.late); !sl.at.Equal(want) {
			t.Fatalf("send %d at +%v, want +%v: late timers lowered the rate", i+2, sl.at.Sub(first.at), want.Sub(first.at))
		}
	}
}

// Answers to users go before notifications that wait.
func TestThrottleAnswersGoFirst(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{}, c)
	every := interval(DefaultPerSecond)
	send(t, th, 100) // the bot's slot is taken until +every
	var notices []*sender
	for chat := int64(1); chat <= 5; chat++ {
		notices = append(notices, start(t, th, context.Background(), chat, notice))
	}
	ans := start(t, th, context.Background(), 50, answer)
	c.Advance(every)
	mustGo(t, c, ans, "the answer")
	for _, n := range notices {
		mustWait(t, n, "a notification")
	}
	c.Advance(every)
	mustGo(t, c, notices[0], "the first notification, after the answer")
	mustWait(t, notices[1], "the second notification")
}

// A send whose chat is held does not hold the others.
func TestThrottleHeldChatDoesNotHoldOthers(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(chatOnly, c)
	for range 3 {
		send(t, th, 1)
	}
	held := start(t, th, context.Background(), 1, answer)
	other := start(t, th, context.Background(), 2, notice)
	mustGo(t, c, other, "another chat's send")
	mustWait(t, held, "the held chat's send")
}

// A 429 for a chat that sent just before pauses that chat for retry_after;
// the others go on.
func TestThrottleFloodPausesTheChat(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(chatOnly, c)
	send(t, th, 1)
	c.Advance(100 * time.Millisecond)
	sl := send(t, th, 1)
	if whole := th.flooded(sl, 5*time.Second); whole {
		t.Fatal("a chat that sent 100 ms before was taken for the whole bot's limit")
	}
	retry := start(t, th, context.Background(), 1, answer)
	other := start(t, th, context.Background(), 2, answer)
	mustGo(t, c, other, "another chat")
	c.Advance(5*time.Second - time.Millisecond)
	mustWait(t, retry, "the retry before retry_after")
	c.Advance(time.Millisecond)
	mustGo(t, c, retry, "the retry")
}

// A 429 for a chat that sent nothing in the second before is the whole
// bot's limit, and so are 429s for two chats within a second.
func TestThrottleFloodPausesTheWholeBot(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flood func(t *testing.T, th *throttle, c *fakeClock) bool
	}{
		{"idle chat", func(t *testing.T, th *throttle, c *fakeClock) bool {
			return th.flooded(send(t, th, 1), 3*time.Second)
		}},
		{"two chats", func(t *testing.T, th *throttle, c *fakeClock) bool {
			var sls []slot
			for _, chat := range []int64{1, 1, 3, 3} {
				sls = append(sls, send(t, th, chat))
			}
			if th.flooded(sls[1], 3*time.Second) {
				t.Fatal("the first chat's 429 was taken for the bot's")
			}
			c.Advance(500 * time.Millisecond)
			return th.flooded(sls[3], 2500*time.Millisecond)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeClock()
			th := newThrottle(chatOnly, c)
			t0 := c.Now()
			if !tc.flood(t, th, c) {
				t.Fatal("not taken for the whole bot's limit")
			}
			other := start(t, th, context.Background(), 7, answer)
			c.Advance(t0.Add(3*time.Second).Sub(c.Now()) - time.Millisecond)
			mustWait(t, other, "an unrelated chat during the pause")
			c.Advance(time.Millisecond)
			mustGo(t, c, other, "an unrelated chat after the pause")
		})
	}
}

// A send whose context ends leaves the queue, and lets the others by.
func TestThrottleCancelledSendLeavesTheQueue(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{}, c)
	send(t, th, 1)
	ctx, cancel := context.WithCancel(context.Background())
	gone := start(t, th, ctx, 2, answer)
	next := start(t, th, context.Background(), 3, notice)
	cancel()
	select {
	case err := <-gone.err:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled send still waits")
	}
	c.Advance(interval(DefaultPerSecond))
	mustGo(t, c, next, "the send behind the cancelled one")
	th.mu.Lock()
	defer th.mu.Unlock()
	if len(th.queue) != 0 || th.chats[2].waiting != 0 {
		t.Errorf("queue %d, chat 2 waiting %d after the cancel", len(th.queue), th.chats[2].waiting)
	}
}

// What the throttle keeps of a chat is dropped once the chat is idle:
// memory follows the chats of the last seconds, not all chats ever.
func TestThrottleForgetsIdleChats(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(chatOnly, c)
	for chat := int64(1); chat <= 5000; chat++ {
		send(t, th, chat)
	}
	c.Advance(2 * time.Second)
	send(t, th, 9999) // a send sweeps, at most once a second
	th.mu.Lock()
	n := len(th.chats)
	th.mu.Unlock()
	if n > 1 {
		t.Errorf("%d chats kept after all went idle, want only the one just sent to", n)
	}
}

// Off sends at once, however fast, but keeps a pause Telegram asked for.
func TestThrottleOff(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{Off: true}, c)
	for range 100 {
		if sl := send(t, th, 1); !sl.at.Equal(c.Now()) {
			t.Fatal("a send waited with the limits off")
		}
	}
	sl := send(t, th, 1)
	th.flooded(sl, time.Second)
	s := start(t, th, context.Background(), 1, answer)
	mustWait(t, s, "a send during the pause")
	c.Advance(time.Second)
	mustGo(t, c, s, "a send after the pause")
}

// When many answers wait, a chat's next message keeps the place of the one
// before: each answer arrives whole rather than all of them interleaved.
func TestThrottleAnswerArrivesWhole(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{}, c)
	every := interval(DefaultPerSecond)
	first := send(t, th, 1)
	var others []*sender
	for chat := int64(2); chat <= 5; chat++ {
		others = append(others, start(t, th, context.Background(), chat, answer))
	}
	second := start(t, th, context.Background(), 1, answer) // chat 1's answer goes on
	c.Advance(every)
	th.done(mustGo(t, c, second, "the second message of chat 1's answer"))
	if !c.Now().Equal(first.at.Add(every)) {
		t.Fatal("clock")
	}
	for _, o := range others {
		mustWait(t, o, "another chat's first message")
	}
	c.Advance(every)
	mustGo(t, c, others[0], "the next chat's first message")
	// A chat idle for a second queues anew, behind those that came before.
	th.mu.Lock()
	waitingTicket := others[3].w.ticket
	th.mu.Unlock()
	c.Advance(2 * time.Second)
	send(t, th, 1)
	th.mu.Lock()
	lateTicket := th.chats[1].ticket
	th.mu.Unlock()
	if lateTicket < waitingTicket {
		t.Error("a chat idle for a second kept its old place in the queue")
	}
}

// A chat marked blocked stays so for an hour without news, then one send
// asks Telegram again; clearing reports a mark even once it lapsed.
func TestBlockListLapses(t *testing.T) {
	c := newFakeClock()
	b := newBlockList(c)
	if !b.mark(1) || b.mark(1) {
		t.Fatal("mark reports a fresh mark once")
	}
	if !b.has(1) || b.has(2) {
		t.Fatal("has")
	}
	c.Advance(blockedFor)
	if b.has(1) {
		t.Error("the mark did not lapse after an hour")
	}
	if !b.mark(1) {
		t.Error("a lapsed mark, marked again, is not reported fresh")
	}
	c.Advance(2 * blockedFor)
	if !b.clear(1) || b.clear(1) {
		t.Error("clear reports a lapsed mark once")
	}
}

// Telegram counts a send when it arrives. Sends that left evenly spaced
// but are held up on the way may arrive together, so a send goes only
// while fewer than 30 could still be counted with it: those in flight and
// those answered within the last second.
func TestThrottleWindowCountsSendsInFlight(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{}, c)
	every := interval(DefaultPerSecond)
	var slots []slot
	for chat := int64(1); chat <= 30; chat++ {
		s := start(t, th, context.Background(), chat, notice)
		slots = append(slots, mustGo(t, c, s, fmt.Sprintf("send %d", chat)))
		c.Advance(every)
	}
	// Thirty in flight, none answered: the 31st waits, however long.
	next := start(t, th, context.Background(), 31, notice)
	c.Advance(5 * time.Second)
	mustWait(t, next, "the 31st with 30 in flight")
	// The first is answered: it may have arrived until now, so it counts
	// for a second more.
	th.done(slots[0])
	c.Advance(time.Second - time.Millisecond)
	mustWait(t, next, "the 31st within a second of the first's answer")
	c.Advance(time.Millisecond)
	mustGo(t, c, next, "the 31st a second after the first's answer")
}

// Two processes sharing the bot each send at half its rate: together they
// keep inside Telegram's limit. One again: the whole rate.
func TestThrottleSharedBetweenProcesses(t *testing.T) {
	c := newFakeClock()
	th := newThrottle(Limits{PerSecond: 10, PerChat: math.Inf(1)}, c)
	th.share(2)
	first := send(t, th, 1)
	next := start(t, th, context.Background(), 2, answer)
	mustWait(t, next, "a second send at once, at half of 10 a second")
	c.Advance(199 * time.Millisecond)
	mustWait(t, next, "a send 199 ms after the last")
	c.Advance(time.Millisecond)
	sl := mustGo(t, c, next, "a send 200 ms after the last")
	th.done(sl)
	if got := sl.at.Sub(first.at); got != 200*time.Millisecond {
		t.Errorf("two processes: sends %v apart, want 200 ms", got)
	}
	th.share(1)
	c.Advance(200 * time.Millisecond)
	a := send(t, th, 3)
	b := start(t, th, context.Background(), 4, answer)
	c.Advance(100 * time.Millisecond)
	bs := mustGo(t, c, b, "alone again: 100 ms after the last")
	th.done(bs)
	if got := bs.at.Sub(a.at); got != 100*time.Millisecond {
		t.Errorf("one process: sends %v apart, want 100 ms", got)
	}
	off := newThrottle(Limits{Off: true}, c)
	off.share(3) // no limits: nothing to share
	send(t, off, 1)
	send(t, off, 1)
}
