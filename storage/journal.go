package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// On the embedded server the conversations collection is a journal: each
// save inserts the user's new state as a document of its own, "<user>/<seq>",
// and the states it supersedes are deleted later, many at a time. The memo
// holds every user's latest state, read once at Open, so the journal is
// never searched.
//
// Why: every step of every user saves the conversation, and on the embedded
// server replacing a document costs about four times as much as inserting
// one (FerretDB reads and decodes the old document, and SQLite rewrites the
// row and both of its _id indexes inside a transaction): 1.5 ms against
// 0.4 ms at 1,000 users (BENCHMARKS.md). Deleting in batches is one delete
// for hundreds of states. A real MongoDB keeps one document per user and
// replaces it.
type journal struct {
	mu      sync.Mutex
	seqs    map[int64]int64 // the latest state's number, per user
	stale   []string        // ids of superseded states
	pruning bool
	waiting []*journalWrite // states to write next
	writing bool            // a save is writing the waiting states
}

// pruneAt is how many superseded states wait before they are deleted: the
// delete reads every document of the collection on the embedded server, so
// it is done for many at once.
const pruneAt = 500

func journalID(user, seq int64) string {
	if seq == 0 {
		return idString(user) // a state saved before the journal
	}
	return idString(user) + "/" + strconv.FormatInt(seq, 10)
}

// loadJournal reads every user's latest state into the memo and deletes the
// states that are superseded.
func (s *Store) loadJournal(ctx context.Context) error {
	s.journal = &journal{seqs: map[int64]int64{}}
	cur, err := s.conversations.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("read conversations: %w", err)
	}
	var docs []conversationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("read conversations: %w", err)
	}
	latest := map[int64]conversationDoc{}
	var stale []string
	for _, d := range docs {
		c, err := d.conversation()
		if err != nil {
			return fmt.Errorf("read conversation %s: %w", d.UserID, err)
		}
		if prev, ok := latest[c.UserID]; ok {
			if prev.Seq > d.Seq {
				stale = append(stale, d.UserID)
				continue
			}
			stale = append(stale, prev.UserID)
		}
		latest[c.UserID] = d
	}
	for user, d := range latest {
		c, _ := d.conversation()
		s.memo.setConversation(user, &c, false)
		s.journal.seqs[user] = d.Seq
	}
	s.memo.conversationsComplete()
	if len(stale) > 0 {
		if _, err := s.conversations.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: stale}}}}); err != nil {
			return fmt.Errorf("delete superseded conversation states: %w", err)
		}
	}
	return nil
}

// saveToJournal inserts c as the user's next state. Callers hold the
// user's turn (only one state of a user is saved at a time), not any lock
// of the memo.
//
// Saves of many users at once are group-committed: the first one to find
// no insert in progress writes every state waiting by then in one
// InsertMany, which the embedded server does in one SQLite transaction, and
// the others wait for its result. One user saves alone, at once; a hundred
// share a few writes.
func (s *Store) saveToJournal(ctx context.Context, c fieldlog.Conversation) error {
	j := s.journal
	d := toConversationDoc(c)
	j.mu.Lock()
	prev := j.seqs[c.UserID]
	seq := prev + 1
	// After a failure the insert may still have happened: the number is
	// used up either way, and the next state takes the one after.
	j.seqs[c.UserID] = seq
	d.UserID, d.User, d.Seq = journalID(c.UserID, seq), idString(c.UserID), seq
	w := &journalWrite{doc: d, done: make(chan error, 1)}
	j.waiting = append(j.waiting, w)
	lead := !j.writing
	j.writing = true
	j.mu.Unlock()
	if lead {
		s.commitJournal(context.WithoutCancel(ctx))
	}
	var err error
	select {
	case err = <-w.done:
	case <-ctx.Done():
		err = ctx.Err() // the write goes on without us; its result is unknown
	}
	if err != nil {
		// What the store holds for this user is unknown now: read it again.
		s.memo.setConversation(c.UserID, nil, true)
		return err
	}
	stored, _ := d.conversation()
	s.memo.setConversation(c.UserID, &stored, false)
	j.mu.Lock()
	j.stale = append(j.stale, journalID(c.UserID, prev))
	prune := len(j.stale) >= pruneAt && !j.pruning
	if prune {
		j.pruning = true
	}
	j.mu.Unlock()
	if prune {
		go s.prune(context.WithoutCancel(ctx))
	}
	return nil
}

// journalWrite is one state waiting to be written.
type journalWrite struct {
	doc  conversationDoc
	done chan error
}

// commitJournal writes the waiting states until none are left.
func (s *Store) commitJournal(ctx context.Context) {
	j := s.journal
	for {
		j.mu.Lock()
		batch := j.waiting
		j.waiting = nil
		if len(batch) == 0 {
			j.writing = false
			j.mu.Unlock()
			return
		}
		j.mu.Unlock()
		docs := make([]any, len(batch))
		for i, w := range batch {
			docs[i] = w.doc
		}
		opCtx, cancel := s.op(ctx)
		_, err := s.conversations.InsertMany(opCtx, docs, options.InsertMany().SetOrdered(false))
		cancel()
		errs := make([]error, len(batch))
		var bwe mongo.BulkWriteException
		switch {
		case err == nil:
		case errors.As(err, &bwe) && bwe.WriteConcernError == nil && len(bwe.WriteErrors) > 0:
			for _, we := range bwe.WriteErrors {
				if we.Index >= 0 && we.Index < len(batch) {
					errs[we.Index] = fmt.Errorf("save conversation state %s: %w", batch[we.Index].doc.UserID, we)
				}
			}
		default:
			for i := range errs {
				errs[i] = fmt.Errorf("save %d conversation states: %w", len(batch), err)
			}
		}
		for i, w := range batch {
			w.done <- errs[i]
		}
	}
}

// latestInJournal reads a user's latest state from the journal, when the
// memo has lost it after a failed save. It reads the whole collection on
// the embedded server, which happens only then.
func (s *Store) latestInJournal(ctx context.Context, user int64) (fieldlog.Conversation, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	cur, err := s.conversations.Find(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "user", Value: idString(user)}},
		bson.D{{Key: "_id", Value: idString(user)}},
	}}})
	if err != nil {
		return fieldlog.Conversation{}, fmt.Errorf("find conversation of user %d: %w", user, err)
	}
	var docs []conversationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return fieldlog.Conversation{}, fmt.Errorf("find conversation of user %d: %w", user, err)
	}
	if len(docs) == 0 {
		return fieldlog.Conversation{}, fmt.Errorf("find conversation of user %d: %w", user, fieldlog.ErrNotFound)
	}
	best := docs[0]
	for _, d := range docs[1:] {
		if d.Seq > best.Seq {
			best = d
		}
	}
	c, err := best.conversation()
	if err != nil {
		return fieldlog.Conversation{}, fmt.Errorf("decode conversation of user %d: %w", user, err)
	}
	return c, nil
}

// prune deletes the superseded states noted so far, in one delete.
func (s *Store) prune(ctx context.Context) {
	j := s.journal
	j.mu.Lock()
	ids := j.stale
	j.stale = nil
	j.mu.Unlock()
	ctx, cancel := s.op(ctx)
	defer cancel()
	_, err := s.conversations.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	j.mu.Lock()
	if err != nil {
		j.stale = append(j.stale, ids...)
		s.log.Warn("delete superseded conversation states", "count", len(ids), "err", err)
	}
	j.pruning = false
	j.mu.Unlock()
}
