package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// Conversation returns the user's conversation, or fieldlog.ErrNotFound.
func (s *Store) Conversation(ctx context.Context, userID int64) (fieldlog.Conversation, error) {
	if s.memo == nil {
		return s.findConversation(ctx, userID)
	}
	if c, found, known := s.memo.conversation(userID); known {
		if !found {
			return c, fmt.Errorf("find conversation of user %d: %w", userID, fieldlog.ErrNotFound)
		}
		return c, nil
	}
	s.memo.write.Lock()
	defer s.memo.write.Unlock()
	c, err := s.latestInJournal(ctx, userID)
	switch {
	case err == nil:
		s.memo.setConversation(userID, &c, false)
	case errors.Is(err, fieldlog.ErrNotFound):
		s.memo.setConversation(userID, nil, false)
	}
	return c, err
}

func (s *Store) findConversation(ctx context.Context, userID int64) (fieldlog.Conversation, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d conversationDoc
	if err := s.conversations.FindOne(ctx, bson.D{{Key: "_id", Value: idString(userID)}}).Decode(&d); err != nil {
		return fieldlog.Conversation{}, fmt.Errorf("find conversation of user %d: %w", userID, notFound(err))
	}
	c, err := d.conversation()
	if err != nil {
		return fieldlog.Conversation{}, fmt.Errorf("decode conversation of user %d: %w", userID, err)
	}
	return c, nil
}

// SaveConversation creates or replaces the user's conversation: one
// document, replaced whole (on the embedded server: the next state in the
// journal, journal.go), so a restart continues from exactly the last saved
// step, and the keys of the updates applied are written with it.
func (s *Store) SaveConversation(ctx context.Context, c fieldlog.Conversation) error {
	var err error
	if s.memo != nil {
		err = s.saveToJournal(ctx, c)
	} else {
		ctx, cancel := s.op(ctx)
		defer cancel()
		d := toConversationDoc(c)
		_, err = s.conversations.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.UserID}}, d, options.Replace().SetUpsert(true))
	}
	if err != nil {
		return fmt.Errorf("save conversation of user %d: %w", c.UserID, err)
	}
	return nil
}

// RecordAttempt notes a failed try of kind by userID at at, and deletes
// every attempt older than fieldlog.AttemptRetention before at. The delete is
// explicit because the embedded server has no TTL indexes.
func (s *Store) RecordAttempt(ctx context.Context, kind string, userID int64, at time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	at = msTime(at)
	if _, err := s.attempts.InsertOne(ctx, attemptDoc{Kind: kind, UserID: userID, At: at}); err != nil {
		return fmt.Errorf("record %s attempt of user %d: %w", kind, userID, err)
	}
	_, err := s.attempts.DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: at.Add(-fieldlog.AttemptRetention)}}}})
	if err != nil {
		return fmt.Errorf("prune attempts before %s: %w", at.Add(-fieldlog.AttemptRetention).Format(time.RFC3339), err)
	}
	return nil
}

// CountAttempts counts tries of kind by userID at or after since.
func (s *Store) CountAttempts(ctx context.Context, kind string, userID int64, since time.Time) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	n, err := s.attempts.CountDocuments(ctx, bson.D{
		{Key: "kind", Value: kind},
		{Key: "user_id", Value: userID},
		{Key: "at", Value: bson.D{{Key: "$gte", Value: msTime(since)}}},
	})
	if err != nil {
		return 0, fmt.Errorf("count %s attempts of user %d: %w", kind, userID, err)
	}
	return int(n), nil
}
