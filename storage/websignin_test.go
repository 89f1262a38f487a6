package storage_test

import (
	"context"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/storage/storagetest"
)

// TestWebSessionSurvivesRestart: a restart keeps users signed in, and a
// link issued before it still works once.
func TestWebSessionSurvivesRestart(t *testing.T) {
	place := storagetest.Place(t)
	ctx := t.Context()
	now := time.Now()
	ws := fieldlog.WebSession{Hash: fieldlog.HashToken("cookie"), UserID: 7001, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	l := fieldlog.SignInLink{Hash: fieldlog.HashToken("link"), UserID: 7001, CreatedAt: now, ExpiresAt: now.Add(fieldlog.SignInLinkTTL)}

	s := storagetest.Open(t, place)
	if err := s.CreateSession(ctx, ws); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.Close(cctx); err != nil {
		t.Fatal(err)
	}

	s = storagetest.Open(t, place)
	if got, err := s.Session(ctx, ws.Hash, now); err != nil || got.UserID != 7001 {
		t.Fatalf("session after restart: %+v, %v", got, err)
	}
	if got, err := s.RedeemLink(ctx, l.Hash, now); err != nil || got.UserID != 7001 {
		t.Fatalf("link after restart: %+v, %v", got, err)
	}
}
