package bot

import (
	"strings"
	"time"
)

// Observer is told what the channel does, for the operator's metrics. Its
// methods must return quickly and be safe for concurrent use.
type Observer interface {
	// UpdateReceived is called for each update recorded in the inbox.
	UpdateReceived(kind string)
	// UpdateHandled is called when the engine has answered an update.
	UpdateHandled(kind string, took time.Duration)
	// Sent is called for each Bot API request that put something into a
	// chat (a message, a photo, a file, an edit); err is its outcome,
	// after any retries.
	Sent(err error)
	// TooManyRequests is called for each 429 Telegram answers.
	TooManyRequests()
}

// noObserver is the Observer when none is configured.
type noObserver struct{}

func (noObserver) UpdateReceived(string)               {}
func (noObserver) UpdateHandled(string, time.Duration) {}
func (noObserver) Sent(error)                          {}
func (noObserver) TooManyRequests()                    {}

// Kinds of update, as the metrics count them.
const (
	KindCommand = "command"
	KindText    = "text"
	KindPhoto   = "photo"
	KindButton  = "button"
	KindOther   = "other"
)

// kindOf names the kind of an update.
func kindOf(upd *update) string {
	switch {
	case upd.CallbackQuery != nil:
		return KindButton
	case upd.Message == nil:
		return KindOther
	case len(upd.Message.Photo) > 0 || upd.Message.Document != nil:
		return KindPhoto
	case strings.HasPrefix(upd.Message.Text, "/"):
		return KindCommand
	case upd.Message.Text != "":
		return KindText
	}
	return KindOther
}
