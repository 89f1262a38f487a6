package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fieldlog"
	"fieldlog/bot"
	"fieldlog/catalog"
	"fieldlog/conversation"
	"fieldlog/locales"
	"fieldlog/parse"
)

// store is what the bot keeps its state in: storage.Store or memory.Store.
type store interface {
	fieldlog.Store
	fieldlog.Inbox
}

// startBot wires the bot as `fieldlog serve` does (cmd/fieldlog/main.go)
// with the settings a new user starts with (but no send limits): the built-in catalogue, the
// units file imported at the start, no admins, Asia/Shanghai, the real
// clock, and no status chart renderer (/log never draws). It runs until
// ctx ends; the channel gives Run's result.
func startBot(ctx context.Context, st store, unitList []fieldlog.Unit, apiURL, token string, logger *slog.Logger) (<-chan error, error) {
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
	bilingual := func(id string) string {
		return msgs.Text(fieldlog.Chinese, id, nil) + "\n" + msgs.Text(fieldlog.Mongolian, id, nil)
	}
	// The load measures what the bot itself carries: Telegram's 30 messages
	// a second, which the bot keeps to in production, would cap it there.
	channel, err := bot.New(ctx, bot.Config{Token: token, APIURL: apiURL, Inbox: st,
		Apology: bilingual("error_try_again"), Busy: bilingual("busy_wait"), Limits: bot.Limits{Off: true}, Logger: logger})
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return nil, err
	}
	engine := conversation.New(conversation.Config{Store: st, Catalog: cat, Messages: msgs, Location: loc,
		BotName: channel.Username(), Now: time.Now, Notifier: channel, Logger: logger})
	officer := fieldlog.User{Role: fieldlog.Officer, UnitID: "any"}
	if err := channel.SetCommands(ctx, map[string][]conversation.Command{
		"":   engine.Commands(officer, fieldlog.Chinese),
		"zh": engine.Commands(officer, fieldlog.Chinese),
		"mn": engine.Commands(officer, fieldlog.Mongolian),
	}); err != nil {
		logger.Warn("register command lists", "err", err)
	}
	done := make(chan error, 1)
	go func() { done <- channel.Run(ctx, engine) }()
	return done, nil
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
