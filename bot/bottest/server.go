// Package bottest is a fake Telegram Bot API server for end-to-end tests.
//
// It speaks enough of the Bot API (getUpdates long polling, messages,
// inline keyboards, callback queries, files, commands) to run whole
// conversations of a bot built on github.com/go-telegram/bot:
//
//	srv := bottest.New(t)
//	b, _ := bot.New(srv.Token(), bot.WithServerURL(srv.URL()), ...)
//	go b.Start(ctx)
//	srv.SendText(user, "/start")
//	msg := srv.WaitText(t, user.ID, "Welcome")
//	srv.Tap(user, msg.ID, "Log hours")
//
// The test side plays the users (SendText, SendPhoto, Tap, ...) and reads what
// the bot did (Messages, WaitFor, CallbackAnswers, ...). All methods are safe
// for concurrent use.
//
// With WithLimits (or EnforceLimits) the server enforces Telegram's flood
// limits, 30 messages a second overall and 1 a second per chat after a
// short burst, and answers a send over them 429 with retry_after; Block
// makes a user's chat answer 403 as for a user who blocked the bot.
// TooManyRequests and Forbidden count those answers, and each Message
// records when it arrived (At), so that tests can prove a bot keeps inside
// the limits.
package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime"
	"net/http/httptest"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// DefaultWait is how long WaitText, WaitAnswer and WaitConfirmed wait.
const DefaultWait = 10 * time.Second

// token looks like a real one (digits, colon, 35 characters) so that code
// validating the token format accepts it; the digits are the bot's id.
const (
	token = "123456789:AAFakeTokenForFieldlogBotTests00001"
	botID = 123456789
)

// Server is a fake Telegram Bot API server. Create it with New.
type Server struct {
	menuButtons map[string]MenuButton // by chat_id, "" the default
	srv         *httptest.Server
	token       string
	botUser     models.User
	done        chan struct{} // closed by Close: ends long polls and waits
	closeOnce   sync.Once

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change: a broadcast
	seq          uint64        // numbers bot message versions (see event)
	nextUpdateID int64
	queue        []queuedUpdate
	updates      map[int64]json.RawMessage // every update ever queued, for Redeliver
	confirmed    int64
	chats        map[int64]*chatState
	files        map[string]*File // by file_id
	paths        map[string]*File // by file_path
	lastFile     int
	lastCallback int64
	callbacks    map[string]*callbackState
	answers      []CallbackAnswer
	commands     map[string][]models.BotCommand // by commandKey
	calls        map[string]int                 // by lower-case method
	failures     map[string][]apiError          // by lower-case method
	limits       *enforcer                      // nil: no flood limits
	blocked      map[int64]bool                 // users who blocked the bot
	answered429  int
	answered403  int
	hook         *webhook                 // nil: updates are polled
	posts        []WebhookPost            // deliveries to the webhook
	holds        map[string]chan struct{} // by lower-case method: answers held back
}

// New starts a fake Bot API server; it is closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		token: token,
		botUser: models.User{
			ID:            botID,
			IsBot:         true,
			FirstName:     "Fieldlog Test",
			Username:      "fieldlog_test_bot",
			CanJoinGroups: true,
		},
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		nextUpdateID: 1,
		updates:      map[int64]json.RawMessage{},
		chats:        map[int64]*chatState{},
		files:        map[string]*File{},
		paths:        map[string]*File{},
		callbacks:    map[string]*callbackState{},
		commands:     map[string][]models.BotCommand{},
		calls:        map[string]int{},
		failures:     map[string][]apiError{},
		blocked:      map[int64]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, for bot.WithServerURL.
func (s *Server) URL() string { return s.srv.URL }

// Token is the only token the server accepts; others get 401.
func (s *Server) Token() string { return s.token }

// BotUsername is the bot's username (without @).
func (s *Server) BotUsername() string { return s.botUser.Username }

// BotID is the bot's user id.
func (s *Server) BotID() int64 { return s.botUser.ID }

// Close stops the server. Pending long polls and waits return at once. Tests
// need not call it (New registers it with t.Cleanup); it is exported to
// simulate the API going away.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// notify wakes everybody waiting for a change. Callers hold s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait calls check (with s.mu held) until it returns true, then returns true;
// it returns false when the timeout passes, ctx ends or the server closes.
func (s *Server) wait(ctx context.Context, timeout time.Duration, check func() bool) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		ok := check()
		changed := s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-changed:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		case <-s.done:
			return false
		}
	}
}

// ---- playing the users ----

// Register makes the user's private chat known without sending an update, so
// that the bot can write first (Telegram answers "chat not found" otherwise).
func (s *Server) Register(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatOf(u.privateChat())
}

// SendText queues a text message from u in their private chat and returns the
// update id. Text starting with a command ("/start ...") gets a bot_command
// entity at offset 0, as Telegram does.
func (s *Server) SendText(u User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessage(u)
	m.Text = text
	if n := commandLength(text); n > 0 {
		m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: n}}
	}
	return s.enqueue(models.Update{Message: &m})
}

// SendPhoto queues a photo message from u (two sizes of a real JPEG, as
// Telegram sends several sizes) and returns the update id and the file_id of
// the largest size, which getFile and the download route serve.
func (s *Server) SendPhoto(u User, caption string) (updateID int64, fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessage(u)
	m.Caption = caption
	for _, size := range [][2]int{{90, 60}, {320, 240}} {
		f := s.newFile("photos", ".jpg", "", "image/jpeg", testJPEG(size[0], size[1]))
		f.Width, f.Height = size[0], size[1]
		m.Photo = append(m.Photo, photoSize(f))
		fileID = f.ID
	}
	return s.enqueue(models.Update{Message: &m}), fileID
}

// SendDocument queues a document message from u and returns the update id
// and the document's file_id.
func (s *Server) SendDocument(u User, filename string, data []byte, caption string) (updateID int64, fileID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessage(u)
	m.Caption = caption
	f := s.newFile("documents", path.Ext(filename), filename, mimeType(filename), data)
	m.Document = document(f)
	return s.enqueue(models.Update{Message: &m}), f.ID
}

// Tap queues a callback query from u pressing the inline button with that
// text on the bot's message (its current version, after edits) in u's private
// chat. It fails if the message or button does not exist or the button has
// no callback_data.
func (s *Server) Tap(u User, messageID int, buttonText string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[u.ID]
	if c == nil {
		return 0, fmt.Errorf("bottest: tap %q: no chat with user %d", buttonText, u.ID)
	}
	c.cursor = s.seq
	m := c.sent[messageID]
	if m == nil || m.deleted {
		return 0, fmt.Errorf("bottest: tap %q: the bot has no message %d in chat %d", buttonText, messageID, u.ID)
	}
	snap := m.snapshot()
	b, ok := snap.Button(buttonText)
	if !ok {
		return 0, fmt.Errorf("bottest: tap %q: no such button on message %d; buttons: %q", buttonText, messageID, snap.ButtonTexts())
	}
	if b.Data == "" {
		return 0, fmt.Errorf("bottest: tap %q: the button has no callback_data (url %q)", buttonText, b.URL)
	}
	msg := cloneModel(m.raw)
	return s.enqueueCallback(u, c.chat, models.MaybeInaccessibleMessage{
		Type:    models.MaybeInaccessibleMessageTypeMessage,
		Message: &msg,
	}, b.Data), nil
}

// TapData queues a callback query from u with arbitrary data, to test forged
// or stale payloads. If the bot has the message in u's chat, the query
// carries it; otherwise it carries an inaccessible message (date 0), as
// Telegram does for messages it can no longer show.
func (s *Server) TapData(u User, messageID int, data string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatOf(u.privateChat())
	c.cursor = s.seq
	if m := c.sent[messageID]; m != nil && !m.deleted {
		msg := cloneModel(m.raw)
		return s.enqueueCallback(u, c.chat, models.MaybeInaccessibleMessage{
			Type:    models.MaybeInaccessibleMessageTypeMessage,
			Message: &msg,
		}, data)
	}
	return s.enqueueCallback(u, c.chat, models.MaybeInaccessibleMessage{
		Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
		InaccessibleMessage: &models.InaccessibleMessage{Chat: c.chat, MessageID: messageID},
	}, data)
}

// Deliver queues a raw update and returns its id. An update with ID 0 gets a
// new id; a non-zero id is kept, so delivering an update again simulates
// Telegram's redelivery (same id) and the bot receives it even if it had
// confirmed that id before. Chats and callback query ids in the update become
// known to the server.
func (s *Server) Deliver(update models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []*models.Message{update.Message, update.EditedMessage, update.ChannelPost, update.EditedChannelPost} {
		if m != nil {
			s.chatOf(m.Chat).cursor = s.seq
		}
	}
	if cq := update.CallbackQuery; cq != nil {
		if cq.Message.Message != nil {
			s.chatOf(cq.Message.Message.Chat).cursor = s.seq
		}
		if cq.ID != "" && s.callbacks[cq.ID] == nil {
			// The update id is not known yet; enqueue fills it in below.
			s.callbacks[cq.ID] = &callbackState{}
		}
	}
	id := s.enqueue(update)
	if cq := update.CallbackQuery; cq != nil && cq.ID != "" {
		s.callbacks[cq.ID].updateID = id
	}
	return id
}

// Redeliver queues the update with that id again, unchanged, as Telegram does
// when a bot did not confirm it (e.g. it crashed).
func (s *Server) Redeliver(updateID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	raw, ok := s.updates[updateID]
	if !ok {
		return fmt.Errorf("bottest: no update %d was ever queued", updateID)
	}
	var u models.Update
	var chat int64
	if json.Unmarshal(raw, &u) == nil {
		if chatID, ok := updateChat(u); ok && s.chats[chatID] != nil {
			s.chats[chatID].cursor = s.seq
			chat = chatID
		}
	}
	s.queue = append(s.queue, queuedUpdate{id: updateID, raw: raw, chat: chat})
	s.notify()
	return nil
}

// Update returns the update queued under that id, e.g. to change it and
// Deliver it again.
func (s *Server) Update(updateID int64) (models.Update, bool) {
	s.mu.Lock()
	raw, ok := s.updates[updateID]
	s.mu.Unlock()
	var u models.Update
	if !ok || json.Unmarshal(raw, &u) != nil {
		return models.Update{}, false
	}
	return u, true
}

// Hold makes calls of method (case-insensitive) take effect (a message
// sent is recorded, as the user sees it) while their answers are held back
// until release is called or the server closes: a bot killed meanwhile
// never learns that its message went out.
func (s *Server) Hold(method string) (release func()) {
	key := strings.ToLower(method)
	ch := make(chan struct{})
	s.mu.Lock()
	if s.holds == nil {
		s.holds = map[string]chan struct{}{}
	}
	s.holds[key] = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.holds[key] == ch {
				delete(s.holds, key)
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

// FailNext makes the next n calls of method (case-insensitive) fail with
// code; for 429 the answer carries parameters.retry_after = retryAfter.
func (s *Server) FailNext(method string, n, code, retryAfter int) {
	desc := fmt.Sprintf("Error %d (injected by bottest)", code)
	switch code {
	case 400:
		desc = "Bad Request: injected by bottest"
	case 403:
		desc = "Forbidden: bot was blocked by the user"
	case 429:
		desc = fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case 500:
		desc = "Internal Server Error"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.failures[key] = append(s.failures[key], apiError{code: code, desc: desc, retryAfter: retryAfter})
	}
}

// ---- reading what the bot did ----

// Messages returns the current version of every message the bot sent to the
// chat and has not deleted, in send order.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	var out []Message
	for _, id := range c.order {
		if m := c.sent[id]; !m.deleted {
			out = append(out, m.history[len(m.history)-1].clone())
		}
	}
	return out
}

// Last returns the bot's last message in the chat that is not deleted, or
// the zero Message.
func (s *Server) Last(chatID int64) Message {
	msgs := s.Messages(chatID)
	if len(msgs) == 0 {
		return Message{}
	}
	return msgs[len(msgs)-1]
}

// History returns every version of the bot's message, first as sent; if the
// bot deleted it, the last version has Deleted set.
func (s *Server) History(chatID int64, messageID int) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil || c.sent[messageID] == nil {
		return nil
	}
	var out []Message
	for _, m := range c.sent[messageID].history {
		out = append(out, m.clone())
	}
	return out
}

// Documents returns the bot's messages in the chat that carry a document,
// in send order.
func (s *Server) Documents(chatID int64) []Message {
	var out []Message
	for _, m := range s.Messages(chatID) {
		if m.Document != nil {
			out = append(out, m)
		}
	}
	return out
}

// File returns a file the server knows by its file_id.
func (s *Server) File(fileID string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[fileID]
	if !ok {
		return File{}, false
	}
	return *f.clone(), true
}

// WaitFor waits until the bot sends or edits a message in the chat so that
// the new version satisfies match, and returns that version.
//
// Which versions count: those created since the test last acted as the user
// in this chat (SendText, Tap, ...; or MarkRead), that no earlier WaitFor
// returned. So a reply that arrives before WaitFor is called is not missed,
// stale messages from before the action do not match, and waiting twice for
// "Step" returns two different versions. Versions are checked in order, so a
// short-lived one ("Working...") is not missed either.
//
// WaitFor fails the test after timeout with a dump of the chat; call it from
// the test goroutine. match runs without the server's lock held.
func (s *Server) WaitFor(t testing.TB, chatID int64, match func(Message) bool, timeout time.Duration) Message {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var checked uint64 // events up to here did not match
	for {
		s.mu.Lock()
		var fresh []event
		if c := s.chats[chatID]; c != nil {
			for _, e := range c.events {
				if e.seq > max(c.cursor, checked) && !c.returned[e.seq] && !e.msg.Deleted {
					fresh = append(fresh, event{seq: e.seq, msg: e.msg.clone()})
				}
			}
		}
		changed := s.changed
		s.mu.Unlock()
		for _, e := range fresh {
			checked = e.seq
			if match(e.msg) {
				s.mu.Lock()
				s.chats[chatID].returned[e.seq] = true
				s.mu.Unlock()
				return e.msg
			}
		}
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("bottest: no matching message from the bot in chat %d within %v; the chat now:\n%s", chatID, timeout, s.describe(chatID))
			return Message{}
		case <-s.done:
			t.Fatalf("bottest: server closed while waiting for a message in chat %d", chatID)
			return Message{}
		}
	}
}

// MarkRead moves the chat's WaitFor cursor to now: later waits see only what
// the bot sends or edits from now on, e.g. after triggering a reminder.
func (s *Server) MarkRead(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		c.cursor = s.seq
	}
}

// WaitText waits up to DefaultWait (see WaitFor) for a message version whose
// text or caption, as the user sees it, contains substr.
func (s *Server) WaitText(t testing.TB, chatID int64, substr string) Message {
	t.Helper()
	return s.WaitFor(t, chatID, func(m Message) bool {
		return strings.Contains(m.Text, substr) || strings.Contains(m.Caption, substr)
	}, DefaultWait)
}

// CallbackAnswers returns the bot's answers to callback queries in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// WaitAnswer waits up to DefaultWait until the bot answers the callback query
// queued as update updateID (by Tap or TapData) and returns the answer.
func (s *Server) WaitAnswer(t testing.TB, updateID int64) CallbackAnswer {
	t.Helper()
	var found CallbackAnswer
	ok := s.wait(context.Background(), DefaultWait, func() bool {
		for _, a := range s.answers {
			if a.UpdateID == updateID {
				found = a
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("bottest: the bot did not answer the callback query of update %d within %v", updateID, DefaultWait)
	}
	return found
}

// Confirmed returns the highest offset the bot sent to getUpdates: every
// update with a smaller id is confirmed (0 before the first confirmation).
func (s *Server) Confirmed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// WaitConfirmed waits up to DefaultWait until the bot confirms update
// updateID, i.e. polls with an offset above it.
func (s *Server) WaitConfirmed(t testing.TB, updateID int64) {
	t.Helper()
	if !s.wait(context.Background(), DefaultWait, func() bool { return s.confirmed > updateID }) {
		t.Fatalf("bottest: update %d not confirmed within %v (offset %d)", updateID, DefaultWait, s.Confirmed())
	}
}

// Commands returns the commands set for the scope (its JSON, e.g.
// `{"type":"all_private_chats"}`; "" means the default scope) and language
// code ("" for all languages), or nil if none were set.
func (s *Server) Commands(scopeJSON, lang string) []models.BotCommand {
	key, err := commandKey(scopeJSON, lang)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[key])
}

// Calls returns how many requests for method (case-insensitive) the server
// got with the right token, including failed ones.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// ---- internals shared with the handler; callers hold s.mu ----

// chatOf returns the chat's state, creating it on first sight.
func (s *Server) chatOf(chat models.Chat) *chatState {
	c := s.chats[chat.ID]
	if c == nil {
		c = &chatState{chat: chat, sent: map[int]*sentMessage{}, returned: map[uint64]bool{}}
		s.chats[chat.ID] = c
	}
	return c
}

// userMessage starts a message from u in their private chat.
func (s *Server) userMessage(u User) models.Message {
	delete(s.blocked, u.ID) // a user who writes has unblocked the bot
	c := s.chatOf(u.privateChat())
	c.cursor = s.seq
	c.lastMsgID++
	from := u.model()
	return models.Message{ID: c.lastMsgID, From: &from, Date: int(time.Now().Unix()), Chat: c.chat}
}

// enqueue adds an update to the queue, giving it an id if it has none.
func (s *Server) enqueue(u models.Update) int64 {
	if u.ID == 0 {
		u.ID = s.nextUpdateID
	}
	if u.ID >= s.nextUpdateID {
		s.nextUpdateID = u.ID + 1
	}
	// Marshal a pointer: MaybeInaccessibleMessage has a pointer-receiver MarshalJSON.
	raw, err := json.Marshal(&u)
	if err != nil {
		panic(fmt.Sprintf("bottest: marshal update: %v", err))
	}
	s.updates[u.ID] = raw
	chat, _ := updateChat(u)
	s.queue = append(s.queue, queuedUpdate{id: u.ID, raw: raw, chat: chat})
	s.notify()
	return u.ID
}

func (s *Server) enqueueCallback(u User, chat models.Chat, msg models.MaybeInaccessibleMessage, data string) int64 {
	delete(s.blocked, u.ID)
	s.lastCallback++
	// Real query ids are long decimal strings.
	id := strconv.FormatInt(4_000_000_000_000_000_000+s.lastCallback, 10)
	cq := &models.CallbackQuery{
		ID:           id,
		From:         u.model(),
		Message:      msg,
		ChatInstance: strconv.FormatInt(-chat.ID*7919-1, 10),
		Data:         data,
	}
	updateID := s.enqueue(models.Update{CallbackQuery: cq})
	s.callbacks[id] = &callbackState{updateID: updateID}
	return updateID
}

// newFile stores a file and gives it ids and a path.
func (s *Server) newFile(dir, ext, name, mimeType string, data []byte) *File {
	s.lastFile++
	prefix := "BQACAgIAAxkBAAI" // how document ids start
	if dir == "photos" {
		prefix = "AgACAgIAAxkBAAI"
	}
	f := &File{
		ID:       fmt.Sprintf("%s%06d", prefix, s.lastFile),
		UniqueID: fmt.Sprintf("AQAD%06d", s.lastFile),
		Path:     fmt.Sprintf("%s/file_%d%s", dir, s.lastFile, ext),
		Name:     name,
		MimeType: mimeType,
		Data:     slices.Clone(data),
	}
	s.files[f.ID] = f
	s.paths[f.Path] = f
	return f
}

// record appends the message's current version to its history and to the
// chat's events, and wakes waiters.
func (s *Server) record(c *chatState, m *sentMessage) {
	snap := m.snapshot()
	snap.At = time.Now()
	m.history = append(m.history, snap)
	s.seq++
	c.events = append(c.events, event{seq: s.seq, msg: snap})
	s.notify()
}

// describe lists the chat's messages for failure messages.
func (s *Server) describe(chatID int64) string {
	var b strings.Builder
	for _, m := range s.Messages(chatID) {
		fmt.Fprintf(&b, "  #%d (edits %d): %q", m.ID, m.Edits, m.Text+m.Caption)
		if len(m.InlineKeyboard) > 0 {
			fmt.Fprintf(&b, " buttons %q", m.ButtonTexts())
		}
		b.WriteString("\n")
	}
	if b.Len() == 0 {
		return "  (no messages)\n"
	}
	return b.String()
}

// commandLength is the UTF-16 length of the command at the start of text
// ("/start" or "/start@bot"), or 0 if text does not start with one.
func commandLength(text string) int {
	if !strings.HasPrefix(text, "/") {
		return 0
	}
	cmd := text
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		cmd = text[:i]
	}
	name, _, _ := strings.Cut(cmd[1:], "@")
	if name == "" || len(name) > 32 {
		return 0
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return 0
		}
	}
	return len(utf16.Encode([]rune(cmd)))
}

// updateChat returns the chat an update comes from, if it has one.
func updateChat(u models.Update) (int64, bool) {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID, true
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		return u.CallbackQuery.Message.Message.Chat.ID, true
	case u.CallbackQuery != nil && u.CallbackQuery.Message.InaccessibleMessage != nil:
		return u.CallbackQuery.Message.InaccessibleMessage.Chat.ID, true
	}
	return 0, false
}

func photoSize(f *File) models.PhotoSize {
	return models.PhotoSize{FileID: f.ID, FileUniqueID: f.UniqueID, Width: f.Width, Height: f.Height, FileSize: len(f.Data)}
}

func document(f *File) *models.Document {
	return &models.Document{FileID: f.ID, FileUniqueID: f.UniqueID, FileName: f.Name, MimeType: f.MimeType, FileSize: int64(len(f.Data))}
}

func mimeType(filename string) string {
	if t := mime.TypeByExtension(path.Ext(filename)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// testJPEG draws a small gradient so that the bot gets a decodable image.
func testJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: 128, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		panic(fmt.Sprintf("bottest: encode jpeg: %v", err))
	}
	return buf.Bytes()
}
