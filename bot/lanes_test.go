package bot

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitLanes calls l.wait and fails the test instead of hanging if it does
// not return (a lane that never drains, a deadlock).
func waitLanes(t *testing.T, l *lanes) {
	t.Helper()
	done := make(chan struct{})
	go func() { l.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("lanes.wait did not return within 10s")
	}
}

// jitter makes a job take a little, random time, so that jobs running in
// the wrong order or at the same time would show.
func jitter() {
	if n := rand.IntN(4); n == 0 {
		runtime.Gosched()
	} else {
		time.Sleep(time.Duration(n) * 100 * time.Microsecond)
	}
}

func TestLanesKeepEachChatsPushOrder(t *testing.T) {
	const (
		chats   = 5
		pushers = 8
		perChat = 60
	)
	var (
		l lanes
		// pushMu makes "push order" well defined across goroutines: a job's
		// number is taken and the job pushed under one lock.
		pushMu sync.Mutex
		next   [chats]int
		ranMu  sync.Mutex
		ran    [chats][]int
		busy   [chats]atomic.Int32
		overlp atomic.Int32
	)
	var wg sync.WaitGroup
	for g := range pushers {
		wg.Go(func() {
			for i := range chats * perChat / pushers {
				chat := (g + i) % chats // each pusher interleaves all chats
				pushMu.Lock()
				n := next[chat]
				next[chat]++
				l.push(int64(chat+1), func() {
					if busy[chat].Add(1) != 1 {
						overlp.Add(1)
					}
					jitter()
					ranMu.Lock()
					ran[chat] = append(ran[chat], n)
					ranMu.Unlock()
					busy[chat].Add(-1)
				})
				pushMu.Unlock()
				if i%7 == 0 {
					runtime.Gosched()
				}
			}
		})
	}
	wg.Wait()
	waitLanes(t, &l)

	if n := overlp.Load(); n > 0 {
		t.Errorf("%d jobs ran while another job of the same chat was running", n)
	}
	for chat := range chats {
		want := make([]int, next[chat])
		for i := range want {
			want[i] = i
		}
		if !slices.Equal(ran[chat], want) {
			t.Errorf("chat %d ran jobs in order %v, want push order 0..%d", chat+1, ran[chat], next[chat]-1)
		}
	}
}

func TestLanesRunChatsInParallel(t *testing.T) {
	var l lanes
	bRan := make(chan struct{})
	var aSawB atomic.Bool
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }

	// Chat A's first job can only finish once chat B's job has run: with one
	// queue for all chats (or B waiting behind A) it would time out.
	l.push(1, func() {
		select {
		case <-bRan:
			aSawB.Store(true)
		case <-time.After(5 * time.Second):
		}
		note("A1")
	})
	l.push(1, func() { note("A2") })
	l.push(2, func() { note("B"); close(bRan) })
	waitLanes(t, &l)

	if !aSawB.Load() {
		t.Fatal("chat 2's job did not run while chat 1's job was waiting: chats do not run in parallel")
	}
	if i, j := slices.Index(order, "A1"), slices.Index(order, "A2"); i < 0 || j < 0 || j < i {
		t.Errorf("chat 1 ran %v: A2 must follow A1", order)
	}
}

func TestLanesWaitReturnsAfterAllJobs(t *testing.T) {
	var l lanes
	waitLanes(t, &l) // nothing pushed: returns at once

	var done atomic.Int32
	const total = 3*10 + 3 // ten slow jobs in each of three chats, plus three pushed by jobs
	for chat := int64(1); chat <= 3; chat++ {
		for i := range 10 {
			l.push(chat, func() {
				time.Sleep(time.Millisecond)
				done.Add(1)
				if i == 9 {
					// A job may push more work, to its own chat (which is
					// busy: it must not deadlock) or to a new one; wait
					// covers that work too.
					l.push(chat, func() { time.Sleep(5 * time.Millisecond); done.Add(1) })
				}
			})
		}
	}
	waitLanes(t, &l)
	if n := done.Load(); n != total {
		t.Errorf("wait returned after %d of %d jobs", n, total)
	}

	// A drained lane starts again on the next push.
	var again atomic.Bool
	l.push(1, func() { again.Store(true) })
	waitLanes(t, &l)
	if !again.Load() {
		t.Error("a job pushed to a chat whose lane had drained did not run")
	}
}

func TestLanesJobPushingToOtherChat(t *testing.T) {
	var l lanes
	var n atomic.Int32
	var chain func(chat int64)
	chain = func(chat int64) {
		n.Add(1)
		if chat < 20 {
			l.push(chat+1, func() { chain(chat + 1) })
		}
	}
	l.push(1, func() { chain(1) })
	waitLanes(t, &l)
	if got := n.Load(); got != 20 {
		t.Errorf("wait returned after %d of 20 chained jobs", got)
	}
}
