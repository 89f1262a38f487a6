package bot

import (
	"fmt"
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

var jobKeys atomic.Int64

// add pushes fn on chat's lane as an update of its own.
func add(l *lanes, chat int64, fn func()) {
	l.push(chat, fmt.Sprint("k", jobKeys.Add(1)), fn, nil)
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
		l = newLanes(0, nil)
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
				add(l, int64(chat+1), func() {
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
	waitLanes(t, l)

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
	l := newLanes(0, nil)
	bRan := make(chan struct{})
	var aSawB atomic.Bool
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }

	// Chat A's first job can only finish once chat B's job has run: with one
	// queue for all chats (or B waiting behind A) it would time out.
	add(l, 1, func() {
		select {
		case <-bRan:
			aSawB.Store(true)
		case <-time.After(5 * time.Second):
		}
		note("A1")
	})
	add(l, 1, func() { note("A2") })
	add(l, 2, func() { note("B"); close(bRan) })
	waitLanes(t, l)

	if !aSawB.Load() {
		t.Fatal("chat 2's job did not run while chat 1's job was waiting: chats do not run in parallel")
	}
	if i, j := slices.Index(order, "A1"), slices.Index(order, "A2"); i < 0 || j < 0 || j < i {
		t.Errorf("chat 1 ran %v: A2 must follow A1", order)
	}
}

func TestLanesWaitReturnsAfterAllJobs(t *testing.T) {
	l := newLanes(0, nil)
	waitLanes(t, l) // nothing pushed: returns at once

	var done atomic.Int32
	const total = 3*10 + 3 // ten slow jobs in each of three chats, plus three pushed by jobs
	for chat := int64(1); chat <= 3; chat++ {
		for i := range 10 {
			add(l, chat, func() {
				time.Sleep(time.Millisecond)
				done.Add(1)
				if i == 9 {
					// A job may push more work, to its own chat (which is
					// busy: it must not deadlock) or to a new one; wait
					// covers that work too.
					add(l, chat, func() { time.Sleep(5 * time.Millisecond); done.Add(1) })
				}
			})
		}
	}
	waitLanes(t, l)
	if n := done.Load(); n != total {
		t.Errorf("wait returned after %d of %d jobs", n, total)
	}

	// A drained lane starts again on the next push.
	var again atomic.Bool
	add(l, 1, func() { again.Store(true) })
	waitLanes(t, l)
	if !again.Load() {
		t.Error("a job pushed to a chat whose lane had drained did not run")
	}
}

func TestLanesJobPushingToOtherChat(t *testing.T) {
	l := newLanes(0, nil)
	var n atomic.Int32
	var chain func(chat int64)
	chain = func(chat int64) {
		n.Add(1)
		if chat < 20 {
			add(l, chat+1, func() { chain(chat + 1) })
		}
	}
	add(l, 1, func() { chain(1) })
	waitLanes(t, l)
	if got := n.Load(); got != 20 {
		t.Errorf("wait returned after %d of 20 chained jobs", got)
	}
}

// A chat's lane holds at most max updates: more are left where they are
// recorded (the inbox), the user is told once, and the lane fetches them
// when it has caught up, in order, each once.
func TestLanesBoundedQueueRefillsFromTheInbox(t *testing.T) {
	const max, total = 3, 10
	var (
		mu      sync.Mutex
		ran     []string
		waiting []job // what the inbox holds: every update not yet run
	)
	release := make(chan struct{})
	runner := func(key string) func() {
		return func() {
			if key == "u00" {
				<-release // the first update takes long: the rest pile up
			}
			mu.Lock()
			ran = append(ran, key)
			waiting = slices.DeleteFunc(waiting, func(j job) bool { return j.key == key })
			mu.Unlock()
		}
	}
	var overflows atomic.Int32
	l := newLanes(max, func(chat int64) []job {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(waiting)
	})
	for i := range total {
		key := fmt.Sprintf("u%02d", i)
		mu.Lock()
		waiting = append(waiting, job{key: key, run: runner(key)})
		mu.Unlock()
		l.push(7, key, runner(key), func() { overflows.Add(1) })
		if i == 0 {
			time.Sleep(10 * time.Millisecond) // u00 is running
		}
	}
	l.mu.Lock()
	queued := len(l.queues[7].jobs)
	l.mu.Unlock()
	if queued != max {
		t.Errorf("%d updates queued in memory, want at most %d", queued, max)
	}
	if n := overflows.Load(); n != 1 {
		t.Errorf("the user was told to wait %d times, want once", n)
	}
	close(release)
	waitLanes(t, l)
	var want []string
	for i := range total {
		want = append(want, fmt.Sprintf("u%02d", i))
	}
	if !slices.Equal(ran, want) {
		t.Errorf("ran %q, want every update once, in order: %q", ran, want)
	}
}

// After stop no queued job starts: they stay in the inbox.
func TestLanesStopStartsNoMoreJobs(t *testing.T) {
	l := newLanes(0, nil)
	release := make(chan struct{})
	var ran atomic.Int32
	started := make(chan struct{})
	add(l, 1, func() { close(started); <-release; ran.Add(1) })
	add(l, 1, func() { ran.Add(1) })
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the first job did not start within 10s")
	}
	l.stop()
	close(release)
	waitLanes(t, l)
	if n := ran.Load(); n != 1 {
		t.Errorf("%d jobs ran, want only the one running at stop", n)
	}
}
