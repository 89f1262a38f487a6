package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	tg "github.com/go-telegram/bot"
)

// The bot's own webhook handler, rather than go-telegram/bot's, which
// answers 200 before the update is handled and even to a wrong secret:
// Telegram takes 200 as "delivered" and never posts the update again.
// Here 200 means the update is recorded in the inbox.

// Webhook is how Telegram reaches the bot in webhook mode.
type Webhook struct {
	// URL is the public HTTPS address Telegram posts updates to; its path
	// is where WebhookHandler must be served.
	URL string
	// Secret is the secret token Telegram sends with every post: 1-256
	// characters of A-Z, a-z, 0-9, _ and -.
	Secret string
	// MaxConnections is how many posts Telegram makes at once; zero means
	// DefaultWebhookConnections.
	MaxConnections int
}

// DefaultWebhookConnections is small: every post waits for a store write,
// and few posts at a time keep one chat's updates close to their order.
const DefaultWebhookConnections = 8

// MaxUpdateBytes caps the body of a webhook post: an update the bot
// handles (a message with a caption, a pressed button) is a few kilobytes.
const MaxUpdateBytes = 1 << 20

// secretHeader carries the webhook's secret token.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Check says what is wrong with the webhook's settings, if anything.
func (w *Webhook) Check() error {
	u, err := url.Parse(w.URL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
		return fmt.Errorf("webhook URL %q is not an https:// URL (Telegram posts only to HTTPS)", w.URL)
	}
	if !validSecret(w.Secret) {
		return errors.New("webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	if w.MaxConnections < 0 || w.MaxConnections > 100 {
		return fmt.Errorf("webhook max connections %d is not between 1 and 100", w.MaxConnections)
	}
	return nil
}

// Path is the path of the webhook's URL, where WebhookHandler is served
// ("/" for a nil Webhook).
func (w *Webhook) Path() string {
	if w == nil {
		return "/"
	}
	u, err := url.Parse(w.URL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

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

// serveWebhook registers the webhook with Telegram and takes updates
// until ctx ends; WebhookHandler records them meanwhile.
func (t *Telegram) serveWebhook(ctx context.Context) error {
	p := &tg.SetWebhookParams{
		URL:            t.webhook.URL,
		SecretToken:    t.webhook.Secret,
		AllowedUpdates: allowedUpdates,
		MaxConnections: cmpOr(t.webhook.MaxConnections, DefaultWebhookConnections),
	}
	// Telegram posts the moment the webhook is set, maybe before
	// setWebhook has answered: posts are taken from now on, and a 503
	// would delay them by Telegram's retry interval.
	t.accepting.Store(true)
	if err := t.call(ctx, func() error { _, err := t.api.SetWebhook(ctx, p); return err }); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while registering: not a failure
		}
		return fmt.Errorf("register the webhook (setWebhook): %w", err)
	}
	t.running.Store(true)
	t.log.Info("webhook registered", "path", t.webhook.Path(), "max_connections", p.MaxConnections)
	if t.leases != nil {
		t.sweep(ctx)
	}
	if t.peers != nil {
		t.beat(ctx)
	}
	<-ctx.Done()
	return nil
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// WebhookHandler serves Telegram's posts in webhook mode. It answers 200
// only once the update is recorded in the inbox; 401 without reading it
// to a post without the secret; 503 when the store cannot record it or
// the bot is not running, so that Telegram posts it again.
func (t *Telegram) WebhookHandler() http.Handler {
	var secret []byte
	if t.webhook != nil {
		secret = []byte(t.webhook.Secret)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// An empty secret never matches: a handler without a webhook
		// takes nothing.
		if len(secret) == 0 || subtle.ConstantTimeCompare([]byte(r.Header.Get(secretHeader)), secret) != 1 {
			t.log.Warn("webhook post without the right secret; refused", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpdateBytes))
		if err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "read update", http.StatusBadRequest)
			return
		}
		var upd update
		if err := json.Unmarshal(body, &upd); err != nil || upd.ID <= 0 {
			// Telegram would post it again and again: it never will be
			// readable, so it is refused for good.
			t.log.Warn("webhook post is not an update; refused", "err", err)
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		// Counted, then checked: a stop waits for the posts it did not
		// refuse (see stop).
		t.posts.Add(1)
		defer t.posts.Add(-1)
		if !t.accepting.Load() {
			http.Error(w, "not running", http.StatusServiceUnavailable)
			return
		}
		// Recorded even if Telegram hangs up meanwhile: it posts the
		// update again, and the inbox knows it.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
		defer cancel()
		if err := t.receive(ctx, []*update{&upd}); err != nil {
			t.log.Error("record a posted update; Telegram will post it again", "update", upd.ID, "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
