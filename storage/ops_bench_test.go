package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fieldlog"
)

// openForBench opens an embedded store holding the conversations of 1,000
// users, as a busy bot's store does: a lookup that scans shows at once.
func openForBench(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir(), Logger: testLogger(&testing.T{})})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close(context.Background()) })
	for i := range 1000 {
		if err := s.SaveConversation(ctx, fieldlog.Conversation{UserID: int64(i)}); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// must fails the benchmark on a store error: a failing operation is no
// measurement.
func must(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOps measures single store operations on the embedded server:
// what one update of a /log conversation costs.
func BenchmarkOps(b *testing.B) {
	s := openForBench(b)
	ctx := context.Background()
	payload := []byte(`{"update_id":123456789,"message":{"message_id":1234,"from":{"id":7000003,"is_bot":false,"first_name":"Bat","language_code":"zh-hans"},"chat":{"id":7000003,"type":"private","first_name":"Bat"},"date":1733040000,"text":"45"}}`)
	b.Run("ReceiveInbox", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			_, err := s.Receive(ctx, fieldlog.IncomingUpdate{Key: fmt.Sprint("tg:", i), Seq: int64(i), ChatID: 5, Payload: payload, ReceivedAt: time.Now()})
			must(b, err)
		}
	})
	b.Run("DoneOne", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			must(b, s.Done(ctx, fmt.Sprint("tg:", i)))
		}
	})
	b.Run("SaveUser", func(b *testing.B) {
		for b.Loop() {
			must(b, s.SaveUser(ctx, fieldlog.User{ID: 7, Lang: "zh-Hans"}))
		}
	})
	conv := fieldlog.Conversation{UserID: 7, ID: "abcdef", Flow: "log", Step: "title",
		Draft: fieldlog.Activity{ID: "abcdefghijkm", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 19}, Participants: fieldlog.Count{Value: 45}},
		Vars:  map[string]string{"cal": ""}, Applied: strings.Split("tg:100000001 tg:100000002 tg:100000003 tg:100000004 tg:100000005 tg:100000006 tg:100000007 tg:100000008", " ")}
	b.Run("SaveConversation", func(b *testing.B) {
		for b.Loop() {
			conv.UpdatedAt = time.Now()
			must(b, s.SaveConversation(ctx, conv))
		}
	})
}

// BenchmarkSaveVariants saves conversations that differ in one part, to
// see which part of a conversation document costs.
func BenchmarkSaveVariants(b *testing.B) {
	s := openForBench(b)
	ctx := context.Background()
	applied := strings.Split("tg:100000001 tg:100000002 tg:100000003 tg:100000004 tg:100000005 tg:100000006 tg:100000007 tg:100000008", " ")
	draft := fieldlog.Activity{ID: "abcdefghijkm", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 19}, Participants: fieldlog.Count{Value: 45}}
	for name, c := range map[string]fieldlog.Conversation{
		"tiny":        {UserID: 7, Applied: []string{"tg:1"}},
		"applied":     {UserID: 7, Applied: applied},
		"draft":       {UserID: 7, Draft: draft},
		"flow":        {UserID: 7, ID: "abcdef", Flow: "log", Step: "title"},
		"time":        {UserID: 7, UpdatedAt: time.Now()},
		"all-no-time": {UserID: 7, ID: "abcdef", Flow: "log", Step: "title", Draft: draft, Applied: applied},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				must(b, s.SaveConversation(ctx, c))
			}
		})
	}
}
