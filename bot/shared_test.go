package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/conversation"
	"fieldlog/storage"
	"fieldlog/storage/storagetest"
)

// balancer is a load balancer in front of several bots' webhooks: it
// sends each post to the next bot in turn.
type balancer struct {
	mu    sync.Mutex
	bots  []http.Handler
	next  int
	posts map[int]int // by bot
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	if len(b.bots) == 0 {
		b.mu.Unlock()
		http.Error(w, "no bot yet", http.StatusServiceUnavailable)
		return
	}
	i := b.next % len(b.bots)
	b.next++
	b.posts[i]++
	h := b.bots[i]
	b.mu.Unlock()
	h.ServeHTTP(w, r)
}

// slowEngine echoes, taking a while over each input, and notes which
// process handled it. Like the real engine (Conversation.Applied), it
// skips an input whose key it applied already: an update may come again
// after it was handled (a webhook post answered late and posted again, a
// handled update not yet forgotten), and the design leaves that to the
// engine. What no engine could undo is one update handled by both
// processes at once: applied tells.
type slowEngine struct {
	name    string
	took    time.Duration
	count   *atomic.Int64
	applied *appliedKeys
}

// appliedKeys are the keys the engines of all processes applied (one
// store's conversations), and those in hand.
type appliedKeys struct {
	mu      sync.Mutex
	done    map[string]bool
	inHand  map[string]bool
	twice   []string // keys in hand in two processes at once
	skipped int
}

func (e slowEngine) Handle(ctx context.Context, in conversation.Input) (conversation.Response, error) {
	a := e.applied
	if a == nil { // keys not kept
		e.count.Add(1)
		time.Sleep(e.took)
		return echo(in), nil
	}
	a.mu.Lock()
	if a.inHand[in.Key] {
		a.twice = append(a.twice, in.Key)
	}
	if a.done[in.Key] {
		a.skipped++
		a.mu.Unlock()
		return conversation.Response{}, nil
	}
	a.inHand[in.Key] = true
	a.mu.Unlock()
	e.count.Add(1)
	time.Sleep(e.took)
	a.mu.Lock()
	delete(a.inHand, in.Key)
	a.done[in.Key] = true
	a.mu.Unlock()
	return echo(in), nil
}

// Two bot processes behind a load balancer share one store: one user's
// updates reach them alternately, and are answered in the order sent,
// each once. (The embedded store is one process's: here the two are two
// adapters and engines in one test process; on MongoDB the same holds for
// two processes.)
func TestTwoProcessesKeepOneChatInOrder(t *testing.T) {
	srv := bottest.New(t)
	store := storagetest.New(t)
	lb := &balancer{posts: map[int]int{}}
	hs := newHookServer(t)
	hs.serve(lb)
	var handled [2]atomic.Int64
	applied := &appliedKeys{done: map[string]bool{}, inHand: map[string]bool{}}
	for i, name := range []string{"a", "b"} {
		tg := runWebhookBot(t, srv, hs.URL+"/tg/hook", store, slowEngine{name: name, took: 30 * time.Millisecond, count: &handled[i], applied: applied}, "process-"+name)
		lb.mu.Lock()
		lb.bots = append(lb.bots, tg.WebhookHandler())
		lb.mu.Unlock()
	}
	// Each process registers the webhook as it starts; a post cut short by
	// the second registration would be posted again, a redelivery that the
	// real engine recognises (Conversation.Applied) and this one does not.
	waitUntil(t, "both processes registered the webhook", 5*time.Second, func() bool { return srv.Calls("setWebhook") == 2 })
	const n = 24
	var want []string
	for i := range n {
		text := fmt.Sprint(i + 1)
		srv.SendText(userA, text)
		want = append(want, "echo: "+text)
	}
	srv.WaitText(t, userA.ID, fmt.Sprintf("echo: %d", n))
	waitUntil(t, "every update answered", 10*time.Second, func() bool { return len(srv.Messages(userA.ID)) >= n })
	time.Sleep(200 * time.Millisecond) // a duplicate would come now
	if got := messageTexts(srv.Messages(userA.ID)); !slices.Equal(got, want) {
		t.Errorf("answers %q\nwant %q", got, want)
	}
	lb.mu.Lock()
	defer lb.mu.Unlock()
	if lb.posts[0] == 0 || lb.posts[1] == 0 {
		t.Errorf("the balancer gave the posts %d and %d: both processes must receive", lb.posts[0], lb.posts[1])
	}
	if sum := handled[0].Load() + handled[1].Load(); sum != n {
		t.Errorf("the engines handled %d inputs (a %d, b %d), want %d", sum, handled[0].Load(), handled[1].Load(), n)
	}
	applied.mu.Lock()
	defer applied.mu.Unlock()
	if len(applied.twice) > 0 {
		t.Errorf("updates in hand in both processes at once: %q", applied.twice)
	}
	if applied.skipped > 0 || t.Failed() {
		t.Logf("%d updates came again after they were handled; the webhook's posts: %+v", applied.skipped, srv.WebhookPosts())
	}
}

// runWebhookBot starts one bot process in webhook mode on a shared store.
func runWebhookBot(t *testing.T, srv *bottest.Server, hookURL string, store interface {
	fieldlog.Inbox
	fieldlog.ChatLeases
}, engine Engine, holder string) *Telegram {
	t.Helper()
	tg, _ := startBot(t, Config{
		Token: srv.Token(), APIURL: srv.URL(), Inbox: store, Apology: "sorry", Limits: Limits{Off: true},
		Webhook: &Webhook{URL: hookURL, Secret: testSecret}, Leases: store, Holder: holder,
	}, engine)
	return tg
}

// A process died holding a chat's lease with the chat's update recorded
// and not handled, and the user wrote nothing more: once the lease lapses
// another process's sweep finds the update and answers it, once.
func TestSweepAnswersWhatADeadProcessLeft(t *testing.T) {
	srv := bottest.New(t)
	store := storagetest.New(t)
	ctx := t.Context()
	hs := newHookServer(t)
	tg, err := New(ctx, Config{Token: srv.Token(), APIURL: srv.URL(), Inbox: store, Limits: Limits{Off: true},
		Webhook: &Webhook{URL: hs.URL + "/tg/hook", Secret: testSecret}, Leases: store, Holder: "alive"})
	if err != nil {
		t.Fatal(err)
	}
	tg.sweepEvery, tg.sweepAge = 200*time.Millisecond, 700*time.Millisecond
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	engine := &stubEngine{}
	go func() { done <- tg.Run(runCtx, engine) }()
	t.Cleanup(func() { cancel(); <-done })
	waitUntil(t, "the webhook is set", 5*time.Second, func() bool { _, _, _, _, ok := srv.Webhook(); return ok })

	// What the dead process left: after this one read the inbox at its
	// start, so that only the sweep can find it.
	srv.Register(userA)
	payload := fmt.Appendf(nil, `{"update_id":77,"message":{"message_id":5,"from":{"id":%d,"first_name":"Bat"},"chat":{"id":%[1]d,"type":"private"},"text":"left behind"}}`, userA.ID)
	if ok, err := store.AcquireChat(ctx, userA.ID, "dead", 500*time.Millisecond); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, err := store.Receive(ctx, fieldlog.IncomingUpdate{Key: key(77), Seq: 77, ChatID: userA.ID, Payload: payload, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	srv.WaitText(t, userA.ID, "echo: left behind")
	time.Sleep(500 * time.Millisecond) // a second sweep must not answer it again
	if got := engine.texts(userA.ID); !slices.Equal(got, []string{"left behind"}) {
		t.Errorf("engine saw %q, want the update once", got)
	}
}

// Processes that share the bot split its send rate: two send at half of
// Telegram's each, and once one stops the other has it all again.
func TestProcessesShareTheSendRate(t *testing.T) {
	srv := bottest.New(t)
	store := storagetest.New(t)
	hs := newHookServer(t)
	whole := interval(DefaultPerSecond)
	var bots [2]*Telegram
	var cancels [2]context.CancelFunc
	var dones [2]chan error
	for i := range bots {
		ctx, cancel := context.WithCancel(t.Context())
		tg, err := New(ctx, Config{Token: srv.Token(), APIURL: srv.URL(), Inbox: store,
			Webhook: &Webhook{URL: hs.URL + "/tg/hook", Secret: testSecret}, Leases: store, Peers: store, Holder: fmt.Sprint("p", i)})
		if err != nil {
			t.Fatal(err)
		}
		tg.beatEvery = 100 * time.Millisecond
		bots[i], cancels[i], dones[i] = tg, cancel, make(chan error, 1)
		go func() { dones[i] <- tg.Run(ctx, &stubEngine{}) }()
		t.Cleanup(func() { cancel(); <-dones[i] })
	}
	every := func(tg *Telegram) time.Duration {
		tg.throttle.mu.Lock()
		defer tg.throttle.mu.Unlock()
		return tg.throttle.every
	}
	waitUntil(t, "both processes send at half the rate", 5*time.Second, func() bool {
		return every(bots[0]) == interval(DefaultPerSecond/2.0) && every(bots[1]) == interval(DefaultPerSecond/2.0)
	})
	cancels[1]()
	<-dones[1]
	dones[1] <- nil // for the cleanup
	waitUntil(t, "the one left sends at the whole rate", 5*time.Second, func() bool { return every(bots[0]) == whole })
}

// outage is a shared store as one process sees it while its connection to
// the store is down: Ping fails (the store itself still works, for the
// other process and for the test).
type outage struct {
	*storage.Store
	down *atomic.Bool
}

func (o outage) Ping(ctx context.Context) error {
	if o.down.Load() {
		return errors.New("store unreachable")
	}
	return o.Store.Ping(ctx)
}

// A process whose store goes away while it handles a chat's update loses
// the chat's lease (its renewals fail; here the lease is let go for it),
// another process takes the chat and answers the update: once the store is
// back, the first does not answer it again.
func TestUpdateWaitingForTheStoreIsLeftToTheNewHolder(t *testing.T) {
	srv := bottest.New(t)
	store := storagetest.New(t)
	lb := &balancer{posts: map[int]int{}}
	hs := newHookServer(t)
	hs.serve(lb)
	var down atomic.Bool
	var triedA atomic.Int64
	a := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		triedA.Add(1)
		if down.Load() {
			return conversation.Response{}, errors.New("save the step: server selection timeout")
		}
		return echo(in), nil
	}}
	var nb atomic.Int64
	for i, eng := range []Engine{a, slowEngine{name: "b", count: &nb}} {
		var inbox interface {
			fieldlog.Inbox
			fieldlog.ChatLeases
		} = store
		if i == 0 {
			inbox = outage{store, &down}
		}
		tg := runWebhookBot(t, srv, hs.URL+"/tg/hook", inbox, eng, fmt.Sprint("process-", i))
		lb.mu.Lock()
		lb.bots = append(lb.bots, tg.WebhookHandler())
		lb.mu.Unlock()
	}
	waitUntil(t, "both processes registered the webhook", 5*time.Second, func() bool { return srv.Calls("setWebhook") == 2 })
	down.Store(true)
	srv.SendText(userA, "1") // to process 0, whose store is away
	waitUntil(t, "process 0 tried the update", 5*time.Second, func() bool { return triedA.Load() >= 1 })
	if err := store.ReleaseChat(t.Context(), userA.ID, "process-0"); err != nil { // it lapsed
		t.Fatal(err)
	}
	srv.SendText(userA, "2") // to process 1, which takes the chat
	srv.WaitText(t, userA.ID, "echo: 2")
	down.Store(false)
	time.Sleep(2 * time.Second) // process 0 sees the store back within its pauses
	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"echo: 1", "echo: 2"}; !slices.Equal(got, want) {
		t.Errorf("answers %q, want %q", got, want)
	}
}
