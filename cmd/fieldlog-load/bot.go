package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"fieldlog"
	"fieldlog/bot"
	"fieldlog/catalog"
	"fieldlog/conversation"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/parse"
)

// store is what the bot keeps its state in: storage.Store or memory.Store.
type store interface {
	fieldlog.Store
	fieldlog.Inbox
	fieldlog.ChatLeases
}

// startBot wires the bot as `fieldlog serve` does (cmd/fieldlog/main.go)
// with the settings a new user starts with (but no send limits): the built-in catalogue, the
// units file imported at the start, no admins, Asia/Shanghai, the real
// clock, and no status chart renderer (/log never draws). It runs until
// ctx ends; the channel gives Run's result.
//
// With webhook set it runs in webhook mode as `fieldlog serve` does with
// FIELDLOG_WEBHOOK_URL: processes bots (channels and engines) share the
// store and its chat leases behind a load balancer on loopback that gives
// each post to the next bot in turn. The embedded store is one process's,
// so the "processes" are in this one; on MongoDB they would be apart.
func startBot(ctx context.Context, st store, unitList []fieldlog.Unit, apiURL, token string, webhook bool, processes int, logger *slog.Logger) (<-chan error, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	msgs, err := locales.New()
	if err != nil {
		return nil, err
	}
	if err := st.SaveUnits(ctx, unitList); err != nil {
		return nil, fmt.Errorf("import units: %w", err)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return nil, err
	}
	bilingual := func(id string) string {
		return msgs.Text(fieldlog.Chinese, id, nil) + "\n" + msgs.Text(fieldlog.Mongolian, id, nil)
	}
	var lb *balancer
	var hook *bot.Webhook
	if webhook {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lb = &balancer{}
		srv := &http.Server{Handler: lb}
		go func() { _ = srv.Serve(ln) }()
		go func() { <-ctx.Done(); _ = srv.Close() }()
		hook = &bot.Webhook{URL: "http://" + ln.Addr().String() + "/telegram", Secret: "load-test-secret"}
	} else {
		processes = 1
	}
	done := make(chan error, processes)
	for i := range processes {
		// The load measures what the bot itself carries: Telegram's 30
		// messages a second, which the bot keeps to in production, would
		// cap it there.
		cfg := bot.Config{Token: token, APIURL: apiURL, Inbox: st,
			Apology: bilingual("error_try_again"), Busy: bilingual("busy_wait"), Limits: bot.Limits{Off: true}, Logger: logger}
		if webhook {
			cfg.Webhook, cfg.Holder = hook, fmt.Sprint("load-", i)
		}
		if processes > 1 {
			// As `fieldlog serve` on MongoDB; one process needs no leases.
			cfg.Leases = st
		}
		channel, err := bot.New(ctx, cfg)
		if err != nil {
			return nil, err
		}
		var engine *conversation.Engine
		work := office.New(office.Config{Store: st, Catalog: cat, Messages: msgs, Location: loc, Now: time.Now, Logger: logger,
			Teller: office.TellerFunc(func(ctx context.Context, e office.Event) { engine.Tell(ctx, e) })})
		engine = conversation.New(conversation.Config{Office: work, Store: st, Catalog: cat, Messages: msgs, Location: loc,
			BotName: channel.Username(), Now: time.Now, Notifier: channel, Logger: logger})
		if i == 0 {
			officer := fieldlog.User{Role: fieldlog.Officer, UnitID: "any"}
			if err := channel.SetCommands(ctx, map[string][]conversation.Command{
				"":   engine.Commands(officer, fieldlog.Chinese),
				"zh": engine.Commands(officer, fieldlog.Chinese),
				"mn": engine.Commands(officer, fieldlog.Mongolian),
			}); err != nil {
				logger.Warn("register command lists", "err", err)
			}
		}
		if lb != nil {
			lb.add(channel.WebhookHandler())
		}
		go func() { done <- channel.Run(ctx, engine) }()
	}
	all := make(chan error, 1)
	go func() {
		var errs []error
		for range processes {
			errs = append(errs, <-done)
		}
		all <- errors.Join(errs...)
	}()
	return all, nil
}

// balancer gives each post to the next bot in turn, as a load balancer
// in front of several processes does.
type balancer struct {
	mu   sync.Mutex
	bots []http.Handler
	next int
}

func (b *balancer) add(h http.Handler) {
	b.mu.Lock()
	b.bots = append(b.bots, h)
	b.mu.Unlock()
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	h := b.bots[b.next%len(b.bots)]
	b.next++
	b.mu.Unlock()
	h.ServeHTTP(w, r)
}

// conversationScript is the /log conversation the officers walk, in
// Chinese, with the labels and questions of the built-in catalogue and
// locales: a lecture (a type without a quantity) held yesterday.
func conversationScript() (script, error) {
	cat, err := catalog.Default()
	if err != nil {
		return script{}, err
	}
	msgs, err := locales.New()
	if err != nil {
		return script{}, err
	}
	zh := fieldlog.Chinese
	tr := func(id string, kv ...any) string { return msgs.Textf(zh, id, kv...) }
	sec, ok := cat.Section("publicity")
	ty, ok2 := cat.Type("publicity", "lecture")
	if !ok || !ok2 || ty.Quantity {
		return script{}, fmt.Errorf("the built-in catalogue has no publicity/lecture without a quantity")
	}
	bilingual := func(id string) string { return msgs.Text(zh, id, nil) + "\n" + msgs.Text(fieldlog.Mongolian, id, nil) }
	return script{
		Apology: bilingual("error_try_again"),
		Busy:    bilingual("busy_wait"),
		Steps: []step{
			{Name: "/log", Text: "/log", Want: tr("ask_section")},
			{Name: "section", Tap: sec.Name.In(zh), Want: tr("ask_type", "Section", sec.Name.In(zh))},
			{Name: "type", Tap: ty.Name.In(zh), Want: tr("ask_date", "Forms", tr("date_forms"))},
			{Name: "yesterday", Tap: tr("btn_yesterday"), Want: tr("ask_participants")},
			{Name: "participants", Text: "45", Want: tr("ask_title", "Max", parse.MaxTitle)},
			{Name: "title", Text: titlePlaceholder, Want: tr("ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos)},
			{Name: "skip photos", Tap: tr("btn_skip_photos"), Want: tr("check_summary")},
			{Name: "save", Tap: tr("btn_save"), Want: tr("saved"), AlsoSend: tr("saved_next")},
		},
	}, nil
}
