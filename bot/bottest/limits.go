package bottest

import (
	"fmt"
	"math"
	"net/http"
	"time"
)

// Limits are the flood limits the server enforces (see WithLimits and
// EnforceLimits). A send over one is answered 429 with retry_after, as
// Telegram does, and is not carried out.
type Limits struct {
	// PerSecond is the most sends to all chats together within any one
	// second (a sliding window): "no more than 30 messages per second".
	PerSecond int
	// PerChat is the most sends a second to one chat once a burst of
	// ChatBurst sends has gone (a token bucket): "avoid sending more than
	// one message per second; we may allow short bursts".
	PerChat   float64
	ChatBurst int
}

// TelegramLimits are Telegram's limits as its Bot FAQ states them, with a
// burst of 3 messages to one chat.
var TelegramLimits = Limits{PerSecond: 30, PerChat: 1, ChatBurst: 3}

// WithLimits makes the server enforce TelegramLimits from the start.
func WithLimits() Option {
	return func(s *Server) { s.setLimits(TelegramLimits) }
}

// EnforceLimits makes the server enforce l from now on; the zero Limits
// stops enforcing. Fields left zero take TelegramLimits' values.
func (s *Server) EnforceLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setLimits(l)
}

func (s *Server) setLimits(l Limits) {
	if l == (Limits{}) {
		s.limits = nil
		return
	}
	if l.PerSecond <= 0 {
		l.PerSecond = TelegramLimits.PerSecond
	}
	if l.PerChat <= 0 {
		l.PerChat = TelegramLimits.PerChat
	}
	if l.ChatBurst <= 0 {
		l.ChatBurst = TelegramLimits.ChatBurst
	}
	s.limits = &enforcer{Limits: l, chats: map[int64]time.Time{}}
}

// Block makes the user block the bot: sends to their private chat are
// answered 403 "Forbidden: bot was blocked by the user" until Unblock, or
// until the user writes again (SendText, Tap, ...), which on Telegram
// means they unblocked it.
func (s *Server) Block(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[userID] = true
}

// Unblock undoes Block.
func (s *Server) Unblock(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, userID)
}

// TooManyRequests returns how many requests the server answered 429: for
// its limits, and injected by FailNext.
func (s *Server) TooManyRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered429
}

// Forbidden returns how many requests the server answered 403: to a user
// who blocked the bot, and injected by FailNext.
func (s *Server) Forbidden() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered403
}

// countedMethods put a message into a chat: Telegram's limits count them.
var countedMethods = map[string]bool{
	"sendmessage": true, "editmessagetext": true, "editmessagereplymarkup": true,
	"sendphoto": true, "senddocument": true,
}

// chatMethods are refused to a chat whose user blocked the bot.
var chatMethods = map[string]bool{
	"sendmessage": true, "editmessagetext": true, "editmessagereplymarkup": true,
	"sendphoto": true, "senddocument": true, "sendchataction": true, "deletemessage": true,
}

// enforcer keeps the sends the limits count.
type enforcer struct {
	Limits
	recent []time.Time         // accepted sends of the last second, oldest first
	chats  map[int64]time.Time // per chat: when its bucket is full again (GCRA)
}

// admit applies blocks and limits to a request of method (lower case) to
// chat_id chatID ("" for none). Callers hold s.mu.
func (s *Server) admit(method, chatID string) *apiError {
	if !chatMethods[method] {
		return nil
	}
	var chat int64
	if _, err := fmt.Sscan(chatID, &chat); err != nil {
		return nil // the method answers "chat not found"
	}
	if s.blocked[chat] {
		return &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
	}
	if s.limits == nil || !countedMethods[method] {
		return nil
	}
	return s.limits.admit(chat, time.Now())
}

func (e *enforcer) admit(chat int64, now time.Time) *apiError {
	every := time.Duration(float64(time.Second) / e.PerChat)
	slack := time.Duration(e.ChatBurst-1) * every
	tat := e.chats[chat]
	if ready := tat.Add(-slack); now.Before(ready) {
		return tooMany(ready.Sub(now))
	}
	for len(e.recent) > 0 && now.Sub(e.recent[0]) >= time.Second {
		e.recent = e.recent[1:]
	}
	if len(e.recent) >= e.PerSecond {
		return tooMany(e.recent[0].Add(time.Second).Sub(now))
	}
	e.recent = append(e.recent, now)
	e.chats[chat] = later(tat, now).Add(every)
	return nil
}

// tooMany is Telegram's 429, retry_after in whole seconds (at least 1).
func tooMany(wait time.Duration) *apiError {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	return &apiError{code: http.StatusTooManyRequests, desc: fmt.Sprintf("Too Many Requests: retry after %d", secs), retryAfter: secs}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
