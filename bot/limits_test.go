package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"fieldlog/bot/bottest"
	"fieldlog/conversation"
)

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"fits", "one\ntwo", 10, []string{"one\ntwo"}},
		{"at line breaks", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"a line alone", "aaaa\nbbbbbbbbb\ncc", 9, []string{"aaaa", "bbbbbbbbb", "cc"}},
		{"a long line at a space", "aaaa bbbb cccc", 9, []string{"aaaa bbbb", "cccc"}},
		{"a long line without spaces", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"UTF-16 units, not runes", "🎉🎉🎉", 4, []string{"🎉🎉", "🎉"}},
		{"empty lines between parts are dropped", "aaaa\n\nbbbb", 4, []string{"aaaa", "bbbb"}},
	} {
		if got := splitText(tc.in, tc.limit); !slices.Equal(got, tc.want) {
			t.Errorf("%s: splitText(%q, %d) = %q, want %q", tc.name, tc.in, tc.limit, got, tc.want)
		}
	}
}

// FuzzSplitText: whatever the text, every part fits, no part is blank, and
// the parts hold every non-space character of the text, in order.
func FuzzSplitText(f *testing.F) {
	for _, s := range []string{"", "a\nb", strings.Repeat("部分嘎查宣传覆盖面不够广\n", 400), "ᠮᠣᠩᠭᠣᠯ\u202fᠤᠨ " + strings.Repeat("🎉", 3000), "\n\n\n", "x y"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if !utf8.ValidString(s) || limit < 2 || limit > 5000 {
			return
		}
		parts := splitText(s, limit)
		var got, want strings.Builder
		for _, p := range parts {
			if utf16Len(p) > limit {
				t.Fatalf("part of %d units over the limit %d: %q", utf16Len(p), limit, p)
			}
			if strings.TrimSpace(p) == "" && len(parts) > 1 {
				t.Fatalf("blank part among %d: %q", len(parts), parts)
			}
			got.WriteString(strings.Join(strings.Fields(p), ""))
		}
		want.WriteString(strings.Join(strings.Fields(s), ""))
		if got.String() != want.String() {
			t.Fatalf("text lost in splitting:\n got %q\nwant %q", got.String(), want.String())
		}
	})
}

// A reply longer than Telegram allows reaches the user whole, in parts cut
// at line breaks, with its buttons on the last part; an edit replaces the
// pressed message with the first part. A caption too long for a photo
// comes as a message after it. The fake Bot API refuses what Telegram
// would, so a part over the limit would fail this test.
func TestTelegramSplitsWhatIsTooLong(t *testing.T) {
	srv := bottest.New(t)
	long := strings.TrimSpace(strings.Repeat(strings.Repeat("宣", 999)+"\n", 9)) // 9 lines, 8,999 units
	buttons := [][]conversation.Button{{{Text: "OK", Data: "ok"}}}
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		switch {
		case in.Text == "long":
			return conversation.Response{Replies: []conversation.Reply{{Text: long, Buttons: buttons}}}, nil
		case in.Text == "menu":
			return conversation.Response{Replies: []conversation.Reply{{Text: "menu", Buttons: buttons}}}, nil
		case in.Button == "ok":
			return conversation.Response{Replies: []conversation.Reply{{Text: long, Edit: true}}}, nil
		case in.Text == "photo":
			return conversation.Response{Replies: []conversation.Reply{{Photos: []conversation.Photo{{Photo: in.Photo}}, Caption: strings.Repeat("ᠮ", 1025)}}}, nil
		case in.Photo.ID != "":
			return conversation.Response{Replies: []conversation.Reply{{Photos: []conversation.Photo{{Photo: in.Photo}}, Caption: "短标题"}}}, nil
		}
		return echo(in), nil
	}}
	run(t, srv, newMemInbox(), engine)

	srv.SendText(userA, "long")
	waitUntil(t, "three parts arrived", 10*time.Second, func() bool { return len(srv.Messages(userA.ID)) == 3 })
	msgs := srv.Messages(userA.ID)
	var joined []string
	for i, m := range msgs {
		if n := utf16Len(m.Text); n > maxText {
			t.Errorf("part %d has %d units", i, n)
		}
		if hasButtons := len(m.InlineKeyboard) > 0; hasButtons != (i == 2) {
			t.Errorf("part %d: buttons %v, want them on the last part only", i, m.ButtonTexts())
		}
		joined = append(joined, m.Text)
	}
	if strings.Join(joined, "\n") != long {
		t.Error("the parts put together are not the reply")
	}

	srv.SendText(userA, "menu")
	menu := srv.WaitText(t, userA.ID, "menu")
	cb, err := srv.Tap(userA, menu.ID, "OK")
	if err != nil {
		t.Fatal(err)
	}
	srv.WaitAnswer(t, cb)
	waitUntil(t, "the edit and two more parts", 10*time.Second, func() bool { return len(srv.Messages(userA.ID)) == 6 })
	if m := srv.Messages(userA.ID)[3]; m.ID != menu.ID || !strings.HasPrefix(long, m.Text) || m.Edits != 1 {
		t.Errorf("the pressed message became %q (edits %d), want the first part", m.Text[:min(len(m.Text), 30)], m.Edits)
	}

	_, fileID := srv.SendPhoto(userA, "")
	p := srv.WaitFor(t, userA.ID, func(m bottest.Message) bool { return m.Photo != nil }, 10*time.Second)
	if p.Photo.ID != fileID || p.Caption != "短标题" {
		t.Errorf("photo %+v with caption %q, want the photo with its caption", p.Photo, p.Caption)
	}
}

// A stop waits for updates in hand for the grace period only; what is cut
// short stays in the inbox and is handled at the next start.
func TestTelegramStopIsBounded(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	var started atomic.Bool
	stuck := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		started.Store(true)
		<-time.After(time.Minute) // a store that stopped answering, say
		return echo(in), nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	tg, err := New(ctx, Config{Token: srv.Token(), APIURL: srv.URL(), Inbox: inbox, PollTimeout: time.Second, StopGrace: 200 * time.Millisecond, Limits: Limits{Off: true}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tg.Run(ctx, contextEngine{stuck}) }()
	id := srv.SendText(userA, "in hand")
	srv.SendText(userA, "queued")
	waitUntil(t, "the update is in hand", 5*time.Second, started.Load)
	start := time.Now()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of the stop")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the stop took %v, want about the grace period", took)
	}
	if !inbox.has(key(id)) || !inbox.has(key(id+1)) {
		t.Fatal("the updates cut short by the stop are not in the inbox")
	}

	// The next start handles them, in order.
	engine := &stubEngine{}
	run(t, srv, inbox, engine)
	waitUntil(t, "both handled after the restart", 10*time.Second, func() bool { return len(engine.seen(userA.ID)) == 2 })
	if got := engine.texts(userA.ID); !slices.Equal(got, []string{"in hand", "queued"}) {
		t.Errorf("after the restart the engine saw %q", got)
	}
}

// contextEngine gives up when the handling context ends, as the real engine
// does through its store calls.
type contextEngine struct{ e Engine }

func (c contextEngine) Handle(ctx context.Context, in conversation.Input) (conversation.Response, error) {
	type result struct {
		r   conversation.Response
		err error
	}
	ch := make(chan result, 1)
	go func() { r, err := c.e.Handle(ctx, in); ch <- result{r, err} }()
	select {
	case r := <-ch:
		return r.r, r.err
	case <-ctx.Done():
		return conversation.Response{}, ctx.Err()
	}
}

// One user who floods the bot is told once to wait; every update is
// handled, in order, and at most MaxQueued of them wait in memory.
func TestTelegramFloodIsHandledInTurn(t *testing.T) {
	srv := bottest.New(t)
	inbox := newMemInbox()
	release := make(chan struct{})
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Text == "m00" {
			<-release
		}
		return echo(in), nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tg, err := New(ctx, Config{Token: srv.Token(), APIURL: srv.URL(), Inbox: inbox, Busy: "busy", PollTimeout: time.Second, MaxQueued: 3, Limits: Limits{Off: true}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tg.Run(ctx, engine) }()
	t.Cleanup(func() { cancel(); <-done })

	const n = 12
	var want []string
	for i := range n {
		srv.SendText(userA, fmt.Sprintf("m%02d", i))
		want = append(want, fmt.Sprintf("echo: m%02d", i))
	}
	srv.WaitText(t, userA.ID, "busy")
	tg.lanes.mu.Lock()
	queued := len(tg.lanes.queues[userA.ID].jobs)
	tg.lanes.mu.Unlock()
	if queued > 3 {
		t.Errorf("%d updates of one chat wait in memory, want at most 3", queued)
	}
	close(release)
	waitUntil(t, "every update answered", 10*time.Second, func() bool { return len(srv.Messages(userA.ID)) == n+1 })
	var got []string
	busy := 0
	for _, m := range srv.Messages(userA.ID) {
		if m.Text == "busy" {
			busy++
			continue
		}
		got = append(got, m.Text)
	}
	if busy != 1 {
		t.Errorf("told to wait %d times, want once", busy)
	}
	if !slices.Equal(got, want) {
		t.Errorf("answers %q, want every update once, in order", got)
	}
}
