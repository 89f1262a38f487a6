package bottest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// Telegram's webhook as the fake plays it: posts with the secret, several
// chats at once, one chat's updates one after another in order, a refused
// post posted again, and getUpdates refused while the webhook is set.
func TestWebhookDelivery(t *testing.T) {
	srv := New(t)
	bob := User{ID: 1002, FirstName: "Bob"}
	var (
		mu       sync.Mutex
		got      []string
		refused  bool
		annFirst = make(chan struct{})
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(SecretHeader) != "tok" {
			t.Errorf("post without the secret: %q", r.Header.Get(SecretHeader))
		}
		body, _ := io.ReadAll(r.Body)
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil || u.Message == nil {
			t.Errorf("post is not an update: %s", body)
			return
		}
		text := u.Message.Text
		mu.Lock()
		if text == "ann 2" && !refused {
			refused = true
			mu.Unlock()
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		got = append(got, text)
		mu.Unlock()
		if text == "ann 1" {
			// Held until Bob's post arrives: posts to other chats go on
			// meanwhile, Ann's next waits.
			select {
			case <-annFirst:
			case <-time.After(5 * time.Second):
				t.Error("Bob's update waited behind Ann's")
			}
		}
		if text == "bob 1" {
			close(annFirst)
		}
	}))
	defer hook.Close()
	if r := form(t, srv, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"tok"}, "max_connections": {"4"}}); !r.OK {
		t.Fatalf("setWebhook: %+v", r)
	}
	srv.SendText(ann, "ann 1")
	srv.SendText(ann, "ann 2")
	srv.SendText(bob, "bob 1")
	last := srv.SendText(ann, "ann 3")
	srv.WaitConfirmed(t, last)
	mu.Lock()
	anns := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return s == "bob 1" })
	if want := []string{"ann 1", "ann 2", "ann 3"}; !slices.Equal(anns, want) || len(got) != 4 {
		t.Errorf("posts taken %q, want Ann's %q in order and Bob's once", got, want)
	}
	mu.Unlock()
	if r := form(t, srv, "getUpdates", url.Values{}); r.OK || r.ErrorCode != http.StatusConflict {
		t.Errorf("getUpdates with a webhook set: %+v", r)
	}
	form(t, srv, "deleteWebhook", url.Values{})
	if r := form(t, srv, "getUpdates", url.Values{}); !r.OK {
		t.Errorf("getUpdates after deleteWebhook: %+v", r)
	}
	if r := form(t, srv, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"bad token!"}}); r.OK {
		t.Error("a secret with characters Telegram refuses was taken")
	}
}
