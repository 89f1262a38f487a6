// Package conversation is the bot's conversation engine: plain Go, with no
// knowledge of Telegram or MongoDB. An Input goes in (a message, a pressed
// button, a photo), a Response comes out (texts, buttons, a menu), and the
// user's place in a multi-step flow is kept through fieldlog.Conversations,
// so a restart continues where the user was.
//
// Each flow lives in its own file and reads top to bottom as the user
// experiences it: join.go (language, invitation codes), log.go (logging and
// editing an activity), quicklog.go (an activity logged in one message,
// through the steps of log.go), records.go (seeing and deleting records),
// invite.go (inviting officers and coordinators), report.go (the half-year
// report), note.go (its problems and plans), status.go (who is silent).
package conversation

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fieldlog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/parse"
	"fieldlog/statuschart"
)

// Input is one thing a user did: sent text, pressed a button or sent a photo.
type Input struct {
	// Key identifies the update that carried the input, unique within the
	// channel ("tg:812345"). An input whose key the user's conversation has
	// applied already is skipped: after a crash, or a channel's second
	// delivery, nothing happens twice. Empty means no such protection.
	Key string
	// UserID is the channel's account that sent it (a Telegram user id),
	// which is the user of that id or the one it was linked to
	// (office.TelegramUser).
	UserID       int64
	ChatID       int64
	Name         string // display name as the channel knows it
	LanguageCode string // the channel's interface language, a hint only
	Text         string
	Photo        fieldlog.Photo // a photo the user sent, by the channel's id; ID "" if none
	Caption      string         // the text sent with the photo
	// Button is the payload of a pressed button. It is untrusted: it may be
	// stale, forged or belong to someone else.
	Button string
	// MessageID is the message that carried the pressed button, so that
	// replies can replace it instead of piling up.
	MessageID int
}

// Response is what the bot answers to one Input.
type Response struct {
	// Notice is a short toast for a pressed button; the channel must
	// acknowledge every pressed button even when Notice is empty.
	Notice  string
	Replies []Reply
	// Commands, when not nil, replaces this chat's command list.
	Commands []Command
}

// Reply is one message to the user.
type Reply struct {
	Text string
	// HTML says that Text is Telegram HTML (parse_mode HTML), as the
	// report is, for its bold headings; every text a user typed in it must
	// have been escaped. Otherwise Text is plain and shown as it is.
	HTML bool
	// Buttons are attached to the message (an inline keyboard).
	Buttons [][]Button
	// Menu, when not nil, is the persistent keyboard of the user's actions.
	// A message carries either Buttons or a Menu, never both.
	Menu [][]string
	// MenuApp, when its WebApp is set, is a last row of the Menu opening
	// the web page inside the channel (a Telegram Mini App).
	MenuApp Button
	// Edit replaces the message whose button was pressed instead of
	// sending a new one.
	Edit bool
	// Photos are shown before the text.
	Photos []Photo
	// Caption is shown under the first photo.
	Caption string
	// Image is a picture (PNG) made by the bot, shown before the text.
	Image []byte
	// Files are documents sent after the text.
	Files []File
}

// Photo is a record's photo to show: a channel's own by its id, a stored
// one (fieldlog.StoredPhoto) with its Data, which the channel uploads.
type Photo struct {
	fieldlog.Photo
	Data []byte
}

// File is a document the bot made, such as the report's Word file.
type File struct {
	Name string
	Data []byte
}

// Button is an inline button: it sends Data back, opens URL, or opens
// WebApp (an HTTPS address) inside the channel, as a Telegram Mini App.
type Button struct {
	Text   string
	Data   string
	URL    string
	WebApp string
}

// Command is an entry of the chat's command list.
type Command struct {
	Name        string // without the slash
	Description string
}

// Config holds the engine's dependencies.
type Config struct {
	// Office runs the use cases (log, edit, delete, list, return …) and
	// decides who may do what: the flows are a user interface over it.
	Office   *office.Office
	Store    fieldlog.Store
	Catalog  *fieldlog.Catalog
	Messages *locales.Messages
	Location *time.Location
	// BotName is the bot's username, used in invitation links.
	BotName string
	// Charts draws the /status bar chart.
	Charts *statuschart.Renderer
	// PhotoFiles holds the photos uploaded on the web page, which a record
	// shows in the chat too; nil shows only a channel's own photos.
	PhotoFiles fieldlog.PhotoFiles
	// WebURL is the public address of the web page (FIELDLOG_WEB_URL),
	// which /web links to; empty: no web page, no /web.
	WebURL string
	// WebStore keeps the one-time sign-in links /web sends.
	WebStore office.WebStore
	// Now returns the current time; tests set it.
	Now func() time.Time
	// Notifier sends a message outside of a response (a report that waits
	// for its turn says so at once); nil sends nothing.
	Notifier Notifier
	// TurnTimeout bounds the handling of one input; zero means
	// DefaultTurnTimeout. A report gets ReportTimeout instead.
	TurnTimeout time.Duration
	// ReportTimeout bounds waiting for and compiling one report; zero means
	// DefaultReportTimeout.
	ReportTimeout time.Duration
	// MaxReports is how many reports compile at once, for all users; zero
	// means DefaultMaxReports. Each reads every record of a half-year and
	// builds two files in memory.
	MaxReports int
	// Reader reads an activity from a sentence sent outside a flow; nil
	// means parse.Activity. Tests give exact readings.
	Reader func(string, parse.Knowledge) parse.Reading
	Logger *slog.Logger
}

// Notifier delivers a message to a chat outside of the response to an
// input, and returns the id of the (last) message sent. The channel
// adapter implements it: the message keeps its place among the chat's
// answers and inside the channel's rate limits.
type Notifier interface {
	Notify(ctx context.Context, chatID int64, r Reply) (messageID int, err error)
}

// Defaults of the engine's limits.
const (
	DefaultTurnTimeout   = 30 * time.Second
	DefaultReportTimeout = 3 * time.Minute
	DefaultMaxReports    = 2
)

// ErrTurnTimeout is the cause of a turn's context ending when its handling
// took longer than allowed.
var ErrTurnTimeout = errors.New("handling the input took too long")

// Engine runs the conversations. It keeps no state between calls: all of
// it is in the store, so several engines may serve one database, provided
// each user's inputs reach the engine one at a time and in order.
type Engine struct {
	office        *office.Office
	store         fieldlog.Store
	catalog       *fieldlog.Catalog
	msgs          *locales.Messages
	loc           *time.Location
	botName       string
	charts        *statuschart.Renderer
	photoFiles    fieldlog.PhotoFiles
	webURL        string
	webStore      office.WebStore
	now           func() time.Time
	notifier      Notifier
	turnTimeout   time.Duration
	reportTimeout time.Duration
	reports       chan struct{} // one token per report compiling
	read          func(string, parse.Knowledge) parse.Reading
	knowledge     knowledge // what sentences are read against
	log           *slog.Logger
}

// New returns an engine.
func New(cfg Config) *Engine {
	if cfg.Office == nil {
		panic("conversation: Config.Office is required")
	}
	e := &Engine{
		office:     cfg.Office,
		store:      cfg.Store,
		catalog:    cfg.Catalog,
		msgs:       cfg.Messages,
		loc:        cfg.Location,
		botName:    cfg.BotName,
		charts:     cfg.Charts,
		photoFiles: cfg.PhotoFiles,
		webURL:     strings.TrimRight(cfg.WebURL, "/"),
		webStore:   cfg.WebStore,
		now:        cfg.Now,
		read:       cfg.Reader,
		log:        cfg.Logger,

		notifier:      cfg.Notifier,
		turnTimeout:   cmp.Or(cfg.TurnTimeout, DefaultTurnTimeout),
		reportTimeout: cmp.Or(cfg.ReportTimeout, DefaultReportTimeout),
		reports:       make(chan struct{}, cmp.Or(cfg.MaxReports, DefaultMaxReports)),
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.loc == nil {
		e.loc = time.UTC
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.read == nil {
		e.read = parse.Activity
	}
	return e
}

// Handle answers one input. An error means the store failed; what the user
// had entered before is still stored, and the caller should tell them to
// try again.
//
// The handling has a deadline (Config.TurnTimeout, longer for a report);
// when it passes, the turn's store operations fail and so does Handle.
func (e *Engine) Handle(ctx context.Context, in Input) (Response, error) {
	ctx, dl := withDeadline(ctx, e.turnTimeout)
	defer dl.stop()
	t, err := e.begin(ctx, in)
	if err != nil {
		return Response{}, err
	}
	t.deadline = dl
	if t.conv.HasApplied(in.Key) {
		// Handled before a crash, or delivered twice: its effect and its
		// answer are already there.
		e.log.Info("input already applied; skipped", "key", in.Key, "user", in.UserID)
		return Response{}, nil
	}
	if err := t.route(); err != nil {
		return Response{}, err
	}
	if err := t.finish(); err != nil {
		return Response{}, err
	}
	return t.resp, nil
}

// turn is the handling of one Input: who the user is, where they are, and
// the response being built.
type turn struct {
	e    *Engine
	ctx  context.Context
	in   Input
	user fieldlog.User
	lang fieldlog.Lang
	now  time.Time
	// storedRole is the role in the store; user.Role may be Admin on top.
	storedRole fieldlog.Role

	// conv is the user's conversation; hasConv says whether they are in a
	// flow. Its Applied keys survive the start and end of flows.
	conv        fieldlog.Conversation
	hasConv     bool
	convChanged bool
	tree        *fieldlog.Tree
	deadline    *deadline

	resp Response
}

func (e *Engine) begin(ctx context.Context, in Input) (*turn, error) {
	t := &turn{e: e, ctx: ctx, in: in, now: e.now()}
	u, err := e.office.TelegramUser(ctx, in.UserID)
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		u = fieldlog.User{ID: in.UserID}
	case err != nil:
		return nil, fmt.Errorf("load user of account %d: %w", in.UserID, err)
	}
	// Who joined on the web page keeps the name they gave there.
	takeName := in.Name != "" && u.Name != in.Name && !u.OwnID()
	if u.ChatID != in.ChatID || takeName || u.Blocked {
		u.ChatID = in.ChatID
		u.Blocked = false // they wrote: they have not blocked the bot
		if takeName {
			u.Name = in.Name
		}
		if u.Lang != "" { // users are stored once they have chosen a language
			if err := e.store.SaveUser(ctx, u); err != nil {
				return nil, fmt.Errorf("save user %d: %w", u.ID, err)
			}
		}
	}
	t.storedRole = u.Role
	u = e.office.Acting(u)
	t.user, t.lang = u, u.Lang
	if !t.lang.Valid() {
		t.lang = fieldlog.LangFromTelegram(in.LanguageCode)
	}
	if err := t.loadConversation(); err != nil {
		return nil, err
	}
	return t, nil
}

// loadConversation reads the user's conversation, if they have one.
func (t *turn) loadConversation() error {
	c, err := t.e.store.Conversation(t.ctx, t.user.ID)
	switch {
	case err == nil:
		t.conv, t.hasConv = c, c.Active()
	case errors.Is(err, fieldlog.ErrNotFound):
		t.conv, t.hasConv = fieldlog.Conversation{UserID: t.user.ID}, false
	default:
		return fmt.Errorf("load conversation of %d: %w", t.user.ID, err)
	}
	t.convChanged = false
	return nil
}

// finish stores the conversation as the turn left it, with the input's
// key among those applied, in one write: a crash before it leaves neither
// the step nor the key, a crash after it leaves both.
func (t *turn) finish() error {
	if t.in.Key != "" {
		t.conv.MarkApplied(t.in.Key)
		t.convChanged = true
	}
	if !t.convChanged {
		return nil
	}
	t.conv.UserID = t.user.ID
	t.conv.UpdatedAt = t.now
	if err := t.e.store.SaveConversation(t.ctx, t.conv); err != nil {
		return fmt.Errorf("save conversation of %d: %w", t.user.ID, err)
	}
	return nil
}

// startFlow begins a new flow, replacing any unfinished one; the new ID
// makes the old flow's buttons stale.
func (t *turn) startFlow(flow, step string) {
	t.conv = fieldlog.Conversation{UserID: t.user.ID, ID: newID(6), Flow: flow, Step: step, Vars: map[string]string{}, Applied: t.conv.Applied}
	t.hasConv, t.convChanged = true, true
}

// goTo moves the current flow to step.
func (t *turn) goTo(step string) {
	t.conv.Step = step
	t.convChanged = true
}

// setVar stores a flow variable.
func (t *turn) setVar(k, v string) {
	if t.conv.Vars == nil {
		t.conv.Vars = map[string]string{}
	}
	t.conv.Vars[k] = v
	t.convChanged = true
}

// endFlow finishes the current flow; the conversation stays, between
// flows, with the keys of the updates applied.
func (t *turn) endFlow() {
	t.hasConv, t.convChanged = false, true
	t.conv = fieldlog.Conversation{UserID: t.user.ID, Applied: t.conv.Applied}
}

// extendDeadline gives the rest of the turn d from now, for work known to
// take long (a report).
func (t *turn) extendDeadline(d time.Duration) {
	if t.deadline != nil {
		t.deadline.extend(d)
	}
}

// deadline ends a turn's context when its time is up. Unlike
// context.WithTimeout it can be pushed further once the turn knows it is
// compiling a report.
type deadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel context.CancelCauseFunc
	done   bool
}

// withDeadline returns a context that ends d from now, or when the
// deadline is stopped (at the end of the turn).
func withDeadline(parent context.Context, d time.Duration) (context.Context, *deadline) {
	ctx, cancel := context.WithCancelCause(parent)
	dl := &deadline{cancel: cancel}
	dl.timer = time.AfterFunc(d, func() { cancel(ErrTurnTimeout) })
	return ctx, dl
}

// extend moves the deadline to d from now, unless it has passed.
func (dl *deadline) extend(d time.Duration) {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	if !dl.done && dl.timer.Stop() {
		dl.timer.Reset(d)
	}
}

// stop ends the turn's context and its timer.
func (dl *deadline) stop() {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	dl.done = true
	dl.timer.Stop()
	dl.cancel(nil)
}

// units returns the organisation tree, loaded once per turn.
func (t *turn) units() (*fieldlog.Tree, error) {
	if t.tree == nil {
		tree, err := t.e.office.Tree(t.ctx)
		if err != nil {
			return nil, err
		}
		t.tree = tree
	}
	return t.tree, nil
}

// today is the current civil day in the deployment's time zone.
func (t *turn) today() fieldlog.Date { return fieldlog.DateOf(t.now, t.e.loc) }

// tr translates message id into the user's language.
func (t *turn) tr(id string, kv ...any) string { return t.trIn(t.lang, id, kv...) }

// trIn translates message id into l; kv are name, value pairs of its
// template data.
func (t *turn) trIn(l fieldlog.Lang, id string, kv ...any) string {
	return t.e.msgs.Textf(l, id, kv...)
}

// say adds a message.
func (t *turn) say(text string, buttons ...[]Button) {
	t.resp.Replies = append(t.resp.Replies, Reply{Text: text, Buttons: buttons})
}

// show replaces the message whose button was pressed, or sends a new
// message when the input was typed.
func (t *turn) show(text string, buttons ...[]Button) {
	t.resp.Replies = append(t.resp.Replies, Reply{Text: text, Buttons: buttons, Edit: t.in.Button != "" && t.in.MessageID != 0})
}

// notice sets the toast shown for a pressed button.
func (t *turn) notice(text string) { t.resp.Notice = text }

// newID returns n random characters for record and flow ids.
func newID(n int) string { return randomString("abcdefghijkmnpqrstuvwxyz23456789", n) }

// randomString returns n characters drawn from alphabet, whose length must
// divide 256 so that every character is equally likely.
func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// ErrUnreachable is the error a channel returns for a message to a user
// who cannot be written to (they blocked the bot).
var ErrUnreachable = errors.New("the user cannot be reached")
