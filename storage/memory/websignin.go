package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"fieldlog"
)

// WebStore is an in-memory fieldlog.WebSessions, fieldlog.SignInLinks and
// fieldlog.Tries, safe for concurrent use. It is a type of its own beside
// Store so that it can be added to Store by embedding, once Store offers
// the web page.
type WebStore struct {
	mu       sync.Mutex
	sessions map[fieldlog.TokenHash]fieldlog.WebSession
	links    map[fieldlog.TokenHash]fieldlog.SignInLink
	tries    []try
}

type try struct {
	kind, key string
	at        time.Time
}

var (
	_ fieldlog.WebSessions = (*WebStore)(nil)
	_ fieldlog.SignInLinks = (*WebStore)(nil)
	_ fieldlog.Tries       = (*WebStore)(nil)
)

// NewWebStore returns an empty WebStore.
func NewWebStore() *WebStore {
	return &WebStore{
		sessions: map[fieldlog.TokenHash]fieldlog.WebSession{},
		links:    map[fieldlog.TokenHash]fieldlog.SignInLink{},
	}
}

// CreateSession stores a new session and forgets those that expired.
func (w *WebStore) CreateSession(_ context.Context, s fieldlog.WebSession) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.sessions[s.Hash]; ok {
		return fmt.Errorf("create web session of user %d: %w", s.UserID, fieldlog.ErrDuplicate)
	}
	s.CreatedAt, s.SeenAt, s.ExpiresAt = stored(s.CreatedAt), stored(s.SeenAt), stored(s.ExpiresAt)
	for h, old := range w.sessions {
		if !old.ExpiresAt.After(s.CreatedAt) {
			delete(w.sessions, h)
		}
	}
	w.sessions[s.Hash] = s
	return nil
}

// Session returns the unexpired session with hash h.
func (w *WebStore) Session(_ context.Context, h fieldlog.TokenHash, now time.Time) (fieldlog.WebSession, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.sessions[h]
	if !ok || !s.ExpiresAt.After(stored(now)) {
		return fieldlog.WebSession{}, fmt.Errorf("look up web session: %w", fieldlog.ErrNotFound)
	}
	return s, nil
}

// TouchSession sets the seen time and expiry of an unexpired session.
func (w *WebStore) TouchSession(_ context.Context, h fieldlog.TokenHash, seen, expires time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.sessions[h]
	if !ok || !s.ExpiresAt.After(stored(seen)) {
		return fmt.Errorf("touch web session: %w", fieldlog.ErrNotFound)
	}
	s.SeenAt, s.ExpiresAt = stored(seen), stored(expires)
	w.sessions[h] = s
	return nil
}

// DeleteSession ends one session.
func (w *WebStore) DeleteSession(_ context.Context, h fieldlog.TokenHash) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.sessions, h)
	return nil
}

// DeleteUserSessions ends every session of userID.
func (w *WebStore) DeleteUserSessions(_ context.Context, userID int64) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for h, s := range w.sessions {
		if s.UserID == userID {
			delete(w.sessions, h)
			n++
		}
	}
	return n, nil
}

// CreateLink stores a new sign-in link and forgets those that expired.
func (w *WebStore) CreateLink(_ context.Context, l fieldlog.SignInLink) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.links[l.Hash]; ok {
		return fmt.Errorf("create sign-in link of user %d: %w", l.UserID, fieldlog.ErrDuplicate)
	}
	l.CreatedAt, l.ExpiresAt = stored(l.CreatedAt), stored(l.ExpiresAt)
	for h, old := range w.links {
		if !old.ExpiresAt.After(l.CreatedAt) {
			delete(w.links, h)
		}
	}
	w.links[l.Hash] = l
	return nil
}

// RedeemLink uses up an unexpired link.
func (w *WebStore) RedeemLink(_ context.Context, h fieldlog.TokenHash, now time.Time) (fieldlog.SignInLink, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	l, ok := w.links[h]
	if !ok || !l.ExpiresAt.After(stored(now)) {
		return fieldlog.SignInLink{}, fmt.Errorf("redeem sign-in link: %w", fieldlog.ErrNotFound)
	}
	delete(w.links, h)
	return l, nil
}

// RecordTry notes a failed try and forgets tries older than
// fieldlog.TryRetention before at.
func (w *WebStore) RecordTry(_ context.Context, kind, key string, at time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	at = stored(at)
	w.tries = slices.DeleteFunc(w.tries, func(t try) bool { return t.at.Before(at.Add(-fieldlog.TryRetention)) })
	w.tries = append(w.tries, try{kind, key, at})
	return nil
}

// CountTries counts tries of kind for key at or after since.
func (w *WebStore) CountTries(_ context.Context, kind, key string, since time.Time) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, t := range w.tries {
		if t.kind == kind && t.key == key && !t.at.Before(since) {
			n++
		}
	}
	return n, nil
}
