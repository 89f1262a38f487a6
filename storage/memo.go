package storage

import (
	"maps"
	"slices"
	"sync"

	"fieldlog"
)

// memo keeps users, conversations and the unit tree in memory, for the
// embedded server only. There this process is the store's one client (its
// data directory is locked, and through a URI the embedded server is not
// used), so what it read or wrote last is what is stored: every read of
// these is answered from memory, and every write goes to the store first,
// then here, before the caller goes on. A real MongoDB may have other
// processes writing, so it gets no memo.
//
// A read that misses, and every write, holds write: a miss is filled with
// what the store held while no write could change it, so the memo never
// keeps an older value than the store.
type memo struct {
	write sync.Mutex // held across a store write or a miss and the update here

	mu       sync.RWMutex
	users    map[int64]*fieldlog.User // nil: known to be absent
	convs    map[int64]*fieldlog.Conversation
	units    []fieldlog.Unit
	hasUnits bool
	// allConvs is set once every conversation is in convs: a user not
	// there has none, unless lost, after a failed write.
	allConvs bool
	lost     map[int64]bool
}

func newMemo() *memo {
	return &memo{users: map[int64]*fieldlog.User{}, convs: map[int64]*fieldlog.Conversation{}, lost: map[int64]bool{}}
}

// forget drops everything remembered, after the store's documents were
// written behind the memo's back (Import).
func (m *memo) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users, m.convs, m.lost = map[int64]*fieldlog.User{}, map[int64]*fieldlog.Conversation{}, map[int64]bool{}
	m.units, m.hasUnits, m.allConvs = nil, false, false
}

// user returns the remembered user; known is false when it must be read.
func (m *memo) user(id int64) (u fieldlog.User, found, known bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, known := m.users[id]
	if !known || p == nil {
		return fieldlog.User{}, false, known
	}
	return *p, true, true
}

// setUser remembers u, or that the user is absent (u nil), or forgets
// what was known (forget), e.g. after a write that may have failed.
func (m *memo) setUser(id int64, u *fieldlog.User, forget bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if forget {
		delete(m.users, id)
		return
	}
	m.users[id] = u
}

func (m *memo) conversation(id int64) (c fieldlog.Conversation, found, known bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, known := m.convs[id]
	if !known && m.allConvs && !m.lost[id] {
		return fieldlog.Conversation{}, false, true
	}
	if !known || p == nil {
		return fieldlog.Conversation{}, false, known
	}
	return cloneConversation(*p), true, true
}

func (m *memo) setConversation(id int64, c *fieldlog.Conversation, forget bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if forget {
		delete(m.convs, id)
		m.lost[id] = true
		return
	}
	delete(m.lost, id)
	if c != nil {
		cc := cloneConversation(*c)
		c = &cc
	}
	m.convs[id] = c
}

// conversationsComplete notes that every conversation is remembered.
func (m *memo) conversationsComplete() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.allConvs = true
}

func (m *memo) allUnits() ([]fieldlog.Unit, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if !m.hasUnits {
		return nil, false
	}
	out := make([]fieldlog.Unit, len(m.units))
	for i, u := range m.units {
		u.Name = maps.Clone(u.Name)
		out[i] = u
	}
	return out, true
}

func (m *memo) setUnits(us []fieldlog.Unit, known bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.units, m.hasUnits = us, known
}

// cloneConversation copies what a caller could change through c.
func cloneConversation(c fieldlog.Conversation) fieldlog.Conversation {
	c.Vars = maps.Clone(c.Vars)
	c.Applied = slices.Clone(c.Applied)
	c.Draft.Photos = slices.Clone(c.Draft.Photos)
	return c
}
