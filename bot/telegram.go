// Package bot connects the conversation engine to Telegram. It only
// translates: Telegram updates into engine inputs, engine responses into
// Telegram messages and keyboards. No business rule lives here, so another
// channel can be added beside it.
package bot

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"fieldlog"
	"fieldlog/conversation"
)

// Engine answers one input; conversation.Engine is the real one.
type Engine interface {
	Handle(ctx context.Context, in conversation.Input) (conversation.Response, error)
}

// Config holds what the Telegram channel needs.
type Config struct {
	Token string
	// APIURL is the Bot API server; empty means Telegram's own.
	APIURL string
	// Inbox records every update before it is handled.
	Inbox fieldlog.Inbox
	// Apology is sent when handling an update failed (the store was
	// unreachable, say): the user's earlier answers are kept.
	Apology string
	// Busy is sent, once, to a user whose updates arrive faster than they
	// can be handled; what they sent is kept and handled in turn.
	Busy string
	// PollTimeout is the long-polling wait; zero means 30 s.
	PollTimeout time.Duration
	// MaxQueued is how many updates of one chat wait in memory; more wait
	// in the inbox. Zero means DefaultMaxQueued.
	MaxQueued int
	// StopGrace is how long a stop waits for updates in hand; what is not
	// done by then stays in the inbox for the next start. Zero means
	// DefaultStopGrace.
	StopGrace time.Duration
	// Limits are the rates at which the bot sends (see throttle.go); the
	// zero value keeps inside Telegram's.
	Limits Limits
	// OnBlocked is called when Telegram refuses to deliver to a chat (403:
	// the user blocked the bot), once until the user writes again. Until
	// then this process sends nothing to the chat (ErrBlocked, without
	// asking Telegram; after an hour without news it asks once more). Keep
	// the mark where a restart and the other processes see it. It runs in
	// the send that found out, with a context of its own that a stop does
	// not cancel, bounded to 10 s.
	OnBlocked func(ctx context.Context, chatID int64)
	// OnUnblocked is called when a chat that this process marked blocked
	// writes again, before its update is handled. A mark set by another
	// process, or before a restart, is not known here: whoever keeps the
	// mark should also clear it when the user's input is handled.
	OnUnblocked func(ctx context.Context, chatID int64)
	// Webhook, when set, makes Telegram post updates to the bot (see
	// WebhookHandler) instead of the bot polling for them.
	Webhook *Webhook
	// Leases, when set, let several processes share one inbox: a chat's
	// updates are handled by one process at a time, in order (see
	// shared.go). Nil: this process is the only one.
	Leases fieldlog.ChatLeases
	// Holder names this process in the leases it takes.
	Holder string
	// Peers, when set with Leases, let the processes split Telegram's
	// rate for the bot: each sends at its part (see share in throttle.go).
	Peers fieldlog.Peers
	// Observer is told what the channel does, for metrics; nil: nobody.
	Observer Observer
	Logger   *slog.Logger
}

// maxConnections is how many connections to the Bot API stay open for
// reuse.
const maxConnections = 100

// Defaults of Config.
const (
	DefaultMaxQueued = 20
	// DefaultStopGrace leaves, within the 10 s an operator may expect a
	// stop to take (Docker kills after 10, systemd after 20): 2 s for the
	// updates cut short to end, 1 s to forget the handled ones, and the
	// rest for the program to close the HTTP server and the store.
	DefaultStopGrace = 5 * time.Second
	// cutShort is how long updates cut short by a stop may take to end.
	cutShort = 2 * time.Second
)

// Telegram is the Telegram channel of the bot.
type Telegram struct {
	api      *tg.Bot
	inbox    fieldlog.Inbox
	apology  string
	busy     string
	grace    time.Duration
	log      *slog.Logger
	username string

	poller *poller
	files  *http.Client // downloads of files users sent (ChannelPhoto)
	forget *forgetter
	engine Engine
	// handling outlives polling, so that updates in hand finish after a
	// stop; cancelled when the stop's grace period is over.
	handling     context.Context
	stopHandling context.CancelFunc
	lanes        *lanes

	throttle    *throttle
	blocked     *blockList
	onBlocked   func(ctx context.Context, chatID int64)
	onUnblocked func(ctx context.Context, chatID int64)

	webhook *Webhook
	// running is set while Run takes updates, for the readiness probe.
	running atomic.Bool
	// accepting is set while the webhook records posts, from just before
	// setWebhook until the stop: it answers 503 before and after, so that
	// Telegram posts the update again later.
	accepting atomic.Bool
	posts     atomic.Int64 // webhook posts being recorded
	// background is the goroutines of a run besides the lanes (sweep,
	// beat); Run waits for them.
	background sync.WaitGroup
	leases     fieldlog.ChatLeases
	peers      fieldlog.Peers
	holder     string
	observe    Observer
	// sweepEvery, sweepAge and beatEvery: see sweep and beat (tests
	// shorten them).
	sweepEvery, sweepAge, beatEvery time.Duration
}

// New connects to the Bot API and asks who the bot is.
func New(ctx context.Context, cfg Config) (*Telegram, error) {
	t := &Telegram{inbox: cfg.Inbox, apology: cfg.Apology, busy: cfg.Busy, log: cfg.Logger,
		grace:    cmp.Or(cfg.StopGrace, DefaultStopGrace),
		throttle: newThrottle(cfg.Limits, realClock{}), blocked: newBlockList(realClock{}),
		onBlocked: cfg.OnBlocked, onUnblocked: cfg.OnUnblocked,
		webhook: cfg.Webhook, leases: cfg.Leases, peers: cfg.Peers, holder: cfg.Holder, observe: cfg.Observer,
		sweepEvery: defaultSweepEvery, sweepAge: defaultSweepAge, beatEvery: defaultBeatEvery}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.observe == nil {
		t.observe = noObserver{}
	}
	if t.webhook != nil {
		if err := t.webhook.Check(); err != nil {
			return nil, err
		}
	}
	t.lanes = newLanes(cmp.Or(cfg.MaxQueued, DefaultMaxQueued), t.refill)
	t.forget = newForgetter(cfg.Inbox, t.log)
	poll := cfg.PollTimeout
	if poll == 0 {
		poll = 30 * time.Second
	}
	// Long polls wait up to poll; the client allows a little more. The
	// library only sends; the updates come through poll.go.
	//
	// Replies to many chats go out at once, over as many connections: the
	// default transport keeps two idle, and dialled (on Telegram: a TLS
	// handshake) anew for nearly every request under load.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = maxConnections
	client := &http.Client{Timeout: poll + 10*time.Second, Transport: transport}
	t.poller = &poller{url: getUpdatesURL(cfg.APIURL, cfg.Token), client: client, timeout: poll}
	t.files = &http.Client{Timeout: time.Minute, Transport: transport}
	opts := []tg.Option{
		tg.WithSkipGetMe(), // asked below, with the caller's context
		tg.WithHTTPClient(poll, client),
		tg.WithErrorsHandler(func(err error) { t.log.Warn("telegram", "err", err) }),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
	}
	api, err := tg.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("create telegram client: %w", err)
	}
	t.api = api
	me, err := api.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("ask telegram who the bot is (getMe): %w", err)
	}
	t.username = me.Username
	// Made here, not in Run, so that Notify may be called before or while
	// Run starts.
	t.handling, t.stopHandling = context.WithCancel(context.WithoutCancel(ctx))
	return t, nil
}

// Username is the bot's Telegram username.
func (t *Telegram) Username() string { return t.username }

// SetCommands registers the command lists shown in Telegram's menu, per
// language of the Telegram interface; the default list is the first.
// SetMenuWebApp makes the menu button of every chat open url, an HTTPS
// address, as a Mini App labelled text.
func (t *Telegram) SetMenuWebApp(ctx context.Context, text, url string) error {
	if !strings.HasPrefix(url, "https://") {
		return fmt.Errorf("set the menu button: a Mini App needs an HTTPS address, not %q", url)
	}
	p := &tg.SetChatMenuButtonParams{MenuButton: models.MenuButtonWebApp{Type: models.MenuButtonTypeWebApp, Text: text, WebApp: models.WebAppInfo{URL: url}}}
	if err := t.call(ctx, func() error { _, err := t.api.SetChatMenuButton(ctx, p); return err }); err != nil {
		return fmt.Errorf("set the menu button: %w", err)
	}
	return nil
}

func (t *Telegram) SetCommands(ctx context.Context, byLang map[string][]conversation.Command) error {
	for lang, cmds := range byLang {
		p := &tg.SetMyCommandsParams{Commands: botCommands(cmds), LanguageCode: lang}
		if err := t.call(ctx, func() error { _, err := t.api.SetMyCommands(ctx, p); return err }); err != nil {
			return fmt.Errorf("set commands for %q: %w", lang, err)
		}
	}
	return nil
}

// Run handles updates left unhandled by an earlier run, then receives new
// ones until ctx is cancelled: it polls for them, or with Config.Webhook
// registers the webhook and takes what WebhookHandler records. Then it
// gives the updates in hand Config.StopGrace to finish; those still
// waiting or cut short stay in the inbox and are handled at the next
// start (or, with Config.Leases, by another process).
func (t *Telegram) Run(ctx context.Context, engine Engine) error {
	t.engine = engine
	defer t.stopHandling()
	pending, err := t.inbox.Unhandled(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting: not a failure
		}
		return fmt.Errorf("read unhandled updates: %w", err)
	}
	if len(pending) > 0 {
		t.log.Info("handling updates left from an earlier run", "count", len(pending))
	}
	for _, u := range pending {
		t.queue(u)
	}
	forgetting := make(chan struct{})
	stopForgetting, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(forgetting)
		t.forget.run(stopForgetting)
	}()
	if t.webhook != nil {
		err = t.serveWebhook(ctx)
	} else {
		err = t.poll(ctx)
	}
	t.running.Store(false)
	t.accepting.Store(false)
	t.stop()
	t.background.Wait()
	cancel() // what was handled is forgotten once more, then it ends
	<-forgetting
	return err
}

// stop waits for the updates in hand, at most the grace period, and then
// cancels them.
func (t *Telegram) stop() {
	// Posts taken before the webhook said 503 are queued first (a post is
	// recorded within a second or it is not).
	for end := time.Now().Add(time.Second); t.posts.Load() > 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { t.lanes.wait(); close(done) }()
	defer t.lanes.stop() // whatever comes later stays in the inbox
	select {
	case <-done:
		return
	case <-time.After(t.grace):
	}
	t.log.Warn("updates still in hand at stop; left in the inbox for the next start", "grace", t.grace)
	t.lanes.stop()
	t.stopHandling()
	select {
	case <-done:
	case <-time.After(cutShort):
		t.log.Error("updates did not stop in time; leaving them")
	}
}

// Receiving says whether the bot takes updates now, for the readiness
// probe: not before Run has started, nor once a stop has begun.
func (t *Telegram) Receiving(context.Context) error {
	if !t.running.Load() {
		return errors.New("not taking updates (starting or stopping)")
	}
	return nil
}

func updateKey(id int64) string { return "tg:" + strconv.FormatInt(id, 10) }

// queue puts a stored update on its chat's lane.
func (t *Telegram) queue(u fieldlog.IncomingUpdate) {
	var upd update
	if err := json.Unmarshal(u.Payload, &upd); err != nil {
		t.log.Error("unreadable stored update; dropped", "key", u.Key, "err", err)
		t.done(t.handling, u.Key)
		return
	}
	t.lanes.push(u.ChatID, u.Key, t.job(u.ChatID, u.Key, &upd), nil)
}

// job is what a chat's lane runs for one of its updates: the update, or
// with leases whatever of the chat waits in the inbox (shared.go).
func (t *Telegram) job(chat int64, key string, upd *update) func() {
	if t.leases != nil {
		return func() { t.handleShared(chat, key) }
	}
	return func() { t.handle(key, upd) }
}

// refill gives a lane the updates of its chat that waited in the inbox
// while the lane was full.
func (t *Telegram) refill(chat int64) []job {
	if t.handling.Err() != nil {
		return nil
	}
	// Handled updates leave the inbox a moment late: let them go first,
	// or they would be taken for waiting ones. Nothing of this chat runs
	// meanwhile, so what remains is what waited.
	t.forget.flush(t.handling)
	us, err := t.inbox.UnhandledIn(t.handling, chat)
	if err != nil {
		t.log.Error("read waiting updates of a chat", "chat", chat, "err", err)
		return nil
	}
	var jobs []job
	for _, u := range us {
		var upd update
		if err := json.Unmarshal(u.Payload, &upd); err != nil {
			t.log.Error("unreadable stored update; dropped", "key", u.Key, "err", err)
			t.done(t.handling, u.Key)
			continue
		}
		jobs = append(jobs, job{key: u.Key, run: t.job(chat, u.Key, &upd)})
	}
	return jobs
}

// sayBusy tells a user who floods the bot to wait; it runs once per flood.
func (t *Telegram) sayBusy(chat int64) {
	if t.busy == "" {
		return
	}
	go func() {
		ctx := answering(t.handling)
		p := &tg.SendMessageParams{ChatID: chat, Text: t.busy}
		if _, err := t.sendTo(ctx, chat, func() (*models.Message, error) { return t.api.SendMessage(ctx, p) }); err != nil {
			t.log.Warn("say busy", "chat", chat, "err", err)
		}
	}()
}

// handle runs one update through the engine and sends the response. The
// update leaves the inbox once handled (a moment later: see forgetter), and
// also when handling failed for good (the user was told); it stays when a
// stop cut it short.
func (t *Telegram) handle(key string, upd *update) { t.handleIn(t.handling, key, upd, nil) }

// handleIn is handle within base, which ends at the stop or, for a chat
// handled under a lease, when the lease is lost; held, if not nil, says
// whether this process still holds the chat before an update that waited
// for the store is tried again: another may have taken it meanwhile.
func (t *Telegram) handleIn(base context.Context, key string, upd *update, held func(context.Context) bool) {
	in, callbackID := input(upd)
	in.Key = key
	// Sends within the turn, Notify's too, know they answer this chat.
	ctx := inTurn(base, in.ChatID)
	t.unblock(ctx, in.ChatID) // the user writes: the bot may write back
	defer func() {
		if r := recover(); r != nil {
			t.log.Error("panic while handling update", "key", key, "panic", r, "stack", string(debug.Stack()))
			t.apologise(ctx, in.ChatID, callbackID)
			t.forget.add(ctx, in.ChatID, key)
		}
	}()
	start := time.Now()
	resp, err := t.engine.Handle(ctx, in)
	// A store that is down fails every update alike: rather than tell
	// each user to try again, the update waits, holding its chat's place,
	// and is handled once the store is back. (A step is saved in one
	// write, so a failed one applied nothing.)
	for err != nil && ctx.Err() == nil && t.storeDown(ctx) {
		t.log.Warn("the store is unreachable; the update waits for it", "key", key, "err", err)
		if !t.waitForStore(ctx) {
			t.log.Warn("update left in the inbox: the store was still down at the stop", "key", key)
			return
		}
		if held != nil && !held(ctx) {
			t.log.Warn("update left to the process that took its chat while the store was down", "key", key)
			return
		}
		start = time.Now()
		resp, err = t.engine.Handle(ctx, in)
	}
	if err != nil && ctx.Err() != nil {
		t.log.Warn("update cut short (a stop, or its chat's lease lost); left in the inbox", "key", key)
		return
	}
	t.observe.UpdateHandled(kindOf(upd), time.Since(start))
	if err != nil {
		t.log.Error("handle update", "key", key, "user", in.UserID, "err", err)
		t.apologise(ctx, in.ChatID, callbackID)
		t.forget.add(ctx, in.ChatID, key)
		return
	}
	switch err := t.send(ctx, in, callbackID, resp); {
	case errors.Is(err, ErrBlocked):
		t.log.Info("response not sent: the user blocked the bot", "key", key, "user", in.UserID)
	case err != nil:
		t.log.Error("send response", "key", key, "user", in.UserID, "err", err)
	}
	t.forget.add(ctx, in.ChatID, key)
	t.log.Debug("update handled", "key", key, "user", in.UserID, "took", time.Since(start))
}

// done forgets a handled update. If that fails it is handled again at the
// next start, and the engine recognises it as applied.
func (t *Telegram) done(ctx context.Context, key string) {
	if err := t.inbox.Done(ctx, key); err != nil {
		t.log.Error("forget handled update", "key", key, "err", err)
	}
}

func (t *Telegram) apologise(ctx context.Context, chat int64, callbackID string) {
	if callbackID != "" {
		_, _ = t.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: callbackID})
	}
	if chat != 0 && t.apology != "" {
		p := &tg.SendMessageParams{ChatID: chat, Text: t.apology}
		_, _ = t.sendTo(ctx, chat, func() (*models.Message, error) { return t.api.SendMessage(ctx, p) })
	}
}

// send delivers the engine's response.
func (t *Telegram) send(ctx context.Context, in conversation.Input, callbackID string, resp conversation.Response) error {
	// The button's spinner stops when the answer arrives, so it is sent
	// after the replies: the user sees the press has taken effect.
	if callbackID != "" {
		defer func() {
			p := &tg.AnswerCallbackQueryParams{CallbackQueryID: callbackID, Text: resp.Notice}
			if err := t.call(ctx, func() error { _, err := t.api.AnswerCallbackQuery(ctx, p); return err }); err != nil {
				t.log.Warn("answer button press", "err", err)
			}
		}()
	}
	for _, r := range resp.Replies {
		if _, err := t.reply(ctx, in.ChatID, in.MessageID, r); err != nil {
			return err
		}
	}
	if resp.Commands != nil {
		p := &tg.SetMyCommandsParams{Commands: botCommands(resp.Commands), Scope: &models.BotCommandScopeChat{ChatID: in.ChatID}}
		if err := t.call(ctx, func() error { _, err := t.api.SetMyCommands(ctx, p); return err }); err != nil {
			t.log.Warn("set chat commands", "err", err)
		}
	}
	return nil
}

// reply sends one reply to chat; messageID is the message whose button
// was pressed, which an Edit reply replaces (0: none). It returns the id of
// the last message sent or edited.
func (t *Telegram) reply(ctx context.Context, chat int64, messageID int, r conversation.Reply) (last int, err error) {
	sent := func(m *models.Message, err error) error {
		if m != nil {
			last = m.ID
		}
		return err
	}
	caption, overflow := fitCaption(r.Caption)
	for i, photo := range r.Photos {
		c := ""
		if i == 0 {
			c = caption
		}
		send := func() (*models.Message, error) {
			switch {
			case photo.Data != nil: // stored by the project: uploaded
				return t.api.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: chat, Photo: &models.InputFileUpload{Filename: "photo.jpg", Data: bytes.NewReader(photo.Data)}, Caption: c})
			case photo.Source == fieldlog.TelegramDocument:
				return t.api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: chat, Document: &models.InputFileString{Data: photo.ID}, Caption: c})
			}
			return t.api.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: chat, Photo: &models.InputFileString{Data: photo.ID}, Caption: c})
		}
		if err := sent(t.sendTo(ctx, chat, send)); err != nil {
			return last, fmt.Errorf("send photo: %w", err)
		}
	}
	if len(r.Photos) == 0 && caption != "" {
		overflow = caption // nothing to put it under
	}
	if overflow != "" {
		if err := sent(t.sendText(ctx, chat, 0, conversation.Reply{Text: overflow})); err != nil {
			return last, err
		}
	}
	if r.Image != nil {
		p := &tg.SendPhotoParams{ChatID: chat}
		send := func() (*models.Message, error) {
			p.Photo = &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(r.Image)}
			return t.api.SendPhoto(ctx, p)
		}
		if err := sent(t.sendTo(ctx, chat, send)); err != nil {
			return last, fmt.Errorf("send picture: %w", err)
		}
	}
	if err := sent(t.sendText(ctx, chat, messageID, r)); err != nil {
		return last, err
	}
	for _, f := range r.Files {
		p := &tg.SendDocumentParams{ChatID: chat}
		send := func() (*models.Message, error) {
			// A retry needs a fresh reader: the first try consumed it.
			p.Document = &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}
			return t.api.SendDocument(ctx, p)
		}
		if err := sent(t.sendTo(ctx, chat, send)); err != nil {
			return last, fmt.Errorf("send file %s: %w", f.Name, err)
		}
	}
	return last, nil
}

// sendText sends or edits the text of a reply, if it has one, and returns
// the last message sent or edited (nil: none). A text over Telegram's
// limit goes as several messages, cut at line breaks; an edit then replaces
// the pressed message with the first part, and the buttons or the menu
// come with the last. An HTML reply goes with parse_mode HTML, each part
// balanced.
func (t *Telegram) sendText(ctx context.Context, chat int64, messageID int, r conversation.Reply) (*models.Message, error) {
	if r.Text == "" {
		return nil, nil
	}
	var mode models.ParseMode
	parts := splitText(r.Text, maxText)
	if r.HTML {
		mode, parts = models.ParseModeHTML, splitHTML(r.Text, maxText)
	}
	if len(parts) > 1 {
		t.log.Debug("long reply sent in parts", "parts", len(parts), "units", utf16Len(r.Text))
	}
	var last *models.Message
	for i, part := range parts {
		final := i == len(parts)-1
		var buttons [][]conversation.Button
		if final {
			buttons = r.Buttons
		}
		if i == 0 && r.Edit && messageID != 0 {
			p := &tg.EditMessageTextParams{ChatID: chat, MessageID: messageID, Text: part, ParseMode: mode, ReplyMarkup: t.inlineKeyboard(buttons)}
			m, err := t.sendTo(ctx, chat, func() (*models.Message, error) { return t.api.EditMessageText(ctx, p) })
			if err == nil || strings.Contains(err.Error(), "message is not modified") {
				last = cmp.Or(m, &models.Message{ID: messageID})
				continue
			}
			if errors.Is(err, ErrBlocked) || ctx.Err() != nil {
				return last, fmt.Errorf("edit message: %w", err)
			}
			// Old messages cannot be edited; a new message does as well.
			t.log.Info("edit failed; sending instead", "err", err)
		}
		p := &tg.SendMessageParams{ChatID: chat, Text: part, ParseMode: mode}
		switch {
		case len(buttons) > 0:
			p.ReplyMarkup = t.inlineKeyboard(buttons)
		case final && r.Menu != nil:
			p.ReplyMarkup = menuKeyboard(r.Menu, r.MenuApp)
		}
		m, err := t.sendTo(ctx, chat, func() (*models.Message, error) { return t.api.SendMessage(ctx, p) })
		if err != nil {
			return last, fmt.Errorf("send message: %w", err)
		}
		last = m
	}
	return last, nil
}

// call runs a Bot API request that sends nothing into a chat (commands, a
// button's answer), waiting out Telegram's flood limit a few times before
// giving up.
func (t *Telegram) call(ctx context.Context, req func() error) error {
	for try := 0; ; try++ {
		err := req()
		var flood *tg.TooManyRequestsError
		if !errors.As(err, &flood) {
			return err
		}
		t.observe.TooManyRequests()
		if try == 3 {
			return err
		}
		wait := time.Duration(flood.RetryAfter) * time.Second
		t.log.Warn("telegram flood limit; waiting", "seconds", flood.RetryAfter)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// Ping checks that the Bot API answers (getMe), for the readiness probe.
func (t *Telegram) Ping(ctx context.Context) error {
	if _, err := t.api.GetMe(ctx); err != nil {
		return fmt.Errorf("ask the Bot API who the bot is: %w", err)
	}
	return nil
}

// pinger is a store that can say whether it answers.
type pinger interface {
	Ping(ctx context.Context) error
}

// storeDown reports whether the inbox's store does not answer (false when
// it cannot tell).
func (t *Telegram) storeDown(ctx context.Context) bool {
	p, ok := t.inbox.(pinger)
	return ok && p.Ping(ctx) != nil
}

// waitForStore waits until the store answers again; false if ctx ended
// first.
func (t *Telegram) waitForStore(ctx context.Context) bool {
	pause := 500 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(pause):
		}
		if !t.storeDown(ctx) {
			return ctx.Err() == nil
		}
		pause = min(2*pause, 5*time.Second)
	}
}
