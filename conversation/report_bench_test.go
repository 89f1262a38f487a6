package conversation_test

// Benchmarks of the whole /report on the embedded store (or on
// MONGODB_TEST_URI): from the tap on the half-year to the complete
// response — chat text, Word file and Excel ledger — with the peak heap
// while it is built. See BENCHMARKS.md.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/conversation"
	"fieldlog/locales"
	"fieldlog/storage/storagetest"
	"fieldlog/units"
)

func BenchmarkReport(b *testing.B) {
	for _, n := range []int{5000, 50000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) { benchmarkReport(b, n) })
	}
}

func benchmarkReport(b *testing.B, n int) {
	ctx := context.Background()
	store := storagetest.New(b)
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
	const coordinator = 1
	if err := store.SaveUser(ctx, fieldlog.User{ID: coordinator, ChatID: coordinator, Name: "王", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "galutu"}); err != nil {
		b.Fatal(err)
	}
	seed(b, store, cat, n)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	e := engineOf(conversation.Config{Store: store, Catalog: cat, Messages: msgs, Location: loc,
		Now: func() time.Time { return time.Date(2024, 6, 28, 9, 0, 0, 0, loc) }})

	b.ReportAllocs()
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		start, err := e.Handle(ctx, conversation.Input{UserID: coordinator, ChatID: coordinator, Text: "/report"})
		if err != nil {
			b.Fatal(err)
		}
		tap := start.Replies[0].Buttons[0][0].Data // the current half-year
		runtime.GC()
		stop := sampleHeap(&peak)
		b.StartTimer()
		resp, err := e.Handle(ctx, conversation.Input{UserID: coordinator, ChatID: coordinator, Button: tap, MessageID: 1})
		b.StopTimer()
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if last := resp.Replies[len(resp.Replies)-1]; len(last.Files) != 2 || !strings.Contains(last.Text, fmt.Sprint(n)) {
			b.Fatalf("the report does not cover %d records: %q", n, last.Text)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// sampleHeap records the largest heap in use until the returned stop is
// called.
func sampleHeap(peak *uint64) (stop func()) {
	var done atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for !done.Load() {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > *peak {
				*peak = m.HeapInuse
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return func() { done.Store(true); wg.Wait() }
}

// seed stores n records of the township 嘎鲁图镇 in 2024 H1.
func seed(b *testing.B, store interface {
	InsertActivity(context.Context, fieldlog.Activity) error
}, cat *fieldlog.Catalog, n int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	villages := []fieldlog.UnitID{"duguilang", "saruul", "khukh_nuur", "galutu"}
	for i := 0; i < n; i++ {
		s := cat.Sections[rng.IntN(len(cat.Sections))]
		ty := s.Types[rng.IntN(len(s.Types))]
		a := fieldlog.Activity{
			ID: fieldlog.ActivityID(fmt.Sprintf("bench%07d", i)), SectionID: s.ID, TypeID: ty.ID,
			Date:         fieldlog.Date{Year: 2024, Month: time.Month(1 + rng.IntN(6)), Day: 1 + rng.IntN(28)},
			Participants: fieldlog.Count{Value: int64(rng.IntN(200)), Approx: rng.IntN(5) == 0},
			Title:        fmt.Sprintf("第%d次政策宣讲进村入户活动", i),
			UnitID:       villages[rng.IntN(len(villages))], ReporterID: 100, ReporterName: "联络员",
			LoggedAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
		}
		if ty.Quantity {
			a.Quantity = fieldlog.Count{Value: int64(rng.IntN(2000))}
		}
		if err := store.InsertActivity(context.Background(), a); err != nil {
			b.Fatal(err)
		}
	}
}
