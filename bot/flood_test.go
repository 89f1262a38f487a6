package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"fieldlog/bot/bottest"
	"fieldlog/conversation"
)

// Tests of what the bot sends against Telegram's limits, through the fake
// Bot API enforcing them (bottest.WithLimits): it answers 429 to a send
// over them, so "no 429" proves the bot kept inside.

// runWith starts the bot on srv with cfg (its Token, APIURL, Inbox and
// PollTimeout filled in) until the test ends.
func runWith(t *testing.T, srv *bottest.Server, engine Engine, cfg Config) *Telegram {
	t.Helper()
	cfg.Token, cfg.APIURL, cfg.PollTimeout = srv.Token(), srv.URL(), time.Second
	if cfg.Inbox == nil {
		cfg.Inbox = newMemInbox()
	}
	ctx, cancel := context.WithCancel(context.Background())
	tg, err := New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("New: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- tg.Run(ctx, engine) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("Run did not return within 15s of the stop")
		}
	})
	return tg
}

// users makes n users with ids from first on, known to the fake.
func users(srv *bottest.Server, first int64, n int) []bottest.User {
	us := make([]bottest.User, n)
	for i := range us {
		us[i] = bottest.User{ID: first + int64(i), FirstName: fmt.Sprint("u", i)}
		srv.Register(us[i])
	}
	return us
}

// replies answers with one reply per text.
func replies(texts ...string) conversation.Response {
	var r conversation.Response
	for _, t := range texts {
		r.Replies = append(r.Replies, conversation.Reply{Text: t})
	}
	return r
}

// busiestSecond is the most messages that arrived within any one second.
func busiestSecond(msgs []bottest.Message) int {
	var at []time.Time
	for _, m := range msgs {
		at = append(at, m.At)
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	most := 0
	for i, j := 0, 0; j < len(at); j++ {
		for at[j].Sub(at[i]) >= time.Second {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}

// Fifty users write at once and each gets an answer of two messages: all
// hundred arrive, in order in each chat, and the fake never had to answer
// 429 (at most 30 a second overall, the two of one chat not held apart).
func TestLimitsAnswersToManyChatsAtOnce(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits())
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		return replies("one", "two"), nil
	}}
	runWith(t, srv, engine, Config{})
	us := users(srv, 7000, 50)
	start := time.Now()
	for _, u := range us {
		srv.SendText(u, "hi")
	}
	var all []bottest.Message
	waitUntil(t, "every answer arrived", 30*time.Second, func() bool {
		all = all[:0]
		for _, u := range us {
			all = append(all, srv.Messages(u.ID)...)
		}
		return len(all) == 2*len(us)
	})
	took := time.Since(start)
	if n := srv.TooManyRequests(); n != 0 {
		t.Errorf("the fake answered 429 %d times", n)
	}
	for _, u := range us {
		if got := messageTexts(srv.Messages(u.ID)); !slices.Equal(got, []string{"one", "two"}) {
			t.Errorf("chat %d got %q", u.ID, got)
		}
		// Held apart, the second would wait behind the other chats'
		// first messages: half of the whole. A starved machine stretches
		// everything, so the bound is a third of the whole, at least
		// 500 ms.
		m := srv.Messages(u.ID)
		if gap := m[1].At.Sub(m[0].At); gap > max(500*time.Millisecond, took/3) {
			t.Errorf("chat %d: the two messages of one answer arrived %v apart (all took %v)", u.ID, gap, took)
		}
	}
	if most := busiestSecond(all); most > 30 {
		t.Errorf("%d messages arrived within one second", most)
	}
	t.Logf("100 messages to 50 chats in %v (%.1f msg/s)", took.Round(time.Millisecond), float64(len(all))/took.Seconds())
}

// An answer of six messages to one chat: three go at once, then one a
// second, and the fake never answers 429.
func TestLimitsSpreadOneChatsBurst(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits())
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		return replies("1", "2", "3", "4", "5", "6"), nil
	}}
	runWith(t, srv, engine, Config{})
	srv.SendText(userA, "burst")
	waitUntil(t, "six messages arrived", 15*time.Second, func() bool { return len(srv.Messages(userA.ID)) == 6 })
	m := srv.Messages(userA.ID)
	if got := messageTexts(m); !slices.Equal(got, []string{"1", "2", "3", "4", "5", "6"}) {
		t.Errorf("messages %q", got)
	}
	if burst := m[2].At.Sub(m[0].At); burst > 300*time.Millisecond {
		t.Errorf("the burst of three took %v", burst)
	}
	for i := 3; i < 6; i++ {
		// A second after the one before's answer, which came after it arrived.
		if gap := m[i].At.Sub(m[i-3].At); gap < time.Second {
			t.Errorf("message %d arrived %v after message %d: more than 3 within a second", i+1, gap, i-2)
		}
		if gap := m[i].At.Sub(m[i-1].At); gap > 1500*time.Millisecond {
			t.Errorf("message %d arrived %v after the one before: held too long", i+1, gap)
		}
	}
	if n := srv.TooManyRequests(); n != 0 {
		t.Errorf("the fake answered 429 %d times", n)
	}
}

// A chat that Telegram finds over its own limit (the fake allows a burst
// of 2 here, the bot sends 3) is paused for retry_after; the refused
// message is sent again once, after the pause; other chats are not held.
func TestLimitsTooManyRequestsPausesTheChat(t *testing.T) {
	srv := bottest.New(t)
	srv.EnforceLimits(bottest.Limits{PerSecond: 30, PerChat: 1, ChatBurst: 2})
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.ChatID == userA.ID {
			return replies("a1", "a2", "a3"), nil
		}
		return echo(in), nil
	}}
	runWith(t, srv, engine, Config{})
	srv.SendText(userA, "three")
	waitUntil(t, "the fake refused the third message", 10*time.Second, func() bool { return srv.TooManyRequests() == 1 })
	refused := time.Now()
	srv.SendText(userB, "meanwhile")
	b := srv.WaitText(t, userB.ID, "echo: meanwhile")
	if took := b.At.Sub(refused); took > 500*time.Millisecond {
		t.Errorf("another chat's answer took %v during the pause: the whole bot was paused", took)
	}
	if n := len(srv.Messages(userA.ID)); n != 2 {
		t.Errorf("chat A has %d messages during its pause, want 2", n)
	}
	waitUntil(t, "the third message arrived", 10*time.Second, func() bool { return len(srv.Messages(userA.ID)) == 3 })
	m := srv.Messages(userA.ID)
	if got := messageTexts(m); !slices.Equal(got, []string{"a1", "a2", "a3"}) {
		t.Errorf("chat A got %q, want each message once, in order", got)
	}
	if wait := m[2].At.Sub(refused); wait < 900*time.Millisecond {
		t.Errorf("the refused message came again %v after the 429, want retry_after (1 s)", wait)
	}
	if n := srv.TooManyRequests(); n != 1 {
		t.Errorf("%d 429s, want only the one that paused the chat", n)
	}
	if n := srv.Calls("sendMessage"); n != 5 {
		t.Errorf("sendMessage called %d times, want 5 (a1, a2, a3 refused, a3, B's echo)", n)
	}
}

// A 429 for a chat that had sent nothing in the second before cannot be its
// own limit: the whole bot waits for retry_after.
func TestLimitsTooManyRequestsForAnIdleChatPausesTheBot(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits())
	release := make(chan struct{})
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.ChatID == userB.ID {
			<-release
		}
		return echo(in), nil
	}}
	runWith(t, srv, engine, Config{})
	srv.Register(userB)
	srv.FailNext("sendMessage", 1, 429, 2)
	srv.SendText(userA, "first")
	waitUntil(t, "the 429", 10*time.Second, func() bool { return srv.TooManyRequests() == 1 })
	refused := time.Now()
	srv.SendText(userB, "during the pause")
	waitUntil(t, "B's update in hand", 5*time.Second, func() bool { return len(engine.seen(userB.ID)) == 1 })
	close(release)
	b := srv.WaitText(t, userB.ID, "echo: during the pause")
	if wait := b.At.Sub(refused); wait < 1800*time.Millisecond {
		t.Errorf("another chat's answer went %v after the bot's 429, want after retry_after (2 s)", wait)
	}
	a := srv.WaitText(t, userA.ID, "echo: first")
	if n := len(srv.Messages(userA.ID)); n != 1 || a.At.Sub(refused) < 1800*time.Millisecond {
		t.Errorf("chat A: %d messages, the retry %v after the 429", n, a.At.Sub(refused))
	}
}

// A user who blocked the bot: the first send finds out (403), marks the
// chat and tells OnBlocked once; later notifications fail with ErrBlocked
// without asking Telegram; when the user writes again OnUnblocked is told,
// the answer arrives, and notifications go again.
func TestBlockedChatIsSkippedUntilTheUserWrites(t *testing.T) {
	srv := bottest.New(t)
	var mu sync.Mutex
	var events []string
	note := func(what string) func(context.Context, int64) {
		return func(_ context.Context, chat int64) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, fmt.Sprint(what, " ", chat))
		}
	}
	seen := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(events)
	}
	engine := &stubEngine{}
	tg := runWith(t, srv, engine, Config{OnBlocked: note("blocked"), OnUnblocked: note("unblocked"), Limits: Limits{Off: true}})
	srv.Register(userA)
	srv.Block(userA.ID)
	ctx := context.Background()

	// A reply of a picture, a text and a file stops at the first 403.
	_, err := tg.Notify(ctx, userA.ID, conversation.Reply{Image: testPNG(t), Text: "reminder", Files: []conversation.File{{Name: "a.txt", Data: []byte("a")}}})
	if !errors.Is(err, ErrBlocked) || !errors.Is(err, conversation.ErrUnreachable) {
		t.Fatalf("Notify to a user who blocked the bot: err = %v, want ErrBlocked, conversation.ErrUnreachable", err)
	}
	if n := srv.Calls("sendPhoto") + srv.Calls("sendMessage") + srv.Calls("sendDocument"); n != 1 {
		t.Errorf("%d requests for one blocked reply, want 1", n)
	}
	for range 3 {
		if _, err := tg.Notify(ctx, userA.ID, conversation.Reply{Text: "again"}); !errors.Is(err, ErrBlocked) {
			t.Fatalf("a later Notify: err = %v, want ErrBlocked", err)
		}
	}
	if n := srv.Forbidden(); n != 1 {
		t.Errorf("Telegram was asked %d times, want once: later sends must not ask", n)
	}
	if got, want := seen(), []string{fmt.Sprint("blocked ", userA.ID)}; !slices.Equal(got, want) {
		t.Errorf("callbacks %q, want %q", got, want)
	}

	srv.SendText(userA, "back") // the fake unblocks, as Telegram does
	srv.WaitText(t, userA.ID, "echo: back")
	if got, want := seen(), []string{fmt.Sprint("blocked ", userA.ID), fmt.Sprint("unblocked ", userA.ID)}; !slices.Equal(got, want) {
		t.Errorf("callbacks %q, want %q", got, want)
	}
	id, err := tg.Notify(ctx, userA.ID, conversation.Reply{Text: "welcome back"})
	if err != nil {
		t.Fatalf("Notify after the user wrote again: %v", err)
	}
	if last := srv.Last(userA.ID); last.ID != id || last.Text != "welcome back" {
		t.Errorf("Notify returned message %d; the chat's last is %d %q", id, last.ID, last.Text)
	}
}

// A notification issued while the chat's update is in hand waits for the
// whole answer: it arrives after all of the answer's messages, and Notify
// returns its message id. One that the engine sends to the same chat
// within the turn goes at once (its lane is the turn's), and one to another
// chat within a turn is queued there without waiting for it.
func TestNotifyKeepsItsPlaceInTheChatsLane(t *testing.T) {
	srv := bottest.New(t)
	inTurn := make(chan struct{})
	release := make(chan struct{})
	var tg *Telegram
	var crossErr error
	var crossID int
	engine := &stubEngine{}
	engine.respond = func(in conversation.Input) (conversation.Response, error) {
		switch in.Text {
		case "hold":
			close(inTurn)
			<-release
			return replies("answer 1", "answer 2"), nil
		case "report":
			// As the engine's "your report waits" does, from within the turn.
			if _, err := tg.Notify(engineCtx(in), in.ChatID, conversation.Reply{Text: "queued"}); err != nil {
				return conversation.Response{}, err
			}
			return replies("report"), nil
		case "tell B":
			// B's lane is busy with "hold": this must not wait for it.
			crossID, crossErr = tg.Notify(engineCtx(in), userB.ID, conversation.Reply{Text: "from A"})
			return replies("told"), nil
		}
		return echo(in), nil
	}
	tg = runWith(t, srv, ctxEngine{engine}, Config{Limits: Limits{Off: true}})
	srv.Register(userB)

	srv.SendText(userA, "hold")
	<-inTurn
	type result struct {
		id  int
		err error
	}
	done := make(chan result, 1)
	go func() {
		id, err := tg.Notify(context.Background(), userA.ID, conversation.Reply{Text: "reminder"})
		done <- result{id, err}
	}()
	waitUntil(t, "the notification is queued on the lane", 5*time.Second, func() bool {
		tg.lanes.mu.Lock()
		defer tg.lanes.mu.Unlock()
		q := tg.lanes.queues[userA.ID]
		return q != nil && len(q.jobs) == 1
	})
	select {
	case r := <-done:
		t.Fatalf("Notify returned %+v while the chat's update was in hand", r)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Notify did not return")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"answer 1", "answer 2", "reminder"}; !slices.Equal(got, want) {
		t.Errorf("chat A got %q, want %q: the reminder must come after the whole answer", got, want)
	}
	if last := srv.Last(userA.ID); r.id != last.ID {
		t.Errorf("Notify returned message id %d, want %d", r.id, last.ID)
	}

	srv.SendText(userA, "report")
	srv.WaitText(t, userA.ID, "report")
	msgs := messageTexts(srv.Messages(userA.ID))
	if got, want := msgs[len(msgs)-2:], []string{"queued", "report"}; !slices.Equal(got, want) {
		t.Errorf("a notification from within the turn: chat got %q, want %q", got, want)
	}

	// B's lane is held; A's turn notifies B and goes on.
	inTurn, release = make(chan struct{}), make(chan struct{})
	srv.SendText(userB, "hold")
	<-inTurn
	srv.SendText(userA, "tell B")
	srv.WaitText(t, userA.ID, "told")
	if crossErr != nil || crossID != 0 {
		t.Errorf("Notify to another chat from within a turn = %d, %v; want 0, nil (queued)", crossID, crossErr)
	}
	close(release)
	waitUntil(t, "B's answer and A's note", 10*time.Second, func() bool { return len(srv.Messages(userB.ID)) == 3 })
	if got, want := messageTexts(srv.Messages(userB.ID)), []string{"answer 1", "answer 2", "from A"}; !slices.Equal(got, want) {
		t.Errorf("chat B got %q, want %q", got, want)
	}
}

// engineCtx is the context the engine got for in; ctxEngine keeps it.
func engineCtx(in conversation.Input) context.Context { return turnCtxs.get(in.Key) }

type ctxMap struct {
	mu sync.Mutex
	m  map[string]context.Context
}

var turnCtxs = &ctxMap{m: map[string]context.Context{}}

func (c *ctxMap) get(key string) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

// ctxEngine gives the stub engine the turn's context through engineCtx.
type ctxEngine struct{ e *stubEngine }

func (c ctxEngine) Handle(ctx context.Context, in conversation.Input) (conversation.Response, error) {
	turnCtxs.mu.Lock()
	turnCtxs.m[in.Key] = ctx
	turnCtxs.mu.Unlock()
	return c.e.Handle(ctx, in)
}

// A stop leaves a queued notification unsent, and says so.
func TestNotifyStoppedBeforeItsTurn(t *testing.T) {
	l := newLanes(0, func(int64) []job { return nil })
	hold := make(chan struct{})
	l.push(1, "u1", func() { <-hold }, nil)
	dropped := make(chan struct{})
	if !l.pushNotice(1, "n1", func() { t.Error("the notification ran after the stop") }, func() { close(dropped) }) {
		t.Fatal("not queued")
	}
	l.stop()
	close(hold)
	select {
	case <-dropped:
	case <-time.After(5 * time.Second):
		t.Fatal("the dropped notification was not told")
	}
	if l.pushNotice(1, "n2", func() {}, func() {}) {
		t.Error("a notification was queued after the stop")
	}
}

// The rate a reminder wave reaches: one message to each of N distinct
// chats at once, through the fake Bot API enforcing Telegram's limits; the
// fake must never answer 429. The rate is counted between the first and
// the last arrival. Rerun with
//
//	go test ./bot -run '^$' -bench 'OutgoingRate/chats=300$' -benchtime 1x -v
func BenchmarkOutgoingRate(b *testing.B) {
	for _, chats := range []int{300, 3000} {
		b.Run(fmt.Sprintf("chats=%d", chats), func(b *testing.B) {
			for range b.N {
				outgoingRate(b, chats)
			}
		})
	}
}

func outgoingRate(b *testing.B, chats int) {
	b.StopTimer()
	srv := bottest.New(b, bottest.WithLimits())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tg, err := New(ctx, Config{Token: srv.Token(), APIURL: srv.URL(), Inbox: newMemInbox()})
	if err != nil {
		b.Fatal(err)
	}
	us := make([]bottest.User, chats)
	for i := range us {
		us[i] = bottest.User{ID: 100_000 + int64(i)}
		srv.Register(us[i])
	}
	b.StartTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, chats)
	for _, u := range us {
		wg.Go(func() {
			if _, err := tg.Notify(ctx, u.ID, conversation.Reply{Text: "Reminder: the report is due on 20 December."}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	if n := srv.TooManyRequests(); n != 0 {
		b.Fatalf("the fake answered 429 %d times", n)
	}
	var all []bottest.Message
	for _, u := range us {
		all = append(all, srv.Messages(u.ID)...)
	}
	if len(all) != chats {
		b.Fatalf("%d messages arrived, want %d", len(all), chats)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].At.Before(all[j].At) })
	rate := float64(chats-1) / all[chats-1].At.Sub(all[0].At).Seconds()
	most := busiestSecond(all)
	b.ReportMetric(rate, "msg/s")
	b.ReportMetric(float64(most), "max-in-1s")
	b.Logf("%.1f msg/s: %d messages to %d chats in %v, at most %d arrived within one second, no 429",
		rate, chats, chats, took.Round(time.Millisecond), most)
}
