package ledger_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/report/ledger"
)

// heapProbe tracks the peak of HeapInuse above a baseline. Sampling is
// cheap enough every few hundred records; ReadMemStats stops the world.
type heapProbe struct {
	base, peak uint64
	ms         runtime.MemStats
}

func newHeapProbe() *heapProbe {
	runtime.GC()
	p := &heapProbe{}
	runtime.ReadMemStats(&p.ms)
	p.base = p.ms.HeapInuse
	return p
}

func (p *heapProbe) sample() {
	runtime.ReadMemStats(&p.ms)
	if p.ms.HeapInuse > p.base {
		p.peak = max(p.peak, p.ms.HeapInuse-p.base)
	}
}

// probeWriter samples the heap while Close compresses the workbook. With
// dir set, it notes the names of the files in dir when the writing begins.
type probeWriter struct {
	p     *heapProbe
	n     int64
	calls int
	dir   string
	files []string
}

func (w *probeWriter) Write(b []byte) (int, error) {
	w.n += int64(len(b))
	if w.calls++; w.calls%64 == 0 {
		w.p.sample()
	}
	if w.calls == 1 && w.dir != "" {
		w.files = fileNames(w.dir)
	}
	return len(b), nil
}

func fileNames(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// hasPrefix reports whether a name in names starts with prefix.
func hasPrefix(names []string, prefix string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, prefix) })
}

// writeLedger streams n generated records through a ledger, as a database
// cursor would: no record is kept after Add.
func writeLedger(cfg ledger.Config, n int, w io.Writer, p *heapProbe) error {
	l, err := ledger.New(w, cfg)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		if err := l.Add(gen(r, i)); err != nil {
			return err
		}
		if p != nil && i%500 == 0 {
			p.sample()
		}
	}
	return l.Close()
}

// BenchmarkLedger reports, besides time and allocations per ledger, the
// peak live heap above the starting point (peak-heap-MB) and the output
// size per record. Compare the peaks of 5,000 and 50,000 records: they stay
// near the 16 MiB excelize keeps in memory before it moves the sheet XML to
// a temporary file, instead of growing tenfold.
func BenchmarkLedger(b *testing.B) {
	cfg := config(b, fieldlog.Chinese)
	for _, n := range []int{5_000, 50_000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			var size int64
			for b.Loop() {
				p := newHeapProbe()
				w := &probeWriter{p: p}
				if err := writeLedger(cfg, n, w, p); err != nil {
					b.Fatal(err)
				}
				p.sample()
				peak = max(peak, p.peak)
				size = w.n
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(size)/float64(n), "file-B/record")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		})
	}
}

// TestLedgerSpillsToDisk checks how memory stays bounded: the records wait
// for sorting in a file in TempDir, past excelize's 16 MiB the records
// sheet lives in another, the live heap stays well below what holding the
// records would take, and Close removes both files.
func TestLedgerSpillsToDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 60,000 records")
	}
	cfg := config(t, fieldlog.Chinese)
	cfg.TempDir = t.TempDir()
	p := newHeapProbe()
	w := &probeWriter{p: p, dir: cfg.TempDir}
	l, err := ledger.New(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	const n = 60_000
	for i := range n {
		if err := l.Add(gen(r, i)); err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 {
			p.sample()
		}
	}
	if files := fileNames(cfg.TempDir); !hasPrefix(files, "fieldlog-ledger-") {
		t.Errorf("after %d records TempDir holds %q: the records are in memory", n, files)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	p.sample()
	if !hasPrefix(w.files, "excelize-") {
		t.Errorf("while the workbook was written TempDir held %q: the sheet was in memory", w.files)
	}
	if files := fileNames(cfg.TempDir); len(files) != 0 {
		t.Errorf("Close left %q in TempDir", files)
	}
	// About 35 MiB for 60,000 records on a 2-core amd64 machine, where
	// holding the records would take several hundred. The limit leaves room
	// for the garbage collector's pacing, not for growth with records.
	const limit = 128 << 20
	if p.peak > limit {
		t.Errorf("peak heap %d MiB above the start, want under %d MiB", p.peak>>20, limit>>20)
	}
	t.Logf("peak heap %.1f MiB, file %.1f MiB", float64(p.peak)/(1<<20), float64(w.n)/(1<<20))
}

// TestLedgerAllocsPerRecord guards the cost per record while the sheet is
// still in memory: about 85 allocations a record (mostly excelize's cell
// encoding). Anything that makes excelize read the streamed sheet back
// (SetActiveSheet, GetRows, SetCellValue on the records sheet) parses it
// into a document tree and costs several hundred.
func TestLedgerAllocsPerRecord(t *testing.T) {
	cfg := config(t, fieldlog.Chinese)
	const n = 5_000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := writeLedger(cfg, n, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	perRecord := float64(after.Mallocs-before.Mallocs) / n
	if perRecord > 150 {
		t.Errorf("%.0f allocations per record, want under 150", perRecord)
	}
	t.Logf("%.0f allocations, %.0f bytes allocated per record", perRecord, float64(after.TotalAlloc-before.TotalAlloc)/n)
}
