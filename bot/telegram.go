// Package bot connects the conversation engine to Telegram. It only
// translates: Telegram updates into engine inputs, engine responses into
// Telegram messages and keyboards. No business rule lives here, so another
// channel can be added beside it.
package bot

import (
	"bytes"
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
	// PollTimeout is the long-polling wait; zero means 30 s.
	PollTimeout time.Duration
	Logger      *slog.Logger
}

// Telegram is the Telegram channel of the bot.
type Telegram struct {
	api      *tg.Bot
	inbox    fieldlog.Inbox
	apology  string
	log      *slog.Logger
	username string

	engine   Engine
	handling context.Context // outlives polling so queued updates finish
	lanes    lanes
}

// New connects to the Bot API and asks who the bot is.
func New(ctx context.Context, cfg Config) (*Telegram, error) {
	t := &Telegram{inbox: cfg.Inbox, apology: cfg.Apology, log: cfg.Logger}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	poll := cfg.PollTimeout
	if poll == 0 {
		poll = 30 * time.Second
	}
	opts := []tg.Option{
		tg.WithSkipGetMe(), // asked below, with the caller's context
		tg.WithDefaultHandler(t.receive),
		// One goroutine receives updates in the order Telegram sent them;
		// lanes then keep each chat's order while chats run in parallel.
		// The library would otherwise handle each update in its own
		// goroutine, out of order.
		tg.WithNotAsyncHandlers(),
		tg.WithWorkers(1),
		// The library confirms a batch of updates when it asks for the
		// next one. Without a buffer that happens only after the worker
		// has taken (and recorded) the last update of the batch, so no
		// update is confirmed while it waits, unrecorded, in a queue that
		// a stop would drop.
		tg.WithUpdatesChannelCap(0),
		// Long polls wait up to poll; the client allows a little more.
		tg.WithHTTPClient(poll, &http.Client{Timeout: poll + 10*time.Second}),
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
	return t, nil
}

// Username is the bot's Telegram username.
func (t *Telegram) Username() string { return t.username }

// SetCommands registers the command lists shown in Telegram's menu, per
// language of the Telegram interface; the default list is the first.
func (t *Telegram) SetCommands(ctx context.Context, byLang map[string][]conversation.Command) error {
	for lang, cmds := range byLang {
		p := &tg.SetMyCommandsParams{Commands: botCommands(cmds), LanguageCode: lang}
		if err := t.call(ctx, func() error { _, err := t.api.SetMyCommands(ctx, p); return err }); err != nil {
			return fmt.Errorf("set commands for %q: %w", lang, err)
		}
	}
	return nil
}

// Run handles updates left unhandled by an earlier run, then polls for
// new ones until ctx is cancelled, and waits for those in hand to finish.
func (t *Telegram) Run(ctx context.Context, engine Engine) error {
	t.engine = engine
	t.handling = context.WithoutCancel(ctx)
	pending, err := t.inbox.Unhandled(ctx)
	if err != nil {
		return fmt.Errorf("read unhandled updates: %w", err)
	}
	for _, u := range pending {
		var upd models.Update
		if err := json.Unmarshal(u.Payload, &upd); err != nil {
			t.log.Error("unreadable stored update; dropped", "key", u.Key, "err", err)
			t.markHandled(ctx, u.Key)
			continue
		}
		t.log.Info("handling update left from an earlier run", "key", u.Key)
		t.lanes.push(u.ChatID, func() { t.handle(u.Key, &upd) })
	}
	go t.pruneInbox(ctx)
	t.api.Start(ctx)
	t.lanes.wait()
	return nil
}

// keepHandled is how long handled updates stay in the inbox to catch a
// redelivery; Telegram keeps undelivered updates for 24 hours.
const keepHandled = 48 * time.Hour

// pruneInbox deletes old handled updates now and then, keeping the inbox
// small (the embedded store scans whole collections).
func (t *Telegram) pruneInbox(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		n, err := t.inbox.PruneHandled(ctx, time.Now().Add(-keepHandled))
		if err != nil && ctx.Err() == nil {
			t.log.Warn("prune inbox", "err", err)
		} else if n > 0 {
			t.log.Info("pruned handled updates", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// receive records an update and queues it on its chat's lane. It runs on
// the library's single worker, in the order updates arrive.
func (t *Telegram) receive(ctx context.Context, _ *tg.Bot, upd *models.Update) {
	chat := chatOf(upd)
	if chat == 0 {
		t.log.Debug("update ignored: not from a private chat", "update", upd.ID)
		return
	}
	key := "tg:" + strconv.FormatInt(upd.ID, 10)
	payload, err := json.Marshal(upd)
	if err != nil {
		t.log.Error("encode update", "key", key, "err", err)
		return
	}
	fresh, err := t.inbox.Receive(t.handling, fieldlog.IncomingUpdate{Key: key, ChatID: chat, Payload: payload, ReceivedAt: time.Now()})
	if err != nil {
		// The store is down: handle it anyway, so the user hears that
		// something is wrong rather than nothing at all.
		t.log.Error("record update", "key", key, "err", err)
	} else if !fresh {
		t.log.Info("update delivered again; ignored", "key", key)
		return
	}
	t.lanes.push(chat, func() { t.handle(key, upd) })
}

// handle runs one update through the engine and sends the response.
func (t *Telegram) handle(key string, upd *models.Update) {
	ctx := t.handling
	in, callbackID := input(upd)
	defer func() {
		if r := recover(); r != nil {
			t.log.Error("panic while handling update", "key", key, "panic", r, "stack", string(debug.Stack()))
			t.apologise(ctx, in.ChatID, callbackID)
			t.markHandled(ctx, key)
		}
	}()
	start := time.Now()
	resp, err := t.engine.Handle(ctx, in)
	if err != nil {
		t.log.Error("handle update", "key", key, "user", in.UserID, "err", err)
		t.apologise(ctx, in.ChatID, callbackID)
		t.markHandled(ctx, key)
		return
	}
	if err := t.send(ctx, in, callbackID, resp); err != nil {
		t.log.Error("send response", "key", key, "user", in.UserID, "err", err)
	}
	t.markHandled(ctx, key)
	t.log.Debug("update handled", "key", key, "user", in.UserID, "took", time.Since(start))
}

func (t *Telegram) markHandled(ctx context.Context, key string) {
	if err := t.inbox.MarkHandled(ctx, key, time.Now()); err != nil {
		t.log.Error("mark update handled", "key", key, "err", err)
	}
}

func (t *Telegram) apologise(ctx context.Context, chat int64, callbackID string) {
	if callbackID != "" {
		_, _ = t.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: callbackID})
	}
	if chat != 0 && t.apology != "" {
		_, _ = t.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: t.apology})
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
		if err := t.reply(ctx, in, r); err != nil {
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

func (t *Telegram) reply(ctx context.Context, in conversation.Input, r conversation.Reply) error {
	for _, photo := range r.Photos {
		send := func() error {
			if id, ok := strings.CutPrefix(photo, documentPrefix); ok {
				_, err := t.api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: in.ChatID, Document: &models.InputFileString{Data: id}})
				return err
			}
			_, err := t.api.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: in.ChatID, Photo: &models.InputFileString{Data: photo}})
			return err
		}
		if err := t.call(ctx, send); err != nil {
			return fmt.Errorf("send photo: %w", err)
		}
	}
	if r.Image != nil {
		p := &tg.SendPhotoParams{ChatID: in.ChatID}
		send := func() error {
			p.Photo = &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(r.Image)}
			_, err := t.api.SendPhoto(ctx, p)
			return err
		}
		if err := t.call(ctx, send); err != nil {
			return fmt.Errorf("send picture: %w", err)
		}
	}
	if err := t.sendText(ctx, in, r); err != nil {
		return err
	}
	for _, f := range r.Files {
		p := &tg.SendDocumentParams{ChatID: in.ChatID}
		send := func() error {
			// A retry needs a fresh reader: the first try consumed it.
			p.Document = &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}
			_, err := t.api.SendDocument(ctx, p)
			return err
		}
		if err := t.call(ctx, send); err != nil {
			return fmt.Errorf("send file %s: %w", f.Name, err)
		}
	}
	return nil
}

// sendText sends or edits the text of a reply, if it has one.
func (t *Telegram) sendText(ctx context.Context, in conversation.Input, r conversation.Reply) error {
	if r.Text == "" {
		return nil
	}
	if r.Edit && in.MessageID != 0 {
		p := &tg.EditMessageTextParams{ChatID: in.ChatID, MessageID: in.MessageID, Text: r.Text, ReplyMarkup: inlineKeyboard(r.Buttons)}
		err := t.call(ctx, func() error { _, err := t.api.EditMessageText(ctx, p); return err })
		if err == nil || strings.Contains(err.Error(), "message is not modified") {
			return nil
		}
		// Old messages cannot be edited; a new message does as well.
		t.log.Info("edit failed; sending instead", "err", err)
	}
	p := &tg.SendMessageParams{ChatID: in.ChatID, Text: r.Text}
	switch {
	case len(r.Buttons) > 0:
		p.ReplyMarkup = inlineKeyboard(r.Buttons)
	case r.Menu != nil:
		p.ReplyMarkup = menuKeyboard(r.Menu)
	}
	if err := t.call(ctx, func() error { _, err := t.api.SendMessage(ctx, p); return err }); err != nil {
		return fmt.Errorf("send message: %w", err)
	}
	return nil
}

// call runs a Bot API request, waiting out Telegram's flood limit a few
// times before giving up.
func (t *Telegram) call(ctx context.Context, req func() error) error {
	for try := 0; ; try++ {
		err := req()
		var flood *tg.TooManyRequestsError
		if !errors.As(err, &flood) || try == 3 {
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

// lanes run each chat's updates one at a time, in order, while different
// chats proceed in parallel.
type lanes struct {
	mu     sync.Mutex
	queues map[int64][]func()
	wg     sync.WaitGroup
}

func (l *lanes) push(chat int64, job func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.queues == nil {
		l.queues = map[int64][]func(){}
	}
	q, busy := l.queues[chat]
	l.queues[chat] = append(q, job)
	if !busy {
		l.wg.Add(1)
		go l.drain(chat)
	}
}

func (l *lanes) drain(chat int64) {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		q := l.queues[chat]
		if len(q) == 0 {
			delete(l.queues, chat)
			l.mu.Unlock()
			return
		}
		job := q[0]
		l.queues[chat] = q[1:]
		l.mu.Unlock()
		job()
	}
}

func (l *lanes) wait() { l.wg.Wait() }
