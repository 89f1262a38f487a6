package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// User returns the user with Telegram id, or fieldlog.ErrNotFound.
func (s *Store) User(ctx context.Context, id int64) (fieldlog.User, error) {
	if s.memo == nil {
		return s.findUser(ctx, id)
	}
	if u, found, known := s.memo.user(id); known {
		if !found {
			return u, fmt.Errorf("find user %d: %w", id, fieldlog.ErrNotFound)
		}
		return u, nil
	}
	s.memo.write.Lock()
	defer s.memo.write.Unlock()
	u, err := s.findUser(ctx, id)
	switch {
	case err == nil:
		s.memo.setUser(id, &u, false)
	case errors.Is(err, fieldlog.ErrNotFound):
		s.memo.setUser(id, nil, false)
	}
	return u, err
}

func (s *Store) findUser(ctx context.Context, id int64) (fieldlog.User, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d userDoc
	if err := s.users.FindOne(ctx, bson.D{{Key: "_id", Value: idString(id)}}).Decode(&d); err != nil {
		return fieldlog.User{}, fmt.Errorf("find user %d: %w", id, notFound(err))
	}
	return d.user(), nil
}

// SaveUser creates or replaces the user.
func (s *Store) SaveUser(ctx context.Context, u fieldlog.User) error {
	if s.memo != nil {
		s.memo.write.Lock()
		defer s.memo.write.Unlock()
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := toUserDoc(u)
	_, err := s.users.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
	if s.memo != nil {
		stored := d.user()
		s.memo.setUser(u.ID, &stored, err != nil) // after a failure the store may hold either
	}
	if err != nil {
		return fmt.Errorf("save user %d: %w", u.ID, err)
	}
	return nil
}

// EachUser calls fn for every user who has joined, through a cursor.
// Users who have only chosen a language are passed over in Go, since a
// filter on role reads every document on the embedded server anyway.
func (s *Store) EachUser(ctx context.Context, fn func(fieldlog.User) error) error {
	return eachDoc(ctx, s.users, bson.D{}, options.Find().SetBatchSize(eachBatchSize), func(d userDoc) error {
		if u := d.user(); u.Joined() {
			return fn(u)
		}
		return nil
	})
}

// AllUnits returns every unit, ordered by parent, then order, then id.
func (s *Store) AllUnits(ctx context.Context) ([]fieldlog.Unit, error) {
	if s.memo == nil {
		return s.findUnits(ctx)
	}
	if us, ok := s.memo.allUnits(); ok {
		return us, nil
	}
	s.memo.write.Lock()
	defer s.memo.write.Unlock()
	us, err := s.findUnits(ctx)
	if err != nil {
		return nil, err
	}
	s.memo.setUnits(us, true)
	us, _ = s.memo.allUnits() // a copy: the caller may change its own
	return us, nil
}

func (s *Store) findUnits(ctx context.Context) ([]fieldlog.Unit, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	units, err := findAll(ctx, s.units, bson.D{}, options.Find().SetSort(bson.D{
		{Key: "parent_id", Value: 1}, {Key: "order", Value: 1}, {Key: "_id", Value: 1},
	}), infallible(unitDoc.unit))
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	return units, nil
}

// SaveUnits upserts each unit by id, setting its name, parent, level and
// order. Units not in the list are kept, and records keep pointing at the
// same ids, so re-importing the unit file can rename units safely.
//
// The units go to the server as one bulk write (one update command), not a
// transaction: after an error, some units may have been saved; saving the
// same list again completes it.
func (s *Store) SaveUnits(ctx context.Context, units []fieldlog.Unit) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if len(units) == 0 {
		return nil
	}
	if s.memo != nil {
		// Units not in the list stay, so the tree is read again next time.
		s.memo.write.Lock()
		defer s.memo.write.Unlock()
		defer s.memo.setUnits(nil, false)
	}
	models := make([]mongo.WriteModel, len(units))
	for i, u := range units {
		models[i] = mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: string(u.ID)}}).
			SetUpdate(bson.D{{Key: "$set", Value: bson.D{
				{Key: "parent_id", Value: string(u.ParentID)},
				{Key: "level", Value: string(u.Level)},
				{Key: "name", Value: textDoc(u.Name)},
				{Key: "order", Value: u.Order},
			}}}).
			SetUpsert(true)
	}
	if _, err := s.units.BulkWrite(ctx, models); err != nil {
		return fmt.Errorf("save %d units: %w", len(units), err)
	}
	return nil
}

// CreateInvite stores a new invitation; fieldlog.ErrDuplicate if the code
// exists.
func (s *Store) CreateInvite(ctx context.Context, inv fieldlog.Invite) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if _, err := s.invites.InsertOne(ctx, toInviteDoc(inv)); err != nil {
		return fmt.Errorf("insert invite %s: %w", inv.Code, duplicate(err))
	}
	return nil
}

// RedeemInvite marks the unused, unexpired code as used by userID and
// returns it; fieldlog.ErrNotFound when there is no such usable code. A
// code the same user redeemed before comes back as it is, so that an update
// handled again after a crash joins them rather than telling them the code
// is used.
//
// One findOneAndUpdate whose filter requires the code to be unused: the
// server applies it to one document atomically, so of concurrent callers
// exactly one matches. (On the embedded server this holds because the
// client has a single connection; see Open.)
func (s *Store) RedeemInvite(ctx context.Context, code string, userID int64, now time.Time) (fieldlog.Invite, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	now = msTime(now)
	filter := bson.D{
		{Key: "_id", Value: code},
		{Key: "used_by", Value: int64(0)},
		{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: now}}},
	}
	update := bson.D{{Key: "$set", Value: bson.D{
		{Key: "used_by", Value: userID},
		{Key: "used_at", Value: now},
	}}}
	var d inviteDoc
	err := s.invites.FindOneAndUpdate(ctx, filter, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		err = s.invites.FindOne(ctx, bson.D{{Key: "_id", Value: code}, {Key: "used_by", Value: userID}}).Decode(&d)
	}
	if err != nil {
		return fieldlog.Invite{}, fmt.Errorf("redeem invite %s: %w", code, notFound(err))
	}
	return d.invite(), nil
}
