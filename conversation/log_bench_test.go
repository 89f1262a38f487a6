package conversation_test

// BenchmarkLogStep measures the engine's handling of the updates of /log
// conversations, without Telegram: on the embedded store (the default a new
// user gets) and in memory (the engine's own cost). One op is one update;
// officers already joined, 1,000 of them, as in a banner.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/conversation"
	"fieldlog/locales"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
	"fieldlog/units"
)

func BenchmarkLogStep(b *testing.B) {
	for _, kind := range []string{"embedded", "memory"} {
		b.Run(kind, func(b *testing.B) {
			var store fieldlog.Store
			if kind == "memory" {
				store = memory.New()
			} else {
				store = storagetest.New(b)
			}
			benchmarkLogStep(b, store)
		})
	}
}

func benchmarkLogStep(b *testing.B, store fieldlog.Store) {
	ctx := context.Background()
	unitList, err := units.ReadFile("../deploy/units.sample.csv")
	if err != nil {
		b.Fatal(err)
	}
	if err := store.SaveUnits(ctx, unitList); err != nil {
		b.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	msgs, err := locales.New()
	if err != nil {
		b.Fatal(err)
	}
	const officers = 1000
	for i := range officers {
		id := int64(100000 + i)
		if err := store.SaveUser(ctx, fieldlog.User{ID: id, ChatID: id, Name: "officer", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "duguilang"}); err != nil {
			b.Fatal(err)
		}
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	e := engineOf(conversation.Config{Store: store, Catalog: cat, Messages: msgs, Location: loc,
		Now: func() time.Time { return time.Date(2024, 6, 20, 9, 0, 0, 0, loc) }})
	key := 0
	last := map[int64]conversation.Response{}
	handle := func(user int64, in conversation.Input) {
		key++
		in.UserID, in.ChatID, in.Key = user, user, fmt.Sprint("tg:", key)
		r, err := e.Handle(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		last[user] = r
	}
	press := func(user int64, label string) {
		for _, r := range last[user].Replies {
			for _, row := range r.Buttons {
				for _, bt := range row {
					if bt.Text == label {
						handle(user, conversation.Input{Button: bt.Data, MessageID: 1})
						return
					}
				}
			}
		}
		b.Fatalf("no button %q", label)
	}
	section, _ := cat.Section("publicity")
	typ, _ := cat.Type("publicity", "lecture")
	tr := func(id string) string { return msgs.Text(fieldlog.Chinese, id, nil) }
	steps := []func(int64){
		func(u int64) { handle(u, conversation.Input{Text: "/log"}) },
		func(u int64) { press(u, section.Name.In(fieldlog.Chinese)) },
		func(u int64) { press(u, typ.Name.In(fieldlog.Chinese)) },
		func(u int64) { press(u, tr("btn_yesterday")) },
		func(u int64) { handle(u, conversation.Input{Text: "45"}) },
		func(u int64) { handle(u, conversation.Input{Text: "政策宣讲进牧户"}) },
		func(u int64) { press(u, tr("btn_skip_photos")) },
		func(u int64) { press(u, tr("btn_save")) },
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		user := int64(100000 + (i/len(steps))%officers)
		steps[i%len(steps)](user)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/update")
}
