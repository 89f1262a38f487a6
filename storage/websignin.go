package storage

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
)

// The web page's sign-in state: sessions, one-time sign-in links and tries
// of codes and links keyed by address or code.
//
// Sessions and links are keyed by the hex SHA-256 of their token as a
// string _id, the one lookup the embedded server answers by index
// (STACK-NOTES.md); the token itself is never stored. Expiry is checked in
// Go after a lookup by _id alone, so that every request's session lookup
// stays an indexed one on both servers. There are no TTL indexes on the
// embedded server: expired sessions and links are deleted when new ones are
// created, tries when new ones are recorded.

// Collection names of the web sign-in.
const (
	colWebSessions = "web_sessions"
	colSignInLinks = "signin_links"
	colTries       = "tries"
)

var (
	_ fieldlog.WebSessions = (*Store)(nil)
	_ fieldlog.SignInLinks = (*Store)(nil)
	_ fieldlog.Tries       = (*Store)(nil)
)

// webSessionDoc is one signed-in browser.
type webSessionDoc struct {
	ID        string    `bson:"_id"` // hex SHA-256 of the cookie's token
	UserID    int64     `bson:"user_id"`
	CreatedAt time.Time `bson:"created_at"`
	SeenAt    time.Time `bson:"seen_at,omitempty"`
	ExpiresAt time.Time `bson:"expires_at"`
}

func (d webSessionDoc) session() (fieldlog.WebSession, error) {
	h, err := parseTokenHash(d.ID)
	if err != nil {
		return fieldlog.WebSession{}, err
	}
	return fieldlog.WebSession{Hash: h, UserID: d.UserID, CreatedAt: d.CreatedAt, SeenAt: d.SeenAt, ExpiresAt: d.ExpiresAt}, nil
}

// signInLinkDoc is one unused sign-in link; a redeemed link is deleted.
type signInLinkDoc struct {
	ID        string    `bson:"_id"` // hex SHA-256 of the link's token
	UserID    int64     `bson:"user_id"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}

// tryDoc is one failed try of a code or link.
type tryDoc struct {
	Kind string    `bson:"kind"`
	Key  string    `bson:"key"`
	At   time.Time `bson:"at"`
}

// parseTokenHash reads a stored _id back as a hash.
func parseTokenHash(s string) (fieldlog.TokenHash, error) {
	var h fieldlog.TokenHash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("token hash %q is not %d hex digits", s, 2*len(h))
	}
	copy(h[:], b)
	return h, nil
}

// CreateSession stores a new session and deletes those that expired.
func (s *Store) CreateSession(ctx context.Context, ws fieldlog.WebSession) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	coll := s.db.Collection(colWebSessions)
	d := webSessionDoc{ID: ws.Hash.String(), UserID: ws.UserID, CreatedAt: msTime(ws.CreatedAt), SeenAt: msTime(ws.SeenAt), ExpiresAt: msTime(ws.ExpiresAt)}
	if _, err := coll.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("create web session of user %d: %w", ws.UserID, duplicate(err))
	}
	now := msTime(ws.CreatedAt)
	if _, err := coll.DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}}); err != nil {
		return fmt.Errorf("prune web sessions expired by %s: %w", now.Format(time.RFC3339), err)
	}
	return nil
}

// Session returns the unexpired session with hash h.
func (s *Store) Session(ctx context.Context, h fieldlog.TokenHash, now time.Time) (fieldlog.WebSession, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d webSessionDoc
	if err := s.db.Collection(colWebSessions).FindOne(ctx, bson.D{{Key: "_id", Value: h.String()}}).Decode(&d); err != nil {
		return fieldlog.WebSession{}, fmt.Errorf("look up web session: %w", notFound(err))
	}
	if !d.ExpiresAt.After(msTime(now)) {
		return fieldlog.WebSession{}, fmt.Errorf("look up web session: expired at %s: %w", d.ExpiresAt.Format(time.RFC3339), fieldlog.ErrNotFound)
	}
	ws, err := d.session()
	if err != nil {
		return fieldlog.WebSession{}, fmt.Errorf("read web session: %w", err)
	}
	return ws, nil
}

// TouchSession sets the seen time and expiry of an unexpired session.
func (s *Store) TouchSession(ctx context.Context, h fieldlog.TokenHash, seen, expires time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	res, err := s.db.Collection(colWebSessions).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: h.String()}, {Key: "expires_at", Value: bson.D{{Key: "$gt", Value: msTime(seen)}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "seen_at", Value: msTime(seen)}, {Key: "expires_at", Value: msTime(expires)}}}})
	if err != nil {
		return fmt.Errorf("touch web session: %w", err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("touch web session: %w", fieldlog.ErrNotFound)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, h fieldlog.TokenHash) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if _, err := s.db.Collection(colWebSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: h.String()}}); err != nil {
		return fmt.Errorf("delete web session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of userID. On the embedded server
// the filter reads every session, which are few: expired ones are pruned.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	res, err := s.db.Collection(colWebSessions).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}})
	if err != nil {
		return 0, fmt.Errorf("delete web sessions of user %d: %w", userID, err)
	}
	return int(res.DeletedCount), nil
}

// CreateLink stores a new sign-in link and deletes those that expired.
func (s *Store) CreateLink(ctx context.Context, l fieldlog.SignInLink) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	coll := s.db.Collection(colSignInLinks)
	d := signInLinkDoc{ID: l.Hash.String(), UserID: l.UserID, CreatedAt: msTime(l.CreatedAt), ExpiresAt: msTime(l.ExpiresAt)}
	if _, err := coll.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("create sign-in link of user %d: %w", l.UserID, duplicate(err))
	}
	now := msTime(l.CreatedAt)
	if _, err := coll.DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}}); err != nil {
		return fmt.Errorf("prune sign-in links expired by %s: %w", now.Format(time.RFC3339), err)
	}
	return nil
}

// RedeemLink uses up an unexpired link by deleting it: one
// findOneAndDelete, which the server applies to one document atomically,
// so of concurrent callers exactly one gets the document (on the embedded
// server because the client has a single connection; see Open).
func (s *Store) RedeemLink(ctx context.Context, h fieldlog.TokenHash, now time.Time) (fieldlog.SignInLink, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d signInLinkDoc
	err := s.db.Collection(colSignInLinks).FindOneAndDelete(ctx, bson.D{
		{Key: "_id", Value: h.String()},
		{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: msTime(now)}}},
	}).Decode(&d)
	if err != nil {
		return fieldlog.SignInLink{}, fmt.Errorf("redeem sign-in link: %w", notFound(err))
	}
	return fieldlog.SignInLink{Hash: h, UserID: d.UserID, CreatedAt: d.CreatedAt, ExpiresAt: d.ExpiresAt}, nil
}

// RecordTry notes a failed try and deletes tries older than
// fieldlog.TryRetention before at.
func (s *Store) RecordTry(ctx context.Context, kind, key string, at time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	coll := s.db.Collection(colTries)
	at = msTime(at)
	if _, err := coll.InsertOne(ctx, tryDoc{Kind: kind, Key: key, At: at}); err != nil {
		return fmt.Errorf("record %s try: %w", kind, err)
	}
	before := at.Add(-fieldlog.TryRetention)
	if _, err := coll.DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}}); err != nil {
		return fmt.Errorf("prune tries before %s: %w", before.Format(time.RFC3339), err)
	}
	return nil
}

// CountTries counts tries of kind for key at or after since.
func (s *Store) CountTries(ctx context.Context, kind, key string, since time.Time) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	n, err := s.db.Collection(colTries).CountDocuments(ctx, bson.D{
		{Key: "kind", Value: kind},
		{Key: "key", Value: key},
		{Key: "at", Value: bson.D{{Key: "$gte", Value: msTime(since)}}},
	})
	if err != nil {
		return 0, fmt.Errorf("count %s tries: %w", kind, err)
	}
	return int(n), nil
}
