package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fieldlog"
)

// BenchmarkOps measures single store operations on the embedded server:
// what one update of a /log conversation costs.
func BenchmarkOps(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Logger: testLogger(&testing.T{})})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	ctx := context.Background()
	for i := range 1000 {
		s.SaveConversation(ctx, fieldlog.Conversation{UserID: int64(i)})
	}
	payload := []byte(`{"update_id":123456789,"message":{"message_id":1234,"from":{"id":7000003,"is_bot":false,"first_name":"Bat","language_code":"zh-hans"},"chat":{"id":7000003,"type":"private","first_name":"Bat"},"date":1733040000,"text":"45"}}`)
	b.Run("ReceiveInbox", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			s.Receive(ctx, fieldlog.IncomingUpdate{Key: fmt.Sprint("tg:", i), Seq: int64(i), ChatID: 5, Payload: payload, ReceivedAt: time.Now()})
		}
	})
	b.Run("DoneOne", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			s.Done(ctx, fmt.Sprint("tg:", i))
		}
	})
	conv := fieldlog.Conversation{UserID: 7, ID: "abcdef", Flow: "log", Step: "title",
		Draft: fieldlog.Activity{ID: "abcdefghijkm", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 19}, Participants: fieldlog.Count{Value: 45}},
		Vars:  map[string]string{"cal": ""}, Applied: strings.Split("tg:100000001 tg:100000002 tg:100000003 tg:100000004 tg:100000005 tg:100000006 tg:100000007 tg:100000008", " ")}
	b.Run("SaveConversation", func(b *testing.B) {
		for b.Loop() {
			conv.UpdatedAt = time.Now()
			s.SaveConversation(ctx, conv)
		}
	})
}

func BenchmarkSaveTiny(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Logger: testLogger(&testing.T{})})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	ctx := context.Background()
	for i := range 1000 {
		s.SaveConversation(ctx, fieldlog.Conversation{UserID: int64(i)})
	}
	for b.Loop() {
		s.SaveUser(ctx, fieldlog.User{ID: 7, Lang: "zh-Hans"})
	}
}

func BenchmarkSaveTinyConversation(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Logger: testLogger(&testing.T{})})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	ctx := context.Background()
	for i := range 1000 {
		s.SaveConversation(ctx, fieldlog.Conversation{UserID: int64(i)})
	}
	for b.Loop() {
		s.SaveConversation(ctx, fieldlog.Conversation{UserID: 7, Applied: []string{"tg:1"}})
	}
}

func BenchmarkSaveVariants(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Logger: testLogger(&testing.T{})})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	ctx := context.Background()
	for i := range 1000 {
		s.SaveConversation(ctx, fieldlog.Conversation{UserID: int64(i)})
	}
	applied := strings.Split("tg:100000001 tg:100000002 tg:100000003 tg:100000004 tg:100000005 tg:100000006 tg:100000007 tg:100000008", " ")
	draft := fieldlog.Activity{ID: "abcdefghijkm", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 19}, Participants: fieldlog.Count{Value: 45}}
	for name, c := range map[string]fieldlog.Conversation{
		"applied":     {UserID: 7, Applied: applied},
		"draft":       {UserID: 7, Draft: draft},
		"flow":        {UserID: 7, ID: "abcdef", Flow: "log", Step: "title"},
		"time":        {UserID: 7, UpdatedAt: time.Now()},
		"all-no-time": {UserID: 7, ID: "abcdef", Flow: "log", Step: "title", Draft: draft, Applied: applied},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s.SaveConversation(ctx, c)
			}
		})
	}
}
