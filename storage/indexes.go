package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// index is one secondary index. Only plain and unique indexes, single and
// compound, are used: partial, TTL, text and collation indexes are not
// implemented by the embedded server. Every index has an explicit name so
// that creating it again at the next Open is a no-op on both servers.
//
// On the embedded server indexes only enforce uniqueness (every query scans
// the collection); they are kept for a real MongoDB, where they make the
// listed queries cheap.
type index struct {
	collection string
	name       string
	keys       bson.D
	unique     bool
}

// indexes lists every index the store needs, with the query it serves.
// The _id of each collection is its identity (user id, unit id, invitation
// code, activity id, inbox key) and is unique without an extra index.
func indexes() []index {
	return []index{
		// Users of a unit: completeness views and reminders.
		{colUsers, "unit_id", bson.D{{Key: "unit_id", Value: 1}}, false},
		// Children of a unit in file order.
		{colUnits, "parent_order", bson.D{{Key: "parent_id", Value: 1}, {Key: "order", Value: 1}}, false},
		// An officer's own records, newest first, and their date ranges.
		{colActivities, "reporter_date", bson.D{{Key: "reporter_id", Value: 1}, {Key: "date", Value: 1}}, false},
		// Records of a subtree of units in a period.
		{colActivities, "unit_date", bson.D{{Key: "unit_id", Value: 1}, {Key: "date", Value: 1}}, false},
		// Records of every unit in a period (admin's report).
		{colActivities, "date", bson.D{{Key: "date", Value: 1}}, false},
		// CountAttempts: one user's tries of one kind in a window.
		{colAttempts, "kind_user_at", bson.D{{Key: "kind", Value: 1}, {Key: "user_id", Value: 1}, {Key: "at", Value: 1}}, false},
		// Pruning of old attempts (no TTL index on the embedded server).
		{colAttempts, "at", bson.D{{Key: "at", Value: 1}}, false},
		// The deadlines and reopenings of a half-year.
		{colCalendar, "year_half", bson.D{{Key: "year", Value: 1}, {Key: "half", Value: 1}}, false},
		// Claims whose lease ran out.
		{colReminders, "state_lease", bson.D{{Key: "state", Value: 1}, {Key: "lease_until", Value: 1}}, false},
		// The audit trail of a subject, in order (AuditOf itself goes by _id).
		{colAudit, "subject_seq", bson.D{{Key: "subject_kind", Value: 1}, {Key: "subject_id", Value: 1}, {Key: "seq", Value: 1}}, false},
		// The audit trail since a day, oldest first (AuditSince).
		{colAudit, "at", bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}, false},
		// Waiting updates of a chat, in order.
		{colInbox, "chat_seq", bson.D{{Key: "chat_id", Value: 1}, {Key: "seq", Value: 1}}, false},
		// Sign-out everywhere: one user's web sessions.
		{colWebSessions, "user_id", bson.D{{Key: "user_id", Value: 1}}, false},
		// Pruning of expired sessions and links (no TTL index on the embedded server).
		{colWebSessions, "expires_at", bson.D{{Key: "expires_at", Value: 1}}, false},
		{colSignInLinks, "expires_at", bson.D{{Key: "expires_at", Value: 1}}, false},
		// CountTries: one address's or code's tries of one kind in a window.
		{colTries, "kind_key_at", bson.D{{Key: "kind", Value: 1}, {Key: "key", Value: 1}, {Key: "at", Value: 1}}, false},
		// Pruning of old tries.
		{colTries, "at", bson.D{{Key: "at", Value: 1}}, false},
	}
}

// createIndexes creates the indexes idempotently, one createIndexes
// command per index. Not CreateMany: the embedded server (FerretDB v1.24)
// panics and drops the connection when one command lists two or more
// indexes that already exist (its filter of existing indexes deletes from
// a slice by stale positions), which is every Open after the first.
func (s *Store) createIndexes(ctx context.Context) error {
	for _, ix := range indexes() {
		opts := options.Index().SetName(ix.name)
		if ix.unique {
			opts.SetUnique(true)
		}
		_, err := s.db.Collection(ix.collection).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys, Options: opts})
		if err != nil {
			return fmt.Errorf("create index %s of %s: %w", ix.name, ix.collection, err)
		}
	}
	return nil
}

// createCollections creates every collection that does not exist yet.
// Collections would be created by their first write, but the embedded
// server's id index (indexIDs) needs their tables at Open.
func (s *Store) createCollections(ctx context.Context) error {
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	for _, name := range []string{colUsers, colAccounts, colUnits, colInvites, colActivities, colConversations, colAttempts, colInbox, colNotes, colCalendar, colReminders, colLeases, colAudit, colPeers, colWebSessions, colSignInLinks, colTries} {
		if slices.Contains(existing, name) {
			continue
		}
		if err := s.db.CreateCollection(ctx, name); err != nil {
			var ce mongo.CommandError
			if errors.As(err, &ce) && ce.Code == 48 { // NamespaceExists: another process was first
				continue
			}
			return fmt.Errorf("create collection %s: %w", name, err)
		}
	}
	return nil
}
