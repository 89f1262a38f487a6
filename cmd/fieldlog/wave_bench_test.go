package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
)

// BenchmarkReminderWave runs the bot as `fieldlog serve` runs it, with
// Telegram's real limits in the bot and in the fake Bot API, on the
// morning of 18 June 2024, seven days before the default deadline: every
// one of FIELDLOG_WAVE_OFFICERS officers (10,000 unless set), none of
// whom has logged, is due a reminder. It waits until each has one and
// reports the rate, from the first reminder to the last, the wave's time,
// and the process's peak heap (the bot, the embedded store and the fake
// together, which keeps every message).
//
//	go test ./cmd/fieldlog -run '^$' -bench ReminderWave -benchtime 1x -timeout 30m
func BenchmarkReminderWave(b *testing.B) {
	n := 10000
	if s := os.Getenv("FIELDLOG_WAVE_OFFICERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("FIELDLOG_WAVE_OFFICERS=%q is not a number of officers", s)
		}
	}
	for range b.N {
		wave(b, n)
	}
}

func wave(b *testing.B, n int) {
	b.StopTimer()
	srv := bottest.New(b, bottest.WithLimits())
	env := testEnv(b, srv)
	env["FIELDLOG_LOG_LEVEL"] = "warn"
	ctx := context.Background()
	joinOfficers(b, srv, env, n)

	var peak atomic.Uint64
	stopSampling := sampleHeap(&peak)
	defer stopSampling()
	at := time.Date(2024, 6, 18, 9, 0, 0, 0, testStart.Location())
	c := &clock{base: at, start: time.Now()}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	var logs syncBuffer
	b.StartTimer()
	go func() {
		done <- run(runCtx, []string{"serve"}, world{getenv: getenv(env), stdout: io.Discard, stderr: &logs, now: c.now})
	}()
	var first, last time.Time
	deadline := time.Now().Add(time.Duration(n)*time.Second/20 + time.Minute) // well past n at 30 a second
	for {
		// Refused sends are retried: count only what arrived.
		sent := srv.Calls("sendMessage") - srv.TooManyRequests() - srv.Forbidden()
		if sent > 0 && first.IsZero() {
			first = time.Now()
		}
		if sent >= n {
			last = time.Now()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			b.Fatalf("after %s only %d of %d reminders were sent; log:\n%s", time.Since(first), sent, n, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatalf("bot: %v", err)
	}
	if got := srv.TooManyRequests(); got != 0 {
		b.Errorf("the wave provoked %d answers 429", got)
	}
	if got := srv.Calls("sendMessage"); got != n {
		b.Errorf("%d sends for %d officers", got, n)
	}
	for i := range n {
		if got := len(srv.Messages(int64(8_000_000 + i))); got != 1 {
			b.Fatalf("officer %d got %d reminders", i, got)
		}
	}
	elapsed := last.Sub(first)
	b.ReportMetric(float64(n-1)/elapsed.Seconds(), "msg/s")
	b.ReportMetric(elapsed.Seconds(), "s/wave")
	b.ReportMetric(float64(peak.Load())/(1<<20), "MB-peak-heap")
}

// joinOfficers stores n officers in the villages of the sample units, as
// if each had joined through an invitation on 1 March 2024; a third read
// Mongolian.
func joinOfficers(tb testing.TB, srv *bottest.Server, env map[string]string, n int) {
	tb.Helper()
	villages := []fieldlog.UnitID{"duguilang", "saruul", "khukh_nuur", "bayan_shili", "tsagaan_nuur", "tal_us", "shar_nuur", "altan_ovoo"}
	joined := time.Date(2024, 3, 1, 10, 0, 0, 0, testStart.Location())
	users := make([]fieldlog.User, n)
	for i := range users {
		id := int64(8_000_000 + i)
		lang := fieldlog.Chinese
		if i%3 == 0 {
			lang = fieldlog.Mongolian
		}
		users[i] = fieldlog.User{ID: id, ChatID: id, Name: fmt.Sprint("officer", i), Lang: lang, Role: fieldlog.Officer,
			UnitID: villages[i%len(villages)], JoinedAt: joined}
	}
	seedUsers(tb, srv, env, users...)
}

// seedUsers stores users directly, before the bot starts, and opens their
// chats in the fake Bot API, as if they had written to the bot before.
func seedUsers(tb testing.TB, srv *bottest.Server, env map[string]string, users ...fieldlog.User) {
	tb.Helper()
	ctx := context.Background()
	cfg, err := readConfig(getenv(env))
	if err != nil {
		tb.Fatal(err)
	}
	store, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	defer store.Close(ctx)
	for _, u := range users {
		if err := store.SaveUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
		srv.Register(bottest.User{ID: u.ID, FirstName: u.Name})
	}
}

// sampleHeap records the largest heap in use, every 50 ms, until stopped.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-quit:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() { close(quit); <-done }
}
