package bot

import "sync"

// lanes run each chat's updates one at a time, in order, while different
// chats proceed in parallel.
//
// A chat's lane holds at most max updates in memory. One more is not
// queued: it is already recorded in the inbox, where it waits, and the
// user is told once to wait (overflow). When the lane has worked through
// its queue it asks refill for the chat's updates that waited, so nothing
// recorded is lost and one user's flood cannot fill the process's memory.
type lanes struct {
	max    int
	refill func(chat int64) []job

	mu      sync.Mutex
	queues  map[int64]*lane
	stopped bool
	wg      sync.WaitGroup
}

// job is one update to handle, or a notification to send.
type job struct {
	key string
	run func()
	// drop, if not nil, is called instead of run when a stop leaves the
	// job undone.
	drop func()
}

type lane struct {
	jobs []job
	// keys are the updates queued or running, so that an update that both
	// waited in the inbox and arrived again is handled once.
	keys map[string]bool
	// overflowed is set when an update was left in the inbox.
	overflowed bool
}

func newLanes(max int, refill func(chat int64) []job) *lanes {
	return &lanes{max: max, refill: refill, queues: map[int64]*lane{}}
}

// push queues the job of the update key on chat's lane. When the lane is
// full the job is not queued and overflow, if not nil, is called, once
// until the lane has caught up.
func (l *lanes) push(chat int64, key string, run func(), overflow func()) {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return
	}
	q, busy := l.queues[chat]
	if !busy {
		q = &lane{keys: map[string]bool{}}
		l.queues[chat] = q
	}
	switch {
	case q.keys[key]:
		l.mu.Unlock()
		return
	case q.overflowed || (l.max > 0 && len(q.jobs) >= l.max):
		// Once one update waits in the inbox, later ones wait there too:
		// queued behind it in memory they would run before it.
		first := !q.overflowed
		q.overflowed = true
		l.mu.Unlock()
		if first && overflow != nil {
			overflow()
		}
		return
	}
	q.jobs = append(q.jobs, job{key: key, run: run})
	q.keys[key] = true
	if !busy {
		l.wg.Add(1)
		go l.drain(chat, q)
	}
	l.mu.Unlock()
}

// pushNotice queues a notification on chat's lane, behind what is queued
// there. Unlike an update it is queued even when the lane is full: it is
// recorded nowhere else, and its sender waits for it, so the senders bound
// how many there are. It reports whether it was queued (not after a stop);
// drop is called if a stop leaves it undone.
func (l *lanes) pushNotice(chat int64, key string, run, drop func()) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return false
	}
	q, busy := l.queues[chat]
	if !busy {
		q = &lane{keys: map[string]bool{}}
		l.queues[chat] = q
	}
	q.jobs = append(q.jobs, job{key: key, run: run, drop: drop})
	q.keys[key] = true
	if !busy {
		l.wg.Add(1)
		go l.drain(chat, q)
	}
	return true
}

func (l *lanes) drain(chat int64, q *lane) {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		if len(q.jobs) == 0 && q.overflowed && !l.stopped {
			q.overflowed = false
			l.mu.Unlock()
			more := l.refill(chat)
			l.mu.Lock()
			for _, j := range more {
				if !q.keys[j.key] {
					q.jobs = append(q.jobs, j)
					q.keys[j.key] = true
				}
			}
		}
		if len(q.jobs) == 0 || l.stopped {
			delete(l.queues, chat)
			left := q.jobs
			q.jobs = nil
			l.mu.Unlock()
			for _, j := range left {
				if j.drop != nil {
					j.drop()
				}
			}
			return
		}
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		l.mu.Unlock()
		j.run()
		l.mu.Lock()
		delete(q.keys, j.key)
		l.mu.Unlock()
	}
}

// stop lets the jobs running finish and starts no others: those stay in
// the inbox.
func (l *lanes) stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
}

// wait returns when no lane has work.
func (l *lanes) wait() { l.wg.Wait() }
