package storage

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// Receive records the update; it returns false, and records nothing, when
// an update with the same key is waiting. The key is the _id, so the
// server's unique _id decides: of concurrent receivers of one key, exactly
// one inserts.
func (s *Store) Receive(ctx context.Context, u fieldlog.IncomingUpdate) (bool, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if _, err := s.inbox.InsertOne(ctx, toUpdateDoc(u)); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return false, nil
		}
		return false, fmt.Errorf("receive update %s: %w", u.Key, err)
	}
	return true, nil
}

// Done deletes the handled update with key. The inbox holds only what is
// still to be handled, so it stays as small as the backlog: the embedded
// server reads a whole collection for most queries.
func (s *Store) Done(ctx context.Context, key string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if _, err := s.inbox.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
		return fmt.Errorf("forget handled update %s: %w", key, err)
	}
	return nil
}

// Unhandled returns every waiting update in the channel's order. It is
// read at start-up to handle what a stop or crash interrupted.
func (s *Store) Unhandled(ctx context.Context) ([]fieldlog.IncomingUpdate, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	return s.waiting(ctx, bson.D{})
}

// UnhandledIn returns the waiting updates of one chat in the channel's
// order.
func (s *Store) UnhandledIn(ctx context.Context, chatID int64) ([]fieldlog.IncomingUpdate, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	return s.waiting(ctx, bson.D{{Key: "chat_id", Value: chatID}})
}

func (s *Store) waiting(ctx context.Context, filter bson.D) ([]fieldlog.IncomingUpdate, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	ups, err := findAll(ctx, s.inbox, filter,
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}, {Key: "_id", Value: 1}}),
		infallible(updateDoc.update))
	if err != nil {
		return nil, fmt.Errorf("unhandled updates: %w", err)
	}
	return ups, nil
}
