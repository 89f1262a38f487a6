package storage

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"fieldlog"
)

// benchActRecords is how many records BenchmarkListActivities stores:
// 50,000 unless ACTBENCH_RECORDS says otherwise.
func benchActRecords(b *testing.B) int {
	if v := os.Getenv("ACTBENCH_RECORDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 250 {
			b.Fatalf("ACTBENCH_RECORDS=%q: want a number of at least 250", v)
		}
		return n
	}
	return 50000
}

// actBenchUnits are 8 villages; the first three are "the subtree" (3/8 of
// the records, ≈18,750 of 50,000, as in web's BenchmarkPages).
var actBenchUnits = []fieldlog.UnitID{"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"}

// BenchmarkListActivities measures ListActivities and CountActivities on
// the embedded store with n records (InsertMany, in batches, to seed
// quickly): an officer's 200 records (every 250th) and a subtree of 3 of 8
// villages, a first page of 20 and a page deep in the list; "scan" is the
// server's own query, as before the index; "load" reads the index anew.
func BenchmarkListActivities(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir(), Logger: slog.New(slog.DiscardHandler), OpTimeout: 10 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close(context.Background()) })
	n := benchActRecords(b)
	start := time.Now()
	day0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var batch []any
	for i := range n {
		reporter := int64(100 + i%40)
		unit := actBenchUnits[i%len(actBenchUnits)]
		if i%250 == 0 {
			reporter, unit = 11, "v0"
		}
		d := day0.AddDate(0, 0, -(i % 170))
		a := fieldlog.Activity{
			ID: fieldlog.ActivityID(fmt.Sprintf("rec%07d", i)), SectionID: "publicity", TypeID: "lecture",
			Date: fieldlog.DateOf(d, time.UTC), Participants: fieldlog.Count{Value: 30},
			Title: "宣讲 党的政策 到 村 " + strconv.Itoa(i), Place: "村委会", Photos: []fieldlog.Photo{{ID: "AgACAgUAAxkBAAIBcdefghijklmnop" + strconv.Itoa(i)}},
			UnitID: unit, ReporterID: reporter, ReporterName: "officer", LoggedAt: d.Add(time.Duration(i%7) * time.Hour),
		}
		batch = append(batch, toActivityDoc(a))
		if len(batch) == 1000 || i == n-1 {
			if _, err := s.activities.InsertMany(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	b.Logf("seeded %d records in %v", n, time.Since(start))
	mine := fieldlog.ActivityFilter{ReporterID: 11, AllUnits: true}
	subtree := fieldlog.ActivityFilter{Units: actBenchUnits[:3]}
	acts := s.acts

	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			acts.forget()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			t0 := time.Now()
			if _, err := s.CountActivities(ctx, mine); err != nil {
				b.Fatal(err)
			}
			took := time.Since(t0)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "heapMB")
			b.Logf("index of %d records loaded in %v, %.1f MB of heap", len(acts.ents), took, float64(after.HeapAlloc-before.HeapAlloc)/1e6)
		}
	})
	for _, mode := range []string{"index", "scan"} {
		if mode == "scan" {
			s.acts = nil
		} else {
			s.acts = acts
		}
		for _, c := range []struct {
			name        string
			f           fieldlog.ActivityFilter
			skip, limit int
		}{
			{"mine", mine, 0, 20},
			{"mine-page5", mine, 80, 20},
			{"subtree", subtree, 0, 20},
			{"subtree-page50", subtree, 980, 20},
		} {
			b.Run(mode+"/list/"+c.name, func(b *testing.B) {
				for b.Loop() {
					got, err := s.ListActivities(ctx, c.f, c.skip, c.limit)
					if err != nil || len(got) != c.limit {
						b.Fatalf("%d records, %v", len(got), err)
					}
				}
			})
		}
		for name, f := range map[string]fieldlog.ActivityFilter{"mine": mine, "subtree": subtree} {
			b.Run(mode+"/count/"+name, func(b *testing.B) {
				for b.Loop() {
					if _, err := s.CountActivities(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	s.acts = acts
}
