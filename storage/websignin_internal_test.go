package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
)

// TestWebTokensNotStored: the store keeps a session's and a link's hash,
// never the token that signs in.
func TestWebTokensNotStored(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	const cookie, link = "secret-cookie-token-abc", "secret-link-token-xyz"
	now := time.Now()
	if err := s.CreateSession(ctx, fieldlog.WebSession{Hash: fieldlog.HashToken(cookie), UserID: 1, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateLink(ctx, fieldlog.SignInLink{Hash: fieldlog.HashToken(link), UserID: 1, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{colWebSessions, colSignInLinks} {
		cur, err := s.db.Collection(c).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 {
			t.Fatalf("%s: %d documents, want 1", c, len(docs))
		}
		if doc := docs[0].String(); strings.Contains(doc, cookie) || strings.Contains(doc, link) {
			t.Errorf("%s holds a token: %s", c, doc)
		}
	}
}
