package storage

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// Receive records the update; it returns false, and records nothing, when
// an update with the same key was received before. The key is the _id, so
// the server's unique _id decides: of concurrent receivers of one key,
// exactly one inserts.
func (s *Store) Receive(ctx context.Context, u fieldlog.IncomingUpdate) (bool, error) {
	if _, err := s.inbox.InsertOne(ctx, toUpdateDoc(u)); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return false, nil
		}
		return false, fmt.Errorf("receive update %s: %w", u.Key, err)
	}
	return true, nil
}

// MarkHandled notes that the update with key has been handled at at;
// fieldlog.ErrNotFound if no such update is recorded.
func (s *Store) MarkHandled(ctx context.Context, key string, at time.Time) error {
	res, err := s.inbox.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "handled", Value: true},
			{Key: "handled_at", Value: msTime(at)},
		}}})
	if err != nil {
		return fmt.Errorf("mark update %s handled: %w", key, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("mark update %s handled: %w", key, fieldlog.ErrNotFound)
	}
	return nil
}

// Unhandled returns received updates not yet handled, oldest first (by
// receiving time, then key). It is read at start-up to handle what a crash
// interrupted, so it returns them all.
func (s *Store) Unhandled(ctx context.Context) ([]fieldlog.IncomingUpdate, error) {
	ups, err := findAll(ctx, s.inbox, bson.D{{Key: "handled", Value: false}},
		options.Find().SetSort(bson.D{{Key: "received_at", Value: 1}, {Key: "_id", Value: 1}}),
		infallible(updateDoc.update))
	if err != nil {
		return nil, fmt.Errorf("unhandled updates: %w", err)
	}
	return ups, nil
}

// PruneHandled deletes updates handled before before and returns how many.
// Unhandled updates are never pruned.
func (s *Store) PruneHandled(ctx context.Context, before time.Time) (int, error) {
	res, err := s.inbox.DeleteMany(ctx, bson.D{
		{Key: "handled", Value: true},
		{Key: "handled_at", Value: bson.D{{Key: "$lt", Value: msTime(before)}}},
	})
	if err != nil {
		return 0, fmt.Errorf("prune updates handled before %s: %w", before.Format(time.RFC3339), err)
	}
	return int(res.DeletedCount), nil
}
