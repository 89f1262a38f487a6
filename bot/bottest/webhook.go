package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync"
	"time"
)

// The webhook side of the fake. After setWebhook the server delivers every
// queued update by POSTing it to the webhook's URL, as Telegram does: one
// at a time in update-id order, with the secret in the
// X-Telegram-Bot-Api-Secret-Token header, and again after a pause until
// the bot answers 2xx. While a webhook is set, getUpdates is refused with
// 409, as Telegram refuses it.

// SecretHeader is the header Telegram puts the webhook's secret token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookRetry is the pause before an update the bot did not take (non-2xx
// or no answer) is posted again. Telegram waits longer; tests need not.
const WebhookRetry = 200 * time.Millisecond

// webhook is a webhook set with setWebhook.
type webhook struct {
	URL            string   `json:"url"`
	Secret         string   `json:"-"`
	AllowedUpdates []string `json:"allowed_updates,omitempty"`
	MaxConnections int      `json:"max_connections,omitempty"`
	stop           chan struct{}
}

// WebhookPost is one delivery of an update to the webhook and how the bot
// answered it (0: no answer, e.g. the connection failed).
type WebhookPost struct {
	UpdateID int64
	Status   int
}

// Webhook returns the URL, secret token, allowed updates and
// max_connections of the webhook the bot set; ok is false when none is set.
func (s *Server) Webhook() (url, secret string, allowed []string, maxConnections int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook == nil {
		return "", "", nil, 0, false
	}
	return s.hook.URL, s.hook.Secret, slices.Clone(s.hook.AllowedUpdates), s.hook.MaxConnections, true
}

// WebhookPosts returns every delivery to the webhook so far, in order.
func (s *Server) WebhookPosts() []WebhookPost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts)
}

// validSecret is Telegram's rule for secret_token: 1-256 characters of
// A-Z, a-z, 0-9, _ and -.
func validSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (s *Server) setWebhook(p params) (any, *apiError) {
	raw := p.str("url")
	if raw == "" {
		return s.deleteWebhook(p)
	}
	u, err := url.Parse(raw)
	// Telegram takes HTTPS only; the fake also takes http, as tests serve
	// the webhook from httptest.
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p.str("secret_token")
	if secret != "" && !validSecret(secret) {
		return nil, badRequest("bad webhook: secret token contains unallowed characters")
	}
	h := &webhook{URL: raw, Secret: secret, stop: make(chan struct{})}
	if a := p.str("allowed_updates"); a != "" {
		if err := json.Unmarshal([]byte(a), &h.AllowedUpdates); err != nil {
			return nil, badRequest("can't parse allowed updates JSON object")
		}
	}
	mc, aerr := p.integer("max_connections", 40)
	if aerr != nil {
		return nil, aerr
	}
	if mc < 1 || mc > 100 {
		return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
	}
	h.MaxConnections = int(mc)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook != nil {
		close(s.hook.stop)
	}
	if p.boolean("drop_pending_updates") {
		s.queue = nil
	}
	s.hook = h
	go s.deliver(h)
	return true, nil
}

func (s *Server) deleteWebhook(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook != nil {
		close(s.hook.stop)
		s.hook = nil
	}
	if p.boolean("drop_pending_updates") {
		s.queue = nil
	}
	return true, nil
}

func (s *Server) getWebhookInfo() (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.queue)}
	if s.hook != nil {
		info["url"] = s.hook.URL
		info["max_connections"] = s.hook.MaxConnections
		info["allowed_updates"] = s.hook.AllowedUpdates
	}
	return info, nil
}

// deliver posts queued updates to h until h is replaced or deleted or the
// server closes: up to h.MaxConnections at once, in update-id order, and
// one chat's next update only once its last was taken, so that a chat's
// updates arrive in order, as from Telegram.
func (s *Server) deliver(h *webhook) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: h.MaxConnections}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-h.stop:
		case <-s.done:
		}
		cancel()
	}()
	inFlight := 0
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		// What to post is copied while the lock is held: the queue moves
		// as posts finish.
		var (
			id     int64
			raw    []byte
			picked bool
		)
		s.wait(ctx, WebhookRetry, func() bool {
			if inFlight >= h.MaxConnections {
				return false
			}
			sort.SliceStable(s.queue, func(i, j int) bool { return s.queue[i].id < s.queue[j].id })
			busy := map[int64]bool{}
			now := time.Now()
			for i := range s.queue {
				q := &s.queue[i]
				blocked := q.chat != 0 && busy[q.chat]
				if q.chat != 0 {
					busy[q.chat] = true
				}
				switch {
				case q.posting || blocked:
				case now.Before(q.retryAt): // the wait's timeout comes back for it
				default:
					q.posting = true
					inFlight++
					id, raw, picked = q.id, q.raw, true
					return true
				}
			}
			return false
		})
		if !picked {
			continue // woken by a change or the retry pause: look again
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := postUpdate(ctx, client, h, raw)
			s.mu.Lock()
			defer s.mu.Unlock()
			inFlight--
			if ctx.Err() == nil {
				s.posts = append(s.posts, WebhookPost{UpdateID: id, Status: status})
			}
			i := slices.IndexFunc(s.queue, func(q queuedUpdate) bool { return q.id == id && q.posting })
			if i >= 0 {
				if status >= 200 && status < 300 {
					s.queue = slices.Delete(s.queue, i, i+1)
					s.confirmed = max(s.confirmed, id+1)
				} else {
					s.queue[i].posting = false
					s.queue[i].retryAt = time.Now().Add(WebhookRetry)
				}
			}
			s.notify()
		}()
	}
}

// postUpdate sends one update to the webhook and returns the HTTP status (0 when
// there was no answer).
func postUpdate(ctx context.Context, client *http.Client, h *webhook, raw []byte) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(raw))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	if h.Secret != "" {
		req.Header.Set(SecretHeader, h.Secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode
}

// webhookConflict is Telegram's answer to getUpdates while a webhook is
// set.
func webhookConflict() *apiError {
	return &apiError{code: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
}
