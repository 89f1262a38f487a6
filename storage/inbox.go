package storage

import (
	"context"
	"errors"
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

// ReceiveAll records a batch in one unordered insert: each update is
// stored unless its key is waiting already, which the server's unique _id
// decides, so one write (and, on the embedded server, one SQLite commit)
// records a whole batch of Telegram's.
func (s *Store) ReceiveAll(ctx context.Context, us []fieldlog.IncomingUpdate) ([]bool, error) {
	fresh := make([]bool, len(us))
	if len(us) == 0 {
		return fresh, nil
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	docs := make([]any, len(us))
	for i, u := range us {
		docs[i] = toUpdateDoc(u)
		fresh[i] = true
	}
	_, err := s.inbox.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
		return fresh, nil
	case errors.As(err, &bwe) && bwe.WriteConcernError == nil:
		for _, we := range bwe.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) || we.Index < 0 || we.Index >= len(us) {
				return nil, fmt.Errorf("receive %d updates: %w", len(us), err)
			}
			fresh[we.Index] = false
		}
		return fresh, nil
	}
	return nil, fmt.Errorf("receive %d updates: %w", len(us), err)
}

// Done deletes the handled updates with keys. The inbox holds only what is
// still to be handled, so it stays as small as the backlog: the embedded
// server reads a whole collection for most queries.
func (s *Store) Done(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	var filter bson.D
	if len(keys) == 1 {
		filter = bson.D{{Key: "_id", Value: keys[0]}} // found by index on the embedded server
	} else {
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}}
	}
	if _, err := s.inbox.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("forget %d handled updates: %w", len(keys), err)
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

// Backlog counts the updates waiting in the inbox, for the metrics.
func (s *Store) Backlog(ctx context.Context) (int64, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	n, err := s.inbox.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count waiting updates: %w", err)
	}
	return n, nil
}
