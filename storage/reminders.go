package storage

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fieldlog"
)

// reminderDoc is one reminder's claim; its key is the _id, so the server's
// unique _id decides which of several processes sends it.
type reminderDoc struct {
	Key        string    `bson:"_id"`
	UserID     int64     `bson:"user_id"`
	State      string    `bson:"state"`
	ClaimedBy  string    `bson:"claimed_by"`
	ClaimedAt  time.Time `bson:"claimed_at"`
	LeaseUntil time.Time `bson:"lease_until"`
	MessageID  int       `bson:"message_id,omitempty"`
	FinishedAt time.Time `bson:"finished_at,omitempty"`
}

// ClaimReminder inserts the claim; a duplicate key means it was claimed
// before.
func (s *Store) ClaimReminder(ctx context.Context, c fieldlog.ReminderClaim) (bool, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	_, err := s.reminders.InsertOne(ctx, reminderDoc{Key: c.Key, UserID: c.UserID, State: string(fieldlog.ReminderSending),
		ClaimedBy: c.ClaimedBy, ClaimedAt: msTime(c.ClaimedAt), LeaseUntil: msTime(c.LeaseUntil)})
	switch {
	case err == nil:
		return true, nil
	case mongo.IsDuplicateKeyError(err):
		return false, nil
	}
	return false, fmt.Errorf("claim reminder %s: %w", c.Key, err)
}

// FinishReminder records the end of a claimed reminder, found by its key
// alone (which the embedded server looks up by index).
func (s *Store) FinishReminder(ctx context.Context, key string, state fieldlog.ReminderState, messageID int, at time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	set := bson.D{{Key: "state", Value: string(state)}, {Key: "finished_at", Value: msTime(at)}}
	if messageID != 0 {
		set = append(set, bson.E{Key: "message_id", Value: messageID})
	}
	res, err := s.reminders.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("finish reminder %s: %w", key, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("finish reminder %s: %w", key, fieldlog.ErrNotFound)
	}
	return nil
}

// ExpireReminders marks the claims whose lease ran out mid-send uncertain.
func (s *Store) ExpireReminders(ctx context.Context, now time.Time) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	res, err := s.reminders.UpdateMany(ctx,
		bson.D{{Key: "state", Value: string(fieldlog.ReminderSending)}, {Key: "lease_until", Value: bson.D{{Key: "$lt", Value: msTime(now)}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: string(fieldlog.ReminderUncertain)}, {Key: "finished_at", Value: msTime(now)}}}})
	if err != nil {
		return 0, fmt.Errorf("expire reminder claims: %w", err)
	}
	return int(res.ModifiedCount), nil
}

// ReminderState returns the state of key.
func (s *Store) ReminderState(ctx context.Context, key string) (fieldlog.ReminderState, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d reminderDoc
	if err := s.reminders.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&d); err != nil {
		return "", fmt.Errorf("find reminder %s: %w", key, notFound(err))
	}
	return fieldlog.ReminderState(d.State), nil
}
