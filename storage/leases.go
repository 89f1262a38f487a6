package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// leaseDoc is one chat's lease: who holds it and until when.
type leaseDoc struct {
	ID     string    `bson:"_id"` // "chat:<id>": a string _id is found by index on the embedded server
	Holder string    `bson:"holder"`
	Until  time.Time `bson:"until"`
}

func leaseID(chatID int64) string { return "chat:" + strconv.FormatInt(chatID, 10) }

// AcquireChat takes chat's lease for holder, or renews it. A lease that
// lapsed, or is holder's, is taken by one conditional update, which the
// server applies atomically (on the embedded server, its one connection
// does); a lease nobody ever held is created by an insert that the unique
// _id lets only one process make. The processes' clocks must agree to
// well within ttl.
func (s *Store) AcquireChat(ctx context.Context, chatID int64, holder string, ttl time.Duration) (bool, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	now := time.Now()
	id := leaseID(chatID)
	res, err := s.leases.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "$or", Value: bson.A{
			bson.D{{Key: "holder", Value: holder}},
			bson.D{{Key: "until", Value: bson.D{{Key: "$lte", Value: now}}}},
		}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: holder}, {Key: "until", Value: now.Add(ttl)}}}})
	if err != nil {
		return false, fmt.Errorf("take the lease of chat %d: %w", chatID, err)
	}
	if res.MatchedCount == 1 {
		return true, nil
	}
	if _, err := s.leases.InsertOne(ctx, leaseDoc{ID: id, Holder: holder, Until: now.Add(ttl)}); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return false, nil // held by another
		}
		return false, fmt.Errorf("take the lease of chat %d: %w", chatID, err)
	}
	return true, nil
}

// ReleaseChat deletes holder's lease of chat. Leases are deleted when let
// go, so the collection holds only the chats being handled.
func (s *Store) ReleaseChat(ctx context.Context, chatID int64, holder string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if _, err := s.leases.DeleteOne(ctx, bson.D{{Key: "_id", Value: leaseID(chatID)}, {Key: "holder", Value: holder}}); err != nil {
		return fmt.Errorf("let the lease of chat %d go: %w", chatID, err)
	}
	return nil
}

// peerDoc is one process of the bot: alive until Until.
type peerDoc struct {
	ID    string    `bson:"_id"` // the process's holder name
	Until time.Time `bson:"until"`
}

// Beat records that holder is alive for ttl and counts the processes that
// are. Processes dead for an hour are deleted, so the collection holds
// about as many documents as there are processes.
func (s *Store) Beat(ctx context.Context, holder string, ttl time.Duration) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	now := time.Now()
	if _, err := s.peers.UpdateOne(ctx, bson.D{{Key: "_id", Value: holder}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "until", Value: now.Add(ttl)}}}}, options.UpdateOne().SetUpsert(true)); err != nil {
		return 0, fmt.Errorf("note that process %s is alive: %w", holder, err)
	}
	if _, err := s.peers.DeleteMany(ctx, bson.D{{Key: "until", Value: bson.D{{Key: "$lt", Value: now.Add(-time.Hour)}}}}); err != nil {
		return 0, fmt.Errorf("forget dead processes: %w", err)
	}
	n, err := s.peers.CountDocuments(ctx, bson.D{{Key: "until", Value: bson.D{{Key: "$gt", Value: now}}}})
	if err != nil {
		return 0, fmt.Errorf("count live processes: %w", err)
	}
	return int(n), nil
}
