// Package fieldlog holds the domain of the fieldlog bot: organisation units,
// users and their roles, the activity catalogue, activity records, half-year
// periods, invitations and the interfaces through which they are stored.
//
// It imports nothing else of this module. Adapters (Telegram in bot/, MongoDB
// in storage/) and the conversation engine depend on it, never the reverse.
package fieldlog

import "errors"

// ErrNotFound is returned by stores when the requested item does not exist.
var ErrNotFound = errors.New("not found")

// ErrDuplicate is returned by stores when an item with the same identity is
// already stored; callers that insert idempotently treat it as success.
var ErrDuplicate = errors.New("duplicate")

// ErrReviewChanged is returned by a store's ReviewActivity when the record's
// review thread no longer holds the notes the caller saw: someone reviewed
// the record since it was read, and nothing was written.
var ErrReviewChanged = errors.New("the review changed since it was read")
