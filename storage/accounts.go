package storage

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// Accounts are keyed by their string key as _id, the one lookup the
// embedded server answers by index (STACK-NOTES.md): the engine asks it
// of every Telegram account that is not a user of its own id. AccountsOf,
// asked only when an account is linked, reads the whole collection there,
// which holds one document per linked account.

var _ fieldlog.Accounts = (*Store)(nil)

// accountDoc is a channel's account linked to a user of the project's own.
type accountDoc struct {
	ID       string    `bson:"_id"` // fieldlog.TelegramAccountKey
	UserID   int64     `bson:"user_id"`
	LinkedAt time.Time `bson:"linked_at"`
}

// AccountUser returns the id of the user account is linked to, or
// fieldlog.ErrNotFound.
func (s *Store) AccountUser(ctx context.Context, account string) (int64, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d accountDoc
	if err := s.accounts.FindOne(ctx, bson.D{{Key: "_id", Value: account}}).Decode(&d); err != nil {
		return 0, fmt.Errorf("find account %s: %w", account, notFound(err))
	}
	return d.UserID, nil
}

// LinkAccount links account to userID, replacing its link if it had one.
func (s *Store) LinkAccount(ctx context.Context, account string, userID int64, at time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := accountDoc{ID: account, UserID: userID, LinkedAt: msTime(at)}
	if _, err := s.accounts.ReplaceOne(ctx, bson.D{{Key: "_id", Value: account}}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("link account %s to user %d: %w", account, userID, err)
	}
	return nil
}

// UnlinkAccount removes account's link; removing none is no error.
func (s *Store) UnlinkAccount(ctx context.Context, account string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if _, err := s.accounts.DeleteOne(ctx, bson.D{{Key: "_id", Value: account}}); err != nil {
		return fmt.Errorf("unlink account %s: %w", account, err)
	}
	return nil
}

// AccountsOf returns the accounts linked to userID.
func (s *Store) AccountsOf(ctx context.Context, userID int64) ([]string, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	keys, err := findAll(ctx, s.accounts, bson.D{{Key: "user_id", Value: userID}}, options.Find(),
		infallible(func(d accountDoc) string { return d.ID }))
	if err != nil {
		return nil, fmt.Errorf("accounts of user %d: %w", userID, err)
	}
	return keys, nil
}
