package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/conversation"
	"fieldlog/storage/memory"
)

// ---- an in-memory inbox ----

// memInbox is the in-memory store's inbox, counting what the bot asks of
// it and slow if a test wants a busy store.
type memInbox struct {
	*memory.Store
	mu       sync.Mutex
	receives map[string]int // Receive calls per key, fresh or not
	done     map[string]int // Done calls per key
	delay    time.Duration  // makes Receive slow, like a busy store
}

func newMemInbox() *memInbox {
	return &memInbox{Store: memory.New(), receives: map[string]int{}, done: map[string]int{}}
}

// add stores an update as an earlier run would have left it.
func (b *memInbox) add(u fieldlog.IncomingUpdate) {
	if _, err := b.Store.Receive(context.Background(), u); err != nil {
		panic(err)
	}
}

func (b *memInbox) Receive(ctx context.Context, u fieldlog.IncomingUpdate) (bool, error) {
	time.Sleep(b.delay)
	b.mu.Lock()
	b.receives[u.Key]++
	b.mu.Unlock()
	return b.Store.Receive(ctx, u)
}

func (b *memInbox) ReceiveAll(ctx context.Context, us []fieldlog.IncomingUpdate) ([]bool, error) {
	time.Sleep(b.delay)
	b.mu.Lock()
	for _, u := range us {
		b.receives[u.Key]++
	}
	b.mu.Unlock()
	return b.Store.ReceiveAll(ctx, us)
}

func (b *memInbox) Done(ctx context.Context, keys ...string) error {
	b.mu.Lock()
	for _, k := range keys {
		b.done[k]++
	}
	b.mu.Unlock()
	return b.Store.Done(ctx, keys...)
}

// handled reports whether the update was handled and forgotten.
func (b *memInbox) handled(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done[key] > 0 && !b.has(key)
}

// has reports whether the update is waiting in the inbox.
func (b *memInbox) has(key string) bool {
	us, _ := b.Store.Unhandled(context.Background())
	return slices.ContainsFunc(us, func(u fieldlog.IncomingUpdate) bool { return u.Key == key })
}

func (b *memInbox) receiveCount(key string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.receives[key]
}

func (b *memInbox) totalReceives() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.receives {
		n += c
	}
	return n
}

func key(updateID int64) string { return "tg:" + strconv.FormatInt(updateID, 10) }

// ---- a stub engine ----

type stubEngine struct {
	mu     sync.Mutex
	inputs []conversation.Input
	// respond answers an input; nil echoes the text.
	respond func(in conversation.Input) (conversation.Response, error)
}

func (e *stubEngine) Handle(_ context.Context, in conversation.Input) (conversation.Response, error) {
	e.mu.Lock()
	e.inputs = append(e.inputs, in)
	e.mu.Unlock()
	if e.respond == nil {
		return echo(in), nil
	}
	return e.respond(in)
}

func echo(in conversation.Input) conversation.Response {
	return conversation.Response{Replies: []conversation.Reply{{Text: "echo: " + in.Text}}}
}

// seen returns the inputs handled so far, of one chat (0: all).
func (e *stubEngine) seen(chat int64) []conversation.Input {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []conversation.Input
	for _, in := range e.inputs {
		if chat == 0 || in.ChatID == chat {
			out = append(out, in)
		}
	}
	return out
}

func (e *stubEngine) texts(chat int64) []string {
	var out []string
	for _, in := range e.seen(chat) {
		out = append(out, in.Text)
	}
	return out
}

// ---- running the bot against the fake Bot API ----

// run starts the bot on srv and returns a function that stops it (see
// startBot).
func run(t *testing.T, srv *bottest.Server, inbox fieldlog.Inbox, engine Engine) (stop func()) {
	t.Helper()
	// The fake enforces no limits here, and the tests act faster than
	// Telegram would let a bot answer: limits_test.go tests the limits.
	tg, stop := startBot(t, Config{
		Token: srv.Token(), APIURL: srv.URL(), Inbox: inbox, Apology: "sorry", PollTimeout: 2 * time.Second,
		Limits: Limits{Off: true},
	}, engine)
	if got := tg.Username(); got != srv.BotUsername() {
		t.Errorf("Username() = %q, want %q", got, srv.BotUsername())
	}
	return stop
}

// startBot makes a bot of cfg and runs it with engine; stop cancels Run's
// context and waits for Run to return. The test's cleanup stops it too
// (before the fake server closes: cleanups run last first).
func startBot(t *testing.T, cfg Config, engine Engine) (tg *Telegram, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tg, err := New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("New: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- tg.Run(ctx, engine) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Error("Run did not return within 15s of cancelling its context")
			}
		})
	}
	t.Cleanup(stop)
	return tg, stop
}

// waitUntil polls cond until it holds, failing the test after timeout.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting until %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func messageTexts(msgs []bottest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

var (
	userA = bottest.User{ID: 42, FirstName: "Bat", LastName: "Erdene", LanguageCode: "zh-hans"}
	userB = bottest.User{ID: 43, FirstName: "其其格"}
)

// (a) Updates of one chat are handled one at a time, in the order sent.
func TestTelegramHandlesOneChatInOrder(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	var busy [2]atomic.Int32
	var overlap atomic.Int32
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		i := in.ChatID - userA.ID
		if busy[i].Add(1) != 1 {
			overlap.Add(1)
		}
		defer busy[i].Add(-1)
		// Uneven handling times would reorder updates handled concurrently.
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
		return echo(in), nil
	}}
	stop := run(t, srv, inbox, engine)

	const n = 30
	var want, wantB []string
	for i := range n {
		text := fmt.Sprintf("m%02d", i)
		srv.SendText(userA, text)
		want = append(want, text)
		if i%3 == 0 { // another chat's updates interleaved
			srv.SendText(userB, "b"+text)
			wantB = append(wantB, "b"+text)
		}
	}
	waitUntil(t, "all replies arrived", 20*time.Second, func() bool {
		return len(srv.Messages(userA.ID)) == n && len(srv.Messages(userB.ID)) == len(wantB)
	})
	stop()

	if got := engine.texts(userA.ID); !slices.Equal(got, want) {
		t.Errorf("engine saw chat A's updates in order\n%q\nwant\n%q", got, want)
	}
	if got := engine.texts(userB.ID); !slices.Equal(got, wantB) {
		t.Errorf("engine saw chat B's updates in order %q, want %q", got, wantB)
	}
	var wantReplies []string
	for _, w := range want {
		wantReplies = append(wantReplies, "echo: "+w)
	}
	if got := messageTexts(srv.Messages(userA.ID)); !slices.Equal(got, wantReplies) {
		t.Errorf("replies arrived in order\n%q\nwant\n%q", got, wantReplies)
	}
	if k := overlap.Load(); k > 0 {
		t.Errorf("%d updates were handled while another of the same chat was in hand", k)
	}
	for i := int64(1); i <= int64(n+len(wantB)); i++ {
		if !inbox.handled(key(i)) {
			t.Errorf("update %d not marked handled", i)
		}
	}
}

// (b) An update delivered again while it still waits in the inbox is
// handled once; one delivered again after it was handled reaches the engine
// with the same key, which the engine recognises as applied (the
// end-to-end tests check that the real engine then does nothing).
func TestTelegramRedeliveredUpdateHandledOnce(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	release := make(chan struct{})
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Text == "slow" {
			<-release
		}
		return echo(in), nil
	}}
	run(t, srv, inbox, engine)

	srv.SendText(userA, "slow") // holds the lane
	id := srv.SendText(userA, "once")
	waitUntil(t, "the update is recorded", 5*time.Second, func() bool { return inbox.has(key(id)) })
	if err := srv.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the redelivery reached the bot", 5*time.Second, func() bool { return inbox.receiveCount(key(id)) == 2 })
	close(release)
	srv.SendText(userA, "after")
	srv.WaitText(t, userA.ID, "echo: after")
	if got, want := engine.texts(userA.ID), []string{"slow", "once", "after"}; !slices.Equal(got, want) {
		t.Errorf("engine saw %q, want %q", got, want)
	}

	// Delivered again after it was handled and forgotten: same key.
	waitUntil(t, "the update is forgotten", 5*time.Second, func() bool { return inbox.handled(key(id)) })
	if err := srv.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	srv.SendText(userA, "last")
	srv.WaitText(t, userA.ID, "echo: last")
	seen := engine.seen(userA.ID)
	if got := seen[len(seen)-2]; got.Text != "once" || got.Key != key(id) {
		t.Errorf("redelivered after handling: engine got %+v, want the same update with key %s", got, key(id))
	}
	waitUntil(t, "the redelivered update is forgotten again", 5*time.Second, func() bool { return !inbox.has(key(id)) })
}

// (c) An engine error gets the user the apology and marks the update handled.
func TestTelegramEngineErrorApologises(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Text == "fail" || in.Button != "" {
			return conversation.Response{Replies: []conversation.Reply{{Text: "half done"}}}, errors.New("store unreachable")
		}
		return echo(in), nil
	}}
	run(t, srv, inbox, engine)

	id := srv.SendText(userA, "fail")
	srv.WaitText(t, userA.ID, "sorry")
	waitUntil(t, "the failed update is marked handled", 5*time.Second, func() bool { return inbox.handled(key(id)) })

	// A failed button press is acknowledged too (else the spinner turns on).
	cb := srv.TapData(userA, 9999, "log:next")
	srv.WaitAnswer(t, cb)
	srv.WaitText(t, userA.ID, "sorry")
	waitUntil(t, "the failed button press is marked handled", 5*time.Second, func() bool { return inbox.handled(key(cb)) })

	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"sorry", "sorry"}; !slices.Equal(got, want) {
		t.Errorf("the user got %q, want %q (no part of a failed response)", got, want)
	}
}

// (d) A panicking engine does not kill the process; the user gets the
// apology and later updates are still handled.
func TestTelegramEnginePanicRecovered(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Text == "boom" {
			var m map[string]int
			m["nil map"]++ // a real bug's panic
		}
		return echo(in), nil
	}}
	run(t, srv, inbox, engine)

	id := srv.SendText(userA, "boom")
	srv.WaitText(t, userA.ID, "sorry")
	waitUntil(t, "the panicking update is marked handled", 5*time.Second, func() bool { return inbox.handled(key(id)) })

	srv.SendText(userA, "next")
	srv.WaitText(t, userA.ID, "echo: next")
	srv.SendText(userB, "other chat")
	srv.WaitText(t, userB.ID, "echo: other chat")

	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"sorry", "echo: next"}; !slices.Equal(got, want) {
		t.Errorf("the user got %q, want %q", got, want)
	}
}

// (e) Updates an earlier run recorded but did not handle are handled at
// start, before new updates of the same chat.
func TestTelegramHandlesUpdatesLeftInInbox(t *testing.T) {
	srv := bottest.New(t)
	srv.Register(userA) // the chat exists on Telegram's side
	inbox := newMemInbox()
	stored := func(id int64, text string) []byte {
		from := models.User{ID: userA.ID, FirstName: userA.FirstName}
		upd := models.Update{ID: id, Message: &models.Message{
			ID: int(id), Date: int(time.Now().Unix()), From: &from,
			Chat: models.Chat{ID: userA.ID, Type: models.ChatTypePrivate}, Text: text,
		}}
		payload, err := json.Marshal(&upd)
		if err != nil {
			t.Fatal(err)
		}
		return payload
	}
	received := time.Now().Add(-time.Minute)
	inbox.add(fieldlog.IncomingUpdate{Key: key(898), Seq: 898, ChatID: userA.ID, Payload: []byte("{not json"), ReceivedAt: received})
	inbox.add(fieldlog.IncomingUpdate{Key: key(900), Seq: 900, ChatID: userA.ID, Payload: stored(900, "left over 2"), ReceivedAt: received})
	inbox.add(fieldlog.IncomingUpdate{Key: key(899), Seq: 899, ChatID: userA.ID, Payload: stored(899, "left over 1"), ReceivedAt: received})

	engine := &stubEngine{}
	srv.SendText(userA, "new") // waiting on the server before the bot starts
	run(t, srv, inbox, engine)

	waitUntil(t, "three replies arrived", 10*time.Second, func() bool { return len(srv.Messages(userA.ID)) == 3 })
	if got, want := engine.texts(userA.ID), []string{"left over 1", "left over 2", "new"}; !slices.Equal(got, want) {
		t.Errorf("engine saw %q, want %q (left-over updates first, in order, once)", got, want)
	}
	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"echo: left over 1", "echo: left over 2", "echo: new"}; !slices.Equal(got, want) {
		t.Errorf("the user got %q, want %q", got, want)
	}
	waitUntil(t, "left-over updates are handled and forgotten", 5*time.Second, func() bool {
		return inbox.handled(key(899)) && inbox.handled(key(900)) && !inbox.has(key(898))
	})
}

// (f) A flood-limit answer (429, retry_after 1) is waited out.
func TestTelegramWaitsOutFloodLimit(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	engine := &stubEngine{}
	run(t, srv, inbox, engine)

	srv.FailNext("sendMessage", 1, 429, 1)
	start := time.Now()
	srv.SendText(userA, "hi")
	srv.WaitText(t, userA.ID, "echo: hi")
	if took := time.Since(start); took < time.Second {
		t.Errorf("the message arrived after %v: retry_after 1 was not waited out", took)
	}
	if got := srv.Calls("sendMessage"); got != 2 {
		t.Errorf("sendMessage called %d times, want 2 (the refused one and the retry)", got)
	}
	if got := len(srv.Messages(userA.ID)); got != 1 {
		t.Errorf("the user got %d messages, want 1", got)
	}
}

// (g) An Edit reply to a button press edits the button's message; when the
// message cannot be edited, a new one is sent.
func TestTelegramEditReply(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	pick := [][]conversation.Button{{{Text: "A", Data: "pick:a"}, {Text: "Site", URL: "https://example.org/help"}}}
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		reply := func(r conversation.Reply) conversation.Response {
			return conversation.Response{Notice: "ok " + in.Button, Replies: []conversation.Reply{r}}
		}
		switch {
		case in.Text == "menu":
			return reply(conversation.Reply{Text: "pick one", Buttons: pick}), nil
		case in.Text == "edit from text":
			return reply(conversation.Reply{Text: "not an edit", Edit: true}), nil
		case in.Button == "pick:a":
			return reply(conversation.Reply{Text: "picked A", Edit: true}), nil // no buttons: removes them
		case in.Button == "same":
			return reply(conversation.Reply{Text: "picked A", Edit: true}), nil // nothing changes
		case in.Button == "gone":
			return reply(conversation.Reply{Text: "fresh", Edit: true, Buttons: [][]conversation.Button{{{Text: "B", Data: "b"}}}}), nil
		}
		return echo(in), nil
	}}
	run(t, srv, inbox, engine)

	// A reply marked Edit to a text message (no MessageID) is sent.
	srv.SendText(userA, "edit from text")
	srv.WaitText(t, userA.ID, "not an edit")
	if got := srv.Calls("editMessageText"); got != 0 {
		t.Errorf("editMessageText called %d times for a reply to a text message", got)
	}

	srv.SendText(userA, "menu")
	menu := srv.WaitText(t, userA.ID, "pick one")
	if b, ok := menu.Button("Site"); !ok || b.URL != "https://example.org/help" || b.Data != "" {
		t.Errorf("URL button = %+v, %v", b, ok)
	}
	if b, ok := menu.Button("A"); !ok || b.Data != "pick:a" || b.URL != "" {
		t.Errorf("data button = %+v, %v", b, ok)
	}

	// The press edits the message in place and removes its buttons.
	cb, err := srv.Tap(userA, menu.ID, "A")
	if err != nil {
		t.Fatal(err)
	}
	if ans := srv.WaitAnswer(t, cb); ans.Text != "ok pick:a" {
		t.Errorf("button answered with %q, want the notice %q", ans.Text, "ok pick:a")
	}
	edited := srv.WaitText(t, userA.ID, "picked A")
	if edited.ID != menu.ID || edited.Edits != 1 {
		t.Errorf("got message #%d with %d edits, want message #%d edited once", edited.ID, edited.Edits, menu.ID)
	}
	if len(edited.InlineKeyboard) != 0 {
		t.Errorf("the edited message still has buttons %q", edited.ButtonTexts())
	}
	if got := engine.seen(userA.ID); got[len(got)-1].MessageID != menu.ID {
		t.Errorf("engine got MessageID %d, want %d", got[len(got)-1].MessageID, menu.ID)
	}
	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"not an edit", "picked A"}; !slices.Equal(got, want) {
		t.Errorf("the chat has %q, want %q", got, want)
	}

	// An edit that changes nothing is no failure: no duplicate message.
	sends := srv.Calls("sendMessage")
	cb = srv.TapData(userA, menu.ID, "same")
	srv.WaitAnswer(t, cb)
	if got := srv.Calls("sendMessage"); got != sends {
		t.Errorf("an unchanged edit sent %d new messages", got-sends)
	}
	if h := srv.History(userA.ID, menu.ID); len(h) != 2 {
		t.Errorf("message #%d has %d versions, want 2", menu.ID, len(h))
	}

	// A message Telegram cannot edit (here: gone) gets a new message instead.
	edits := srv.Calls("editMessageText")
	cb = srv.TapData(userA, 9999, "gone")
	srv.WaitAnswer(t, cb)
	fresh := srv.WaitText(t, userA.ID, "fresh")
	if srv.Calls("editMessageText") != edits+1 {
		t.Errorf("editMessageText was not tried first")
	}
	if fresh.ID == menu.ID || fresh.Edits != 0 {
		t.Errorf("got message #%d with %d edits, want a new message", fresh.ID, fresh.Edits)
	}
	if got := fresh.ButtonTexts(); len(got) != 1 || !slices.Equal(got[0], []string{"B"}) {
		t.Errorf("the new message has buttons %q, want [[B]]", got)
	}
	if got := engine.seen(userA.ID); got[len(got)-1].MessageID != 9999 {
		t.Errorf("engine got MessageID %d, want 9999 (the inaccessible message)", got[len(got)-1].MessageID)
	}
	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"not an edit", "picked A", "fresh"}; !slices.Equal(got, want) {
		t.Errorf("the chat has %q, want %q", got, want)
	}
}

// Menus, photos and the chat's command list reach Telegram.
func TestTelegramMenuPhotosAndCommands(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	menu := [][]string{{"📝 记录活动", "📋 我的记录"}, {"✉️ 邀请"}}
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Photo.ID != "" {
			return conversation.Response{Replies: []conversation.Reply{{Text: "photo saved", Photos: []conversation.Photo{{Photo: in.Photo}}}}}, nil
		}
		return conversation.Response{
			Replies:  []conversation.Reply{{Text: "welcome", Menu: menu}},
			Commands: []conversation.Command{{Name: "log", Description: "记录活动"}},
		}, nil
	}}
	run(t, srv, inbox, engine)

	srv.SendText(userA, "/start")
	m := srv.WaitText(t, userA.ID, "welcome")
	if len(m.ReplyKeyboard) != 2 || !slices.Equal(m.ReplyKeyboard[0], menu[0]) || !slices.Equal(m.ReplyKeyboard[1], menu[1]) {
		t.Errorf("menu = %q, want %q", m.ReplyKeyboard, menu)
	}
	scope := fmt.Sprintf(`{"type":"chat","chat_id":%d}`, userA.ID)
	waitUntil(t, "the chat's commands are set", 5*time.Second, func() bool { return len(srv.Commands(scope, "")) == 1 })
	if got := srv.Commands(scope, ""); got[0].Command != "log" {
		t.Errorf("chat commands = %+v", got)
	}

	_, fileID := srv.SendPhoto(userA, "")
	srv.WaitText(t, userA.ID, "photo saved")
	var photo *bottest.File
	for _, msg := range srv.Messages(userA.ID) {
		if msg.Photo != nil {
			photo = msg.Photo
		}
	}
	if photo == nil || photo.ID != fileID {
		t.Errorf("the bot sent photo %+v, want the user's largest size %q", photo, fileID)
	}
	if got := engine.seen(userA.ID); got[len(got)-1].Photo != (fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: fileID}) {
		t.Errorf("engine got photo %+v, want %q", got[len(got)-1].Photo, fileID)
	}
}

// testPNG is a small picture, like the status chart the bot draws.
func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A drawn picture comes before the text and files after it, each uploaded
// whole, also when the first try hits the flood limit; a reply of files
// alone sends no empty text.
func TestTelegramImageTextAndFiles(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	chart := testPNG(t)
	docx := []byte("PK\x03\x04 report body")
	xlsx := []byte("PK\x03\x04 ledger body")
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		switch in.Text {
		case "/report":
			return conversation.Response{Replies: []conversation.Reply{{
				Image: chart,
				Text:  "2024年上半年工作总结",
				Files: []conversation.File{{Name: "工作总结.docx", Data: docx}, {Name: "台账.xlsx", Data: xlsx}},
			}}}, nil
		case "/files":
			return conversation.Response{Replies: []conversation.Reply{{Files: []conversation.File{{Name: "台账.xlsx", Data: xlsx}}}}}, nil
		}
		return echo(in), nil
	}}
	run(t, srv, inbox, engine)

	// The first try of each upload is refused: the retry must send the
	// whole file again, not a reader the first try already consumed.
	srv.FailNext("sendPhoto", 1, 429, 1)
	srv.FailNext("sendDocument", 1, 429, 1)
	srv.SendText(userA, "/report")
	waitUntil(t, "picture, text and two files arrived", 15*time.Second, func() bool { return len(srv.Messages(userA.ID)) == 4 })
	msgs := srv.Messages(userA.ID)
	if p := msgs[0].Photo; p == nil || !bytes.Equal(p.Data, chart) {
		t.Errorf("first message %+v: want the picture, uploaded whole", msgs[0])
	}
	if msgs[1].Text != "2024年上半年工作总结" {
		t.Errorf("second message %q, want the text", msgs[1].Text)
	}
	for i, want := range []conversation.File{{Name: "工作总结.docx", Data: docx}, {Name: "台账.xlsx", Data: xlsx}} {
		d := msgs[2+i].Document
		if d == nil || d.Name != want.Name || !bytes.Equal(d.Data, want.Data) {
			t.Errorf("message %d: document %+v, want %s uploaded whole", 3+i, d, want.Name)
		}
	}
	if got := srv.Calls("sendDocument"); got != 3 {
		t.Errorf("sendDocument called %d times, want 3 (one refused, two sent)", got)
	}

	sends := srv.Calls("sendMessage")
	srv.SendText(userA, "/files")
	srv.WaitFor(t, userA.ID, func(m bottest.Message) bool { return m.Document != nil }, bottest.DefaultWait)
	srv.SendText(userA, "after")
	srv.WaitText(t, userA.ID, "echo: after")
	if got := srv.Calls("sendMessage") - sends; got != 1 {
		t.Errorf("sendMessage called %d times for a files-only reply and an echo, want 1", got)
	}
}

// Group chats are not served: nothing is recorded, nothing handled.
func TestTelegramIgnoresGroups(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	engine := &stubEngine{}
	run(t, srv, inbox, engine)

	from := models.User{ID: userA.ID, FirstName: userA.FirstName}
	group := srv.Deliver(models.Update{Message: &models.Message{
		ID: 1, Date: int(time.Now().Unix()), From: &from,
		Chat: models.Chat{ID: -100200300, Type: models.ChatTypeSupergroup, Title: "工作群"}, Text: "/log",
	}})
	srv.SendText(userA, "private")
	srv.WaitText(t, userA.ID, "echo: private") // the group update came first
	if inbox.has(key(group)) {
		t.Error("a group message was recorded in the inbox")
	}
	if got := engine.texts(0); !slices.Equal(got, []string{"private"}) {
		t.Errorf("engine saw %q, want only the private message", got)
	}
}

// Every update the bot confirmed to Telegram (so Telegram will not deliver
// it again) must be in the inbox once Run has returned: otherwise an update
// is lost without a trace when the bot is stopped.
func TestTelegramStopLosesNoConfirmedUpdate(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	inbox.delay = 20 * time.Millisecond // a busy store
	stop := run(t, srv, inbox, &stubEngine{})

	var last int64
	for i := range 20 {
		last = srv.SendText(userA, fmt.Sprintf("m%02d", i))
	}
	waitUntil(t, "the first update is recorded", 10*time.Second, func() bool { return inbox.totalReceives() > 0 })
	srv.WaitConfirmed(t, last)
	stop()

	confirmed := srv.Confirmed()
	for id := int64(1); id < confirmed; id++ {
		if inbox.receiveCount(key(id)) == 0 {
			t.Errorf("update %d was confirmed to Telegram (offset %d) but never recorded: it is lost", id, confirmed)
		}
	}
}

// The answer to a button press comes after the replies, so the spinner
// stops only when the user can see the result.
func TestTelegramAnswersButtonAfterReplies(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		return conversation.Response{Notice: "saved", Replies: []conversation.Reply{{Text: "one"}, {Text: "two"}}}, nil
	}}
	run(t, srv, inbox, engine)

	cb := srv.TapData(userA, 1, "x")
	ans := srv.WaitAnswer(t, cb)
	if ans.Text != "saved" {
		t.Errorf("answer = %q, want the notice", ans.Text)
	}
	// Once the answer is there, both replies must already be.
	if got, want := messageTexts(srv.Messages(userA.ID)), []string{"one", "two"}; !slices.Equal(got, want) {
		t.Errorf("when the button was answered the chat had %q, want %q", got, want)
	}
	if n := len(srv.CallbackAnswers()); n != 1 {
		t.Errorf("%d answers to one button press", n)
	}
	if strings.TrimSpace(ans.QueryID) == "" {
		t.Error("answer without a query id")
	}
}

// downInbox is an inbox whose store can be taken away for the engine's
// writes while updates are still recorded (they were recorded before).
type downInbox struct {
	*memInbox
	down atomic.Bool
}

func (d *downInbox) Ping(context.Context) error {
	if d.down.Load() {
		return errors.New("store unreachable")
	}
	return nil
}

// An update recorded before the store went away fails in the engine: the
// user gets no apology, the update keeps its chat's place, and once the
// store is back it and the one behind it are answered, in order, once.
func TestUpdatesInHandWaitForTheStore(t *testing.T) {
	srv := bottest.New(t)
	inbox := &downInbox{memInbox: newMemInbox()}
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if inbox.down.Load() {
			return conversation.Response{}, errors.New("save the step: server selection timeout")
		}
		return echo(in), nil
	}}
	run(t, srv, inbox, engine)
	inbox.down.Store(true)
	first := srv.SendText(userA, "one")
	srv.SendText(userA, "two")
	waitUntil(t, "the engine tried the first update", 5*time.Second, func() bool { return len(engine.seen(userA.ID)) >= 1 })
	time.Sleep(1500 * time.Millisecond) // the bot waits for the store meanwhile
	if msgs := srv.Messages(userA.ID); len(msgs) != 0 {
		t.Fatalf("while the store was away the user got %q", messageTexts(msgs))
	}
	if !inbox.has(key(first)) {
		t.Fatal("the update in hand left the inbox while the store was away")
	}
	inbox.down.Store(false)
	srv.WaitText(t, userA.ID, "echo: two")
	if got := messageTexts(srv.Messages(userA.ID)); !slices.Equal(got, []string{"echo: one", "echo: two"}) {
		t.Errorf("after the store came back: %q", got)
	}
}

// A photo the project stores (uploaded on the web page) has no Telegram
// file id: the bot uploads its bytes, with the caption under it.
func TestTelegramUploadsAStoredPhoto(t *testing.T) {
	srv := bottest.New(t)
	jpeg := testPNG(t) // any image the fake accepts
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Text == "/photos" {
			return conversation.Response{Replies: []conversation.Reply{{Caption: "村史馆参观",
				Photos: []conversation.Photo{{Photo: fieldlog.Photo{Source: fieldlog.StoredPhoto, ID: "6650f0c2a1b2c3d4e5f60718"}, Data: jpeg}}}}}, nil
		}
		return echo(in), nil
	}}
	run(t, srv, newMemInbox(), engine)
	srv.SendText(userA, "/photos")
	m := srv.WaitFor(t, userA.ID, func(m bottest.Message) bool { return m.Photo != nil }, bottest.DefaultWait)
	if !bytes.Equal(m.Photo.Data, jpeg) || m.Caption != "村史馆参观" {
		t.Errorf("photo %d bytes with caption %q, want the stored file uploaded with its caption", len(m.Photo.Data), m.Caption)
	}
}

// A photo an officer sent in the chat is fetched back from Telegram for
// the web page (getFile, then the download); one Telegram does not have
// is not found, nor one of another source.
func TestChannelPhotoFetchesWhatTelegramKeeps(t *testing.T) {
	srv := bottest.New(t)
	tg, _ := startBot(t, Config{Token: srv.Token(), APIURL: srv.URL(), Inbox: newMemInbox(), Apology: "sorry", Limits: Limits{Off: true}}, &stubEngine{})
	srv.Register(userA)
	_, fileID := srv.SendPhoto(userA, "")
	ctx := context.Background()
	data, ct, err := tg.ChannelPhoto(ctx, fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: fileID})
	if err != nil || ct != "image/jpeg" || len(data) < 100 {
		t.Fatalf("fetched %d bytes of %q: %v", len(data), ct, err)
	}
	if _, _, err := tg.ChannelPhoto(ctx, fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: "no-such-file"}); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a file Telegram does not have: %v", err)
	}
	if _, _, err := tg.ChannelPhoto(ctx, fieldlog.Photo{Source: fieldlog.StoredPhoto, ID: "x"}); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a stored photo: %v", err)
	}
}
