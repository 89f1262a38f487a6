package memory

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"fieldlog"
)

// The k newest hits, picked by the heap, are those a full sort puts first,
// ties in date and logging time included.
func TestNewestPicksWhatASortPutsFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	for round := range 200 {
		n := 1 + r.IntN(300)
		var hits []hit
		for i := range n {
			hits = append(hits, hit{date: 20240600 + r.IntN(5), logged: base.Add(time.Duration(r.IntN(4)) * time.Hour),
				id: fieldlog.ActivityID(fmt.Sprintf("r%04d", i))})
		}
		k := 1 + r.IntN(n)
		want := slices.Clone(hits)
		slices.SortFunc(want, newestFirst)
		got := newest(slices.Clone(hits), k)
		slices.SortFunc(got, newestFirst)
		if !slices.Equal(got, want[:k]) {
			t.Fatalf("round %d: the %d newest of %d: got %v, want %v", round, k, n, got, want[:k])
		}
	}
}
