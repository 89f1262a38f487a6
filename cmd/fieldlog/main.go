// Command fieldlog runs the fieldlog Telegram bot and its administration
// commands.
//
//	fieldlog [serve]            run the bot (long polling or webhook)
//	fieldlog units import FILE  load the organisation units from CSV or YAML
//	fieldlog export --out DIR   write every collection to a new directory
//	fieldlog import [--into-nonempty] DIR  load an export into an empty store
//	fieldlog audit --since DATE [--record ID]  print the audit trail
//	fieldlog health             check the running bot's /healthz
//	fieldlog version | help     print the version, or the commands and settings
//
// Configuration comes from environment variables; `fieldlog help` and
// README.md list them.
package main

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // FIELDLOG_TZ must work on machines without a zoneinfo database

	"fieldlog"
	"fieldlog/bot"
	"fieldlog/catalog"
	"fieldlog/conversation"
	"fieldlog/locales"
	"fieldlog/metrics"
	"fieldlog/office"
	"fieldlog/reminder"
	"fieldlog/statuschart"
	"fieldlog/storage"
	"fieldlog/units"
	"fieldlog/web"

	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], world{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr, now: time.Now}); err != nil {
		fmt.Fprintln(os.Stderr, "fieldlog:", err)
		os.Exit(1)
	}
}

// world is what the program takes from outside itself: its environment,
// its output and its clock. Tests pass their own, to run it end to end on
// any day.
type world struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	now            func() time.Time // time.Now when nil
	// sendLimits are the rates the bot sends at; the zero value keeps to
	// Telegram's. Tests of other things turn them off, as their simulated
	// users answer faster than any person.
	sendLimits bot.Limits
	// listening, if not nil, learns the address of the HTTP endpoints
	// (tests listen on port 0).
	listening func(net.Addr)
	// holder, if not empty, names the process in chat leases instead of
	// host/pid (two bots in one test process).
	holder string
	// storeDialer, if not nil, makes the store's connections (tests cut
	// them to take the store away under the running bot).
	storeDialer options.ContextDialer
}

// run is the whole program.
func run(ctx context.Context, args []string, w world) error {
	cfg, err := readConfig(w.getenv)
	if err != nil {
		return err
	}
	if w.now == nil {
		w.now = time.Now
	}
	logger := slog.New(slog.NewTextHandler(w.stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	switch {
	case len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help"):
		usage(w.stdout)
		return nil
	case len(args) == 1 && (args[0] == "version" || args[0] == "--version"):
		ver, rev := versionInfo()
		fmt.Fprintf(w.stdout, "fieldlog %s (commit %s)\n", ver, rev)
		return nil
	case len(args) == 1 && args[0] == "health":
		return checkHealth(ctx, cfg.httpAddr, w.stdout)
	case len(args) == 0 || args[0] == "serve":
		return serve(ctx, cfg, logger, w)
	case len(args) == 3 && args[0] == "units" && args[1] == "import":
		return importUnits(ctx, cfg, logger, args[2], w.stdout)
	case len(args) > 0 && args[0] == "export":
		return exportStore(ctx, cfg, logger, args[1:], w.stdout, w.stderr)
	case len(args) > 0 && args[0] == "import":
		return importStore(ctx, cfg, logger, args[1:], w.stdout, w.stderr)
	case len(args) > 0 && args[0] == "audit":
		return auditCommand(ctx, cfg, logger, args[1:], w.stdout, w.stderr)
	}
	return fmt.Errorf("unknown command %q; `fieldlog help` lists the commands", strings.Join(args, " "))
}

// config is the program's settings, read from the environment.
type config struct {
	token    string
	apiURL   string
	mongoURI string
	database string
	dataDir  string
	sync     storage.Sync
	admins   []int64
	location *time.Location
	catalog  string
	units    string
	logLevel slog.Level
	// httpAddr serves health, metrics and the webhook; empty: none.
	httpAddr string
	webhook  *bot.Webhook // nil: long polling
	// webURL is the web page's public address, without a trailing slash;
	// empty: no web page.
	webURL string
	// webProxy says a proxy in front sets X-Forwarded-For.
	webProxy bool
	dialer   options.ContextDialer // world.storeDialer
}

// readConfig reads and checks the environment; a bad setting is reported
// in one line naming it.
func readConfig(getenv func(string) string) (config, error) {
	c := config{
		token:    strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		apiURL:   strings.TrimSpace(getenv("TELEGRAM_API_URL")),
		mongoURI: strings.TrimSpace(getenv("MONGODB_URI")),
		database: or(getenv("FIELDLOG_DB"), "fieldlog"),
		dataDir:  or(getenv("FIELDLOG_DATA_DIR"), "./data"),
		catalog:  strings.TrimSpace(getenv("FIELDLOG_CATALOG")),
		units:    strings.TrimSpace(getenv("FIELDLOG_UNITS")),
	}
	if c.apiURL != "" {
		u, err := url.Parse(c.apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("TELEGRAM_API_URL %q is not an http(s) URL", c.apiURL)
		}
	}
	if c.mongoURI != "" && !strings.HasPrefix(c.mongoURI, "mongodb://") && !strings.HasPrefix(c.mongoURI, "mongodb+srv://") {
		return c, errors.New("MONGODB_URI must start with mongodb:// or mongodb+srv://")
	}
	switch s := storage.Sync(or(getenv("FIELDLOG_SYNC"), string(storage.SyncInterval))); s {
	case storage.SyncInterval, storage.SyncEveryWrite:
		c.sync = s
	default:
		return c, fmt.Errorf("FIELDLOG_SYNC: %q is not %q or %q", s, storage.SyncInterval, storage.SyncEveryWrite)
	}
	for _, f := range strings.FieldsFunc(getenv("FIELDLOG_ADMINS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return c, fmt.Errorf("FIELDLOG_ADMINS: %q is not a Telegram user id (comma-separated numbers expected)", f)
		}
		c.admins = append(c.admins, id)
	}
	tz := or(getenv("FIELDLOG_TZ"), "Asia/Shanghai")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return c, fmt.Errorf("FIELDLOG_TZ: unknown time zone %q", tz)
	}
	c.location = loc
	switch c.httpAddr = or(getenv("FIELDLOG_HTTP_ADDR"), ":8080"); c.httpAddr {
	case "off":
		c.httpAddr = ""
	default:
		if _, _, err := net.SplitHostPort(c.httpAddr); err != nil {
			return c, fmt.Errorf("FIELDLOG_HTTP_ADDR: %q is not host:port (e.g. :8080) or off", c.httpAddr)
		}
	}
	hookURL, secret := strings.TrimSpace(getenv("FIELDLOG_WEBHOOK_URL")), strings.TrimSpace(getenv("FIELDLOG_WEBHOOK_SECRET"))
	if hookURL != "" {
		c.webhook = &bot.Webhook{URL: hookURL, Secret: secret}
		if err := c.webhook.Check(); err != nil {
			return c, fmt.Errorf("FIELDLOG_WEBHOOK_URL, FIELDLOG_WEBHOOK_SECRET: %w", err)
		}
		if c.httpAddr == "" {
			return c, errors.New("FIELDLOG_HTTP_ADDR: webhook mode needs an address to serve the webhook on")
		}
	}
	if c.webURL = strings.TrimRight(strings.TrimSpace(getenv("FIELDLOG_WEB_URL")), "/"); c.webURL != "" {
		u, err := url.Parse(c.webURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return c, fmt.Errorf("FIELDLOG_WEB_URL %q is not an http(s) address (e.g. https://fieldlog.example.cn)", c.webURL)
		}
		if c.httpAddr == "" {
			return c, errors.New("FIELDLOG_HTTP_ADDR: the web page needs an address to be served on")
		}
	}
	switch p := or(getenv("FIELDLOG_WEB_PROXY"), "off"); p {
	case "on", "off":
		c.webProxy = p == "on"
	default:
		return c, fmt.Errorf("FIELDLOG_WEB_PROXY: %q is not on or off", p)
	}
	if lvl := getenv("FIELDLOG_LOG_LEVEL"); lvl != "" {
		if err := c.logLevel.UnmarshalText([]byte(lvl)); err != nil {
			return c, fmt.Errorf("FIELDLOG_LOG_LEVEL: %q is not one of debug, info, warn, error", lvl)
		}
	}
	return c, nil
}

func or(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

// openStore opens MongoDB, or the embedded server when no URI is set.
func openStore(ctx context.Context, cfg config, logger *slog.Logger) (*storage.Store, error) {
	store, err := storage.Open(ctx, storage.Config{URI: cfg.mongoURI, Database: cfg.database, DataDir: cfg.dataDir, Sync: cfg.sync, Dialer: cfg.dialer, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return store, nil
}

// serve runs the bot until ctx is cancelled.
func serve(ctx context.Context, cfg config, logger *slog.Logger, w world) error {
	if cfg.token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
	}
	cat, err := loadCatalog(cfg.catalog)
	if err != nil {
		return err
	}
	msgs, err := locales.New()
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	var unitList []fieldlog.Unit
	if cfg.units != "" {
		if unitList, err = units.ReadFile(cfg.units); err != nil {
			return fmt.Errorf("FIELDLOG_UNITS: %w", err)
		}
	}
	cfg.dialer = w.storeDialer
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	closing := stopDeadline(ctx)
	defer func() {
		closeCtx, cancel := closing(10 * time.Second)
		defer cancel()
		if err := store.Close(closeCtx); err != nil {
			logger.Error("close store", "err", err)
		}
	}()
	if unitList != nil {
		// Importing again only updates names and parents, so doing it at
		// every start is safe.
		if err := store.SaveUnits(ctx, unitList); err != nil {
			return fmt.Errorf("import FIELDLOG_UNITS: %w", err)
		}
		logger.Info("units imported", "count", len(unitList), "file", cfg.units)
	}
	// The channel speaks before it knows whose language it is answering.
	bilingual := func(id string) string {
		return msgs.Text(fieldlog.Chinese, id, nil) + "\n" + msgs.Text(fieldlog.Mongolian, id, nil)
	}
	// The engine keeps who blocked the bot, for the reminders to pass them
	// over; it exists only once the channel does, hence the indirection.
	var engine *conversation.Engine
	markBlocked := func(blocked bool) func(context.Context, int64) {
		return func(ctx context.Context, chat int64) {
			if engine == nil {
				return
			}
			// Private chats: the chat id is the user's id.
			if err := engine.SetBlocked(ctx, chat, blocked); err != nil {
				logger.Warn("mark blocked", "chat", chat, "blocked", blocked, "err", err)
			}
		}
	}
	meter := metrics.New(store.Backlog, logger)
	holder := cmp.Or(w.holder, processID())
	botCfg := bot.Config{Token: cfg.token, APIURL: cfg.apiURL, Inbox: store,
		Apology: bilingual("error_try_again"), Busy: bilingual("busy_wait"),
		Limits: w.sendLimits, OnBlocked: markBlocked(true), OnUnblocked: markBlocked(false),
		Webhook: cfg.webhook, Holder: holder, Observer: meter, Logger: logger}
	if cfg.webhook != nil && !store.Embedded() {
		// Behind a load balancer, other processes may share the inbox. The
		// embedded store is this process's alone (its directory is
		// locked), and its scans make the leases costly: none there.
		botCfg.Leases, botCfg.Peers = store, store
	}
	channel, err := bot.New(ctx, botCfg)
	if err != nil {
		return err
	}
	charts, err := statuschart.NewRenderer()
	if err != nil {
		return fmt.Errorf("load chart fonts: %w", err)
	}
	// The office runs the use cases under every channel; it tells users of
	// returns through the engine, which words them.
	work := office.New(office.Config{
		Store:    store,
		Catalog:  cat,
		Messages: msgs,
		Location: cfg.location,
		Now:      w.now,
		Admins:   cfg.admins,
		Observer: meter,
		Teller: office.TellerFunc(func(ctx context.Context, e office.Event) {
			if engine != nil {
				engine.Tell(ctx, e)
			}
		}),
		Logger: logger,
	})
	engine = conversation.New(conversation.Config{
		Office:     work,
		Store:      store,
		Catalog:    cat,
		Messages:   msgs,
		Location:   cfg.location,
		BotName:    channel.Username(),
		Charts:     charts,
		PhotoFiles: store,
		WebURL:     cfg.webURL,
		WebStore:   store,
		Now:        w.now,
		Notifier:   channel,
		Logger:     logger,
	})
	// Telegram shows these before a user has chosen a language; each chat
	// gets its own list once the user has a language and a role.
	officer := fieldlog.User{Role: fieldlog.Officer, UnitID: "any"}
	if err := channel.SetCommands(ctx, map[string][]conversation.Command{
		"":   engine.Commands(officer, fieldlog.Chinese),
		"zh": engine.Commands(officer, fieldlog.Chinese),
		"mn": engine.Commands(officer, fieldlog.Mongolian),
	}); err != nil {
		logger.Warn("register command lists", "err", err)
	}
	if strings.HasPrefix(cfg.webURL, "https://") {
		// Every chat's menu button opens the web page inside Telegram.
		if err := channel.SetMenuWebApp(ctx, "网页 ᠨᠢᠭᠤᠷ", cfg.webURL+"/web/"); err != nil {
			logger.Warn("set the menu button", "err", err)
		}
	}
	reminders := reminder.New(reminder.Config{Store: store, Sender: countedSender{channel, meter}, Messages: msgs, Location: cfg.location,
		Clock: programClock{w.now}, ID: holder, Logger: logger})
	remindersDone := make(chan struct{})
	go func() {
		defer close(remindersDone)
		if err := reminders.Run(ctx); err != nil {
			logger.Error("reminders stopped", "err", err)
		}
	}()
	defer func() { <-remindersDone }() // before the store closes
	if cfg.httpAddr != "" {
		checks := []check{{"store", store.Ping}, {"telegram", channel.Ping}, {"updates", channel.Receiving}}
		var webhook http.Handler
		if cfg.webhook != nil {
			webhook = channel.WebhookHandler()
		}
		mux := operatorMux(checks, meter.Handler(), cfg.webhook.Path(), webhook)
		if cfg.webURL != "" {
			page, err := web.New(web.Config{
				Office: work, Stores: store, Photos: store, ChannelPhotos: channel, Messages: msgs,
				BotToken: cfg.token, BotUsername: channel.Username(), BaseURL: cfg.webURL, CSRFKey: csrfKey(cfg.token),
				TrustProxy: cfg.webProxy, Now: w.now, Logger: logger,
			})
			if err != nil {
				return fmt.Errorf("web page: %w", err)
			}
			mux.Handle("/web/", page.Handler())
		}
		stopHTTP, err := serveHTTP(cfg.httpAddr, mux, logger, w.listening)
		if err != nil {
			return err
		}
		defer func() { // after the bot: health answers while it stops
			ctx, cancel := closing(time.Second)
			defer cancel()
			stopHTTP(ctx)
		}()
	}
	ver, rev := versionInfo()
	logger.Info("fieldlog running", "version", ver, "commit", rev, "bot", channel.Username(),
		"embedded_store", cfg.mongoURI == "", "webhook", cfg.webhook != nil, "process", holder)
	return channel.Run(ctx, engine)
}

// stopWithin is how long a stop may take, from the signal to the exit:
// within Docker's 10 s before it kills.
const stopWithin = 9500 * time.Millisecond

// stopDeadline returns what gives each step of a stop its context: at
// most max, and none past stopWithin after ctx ended, so that the steps
// together keep to it. Before ctx ends each step just gets max.
func stopDeadline(ctx context.Context) func(max time.Duration) (context.Context, context.CancelFunc) {
	var at atomic.Pointer[time.Time]
	context.AfterFunc(ctx, func() {
		end := time.Now().Add(stopWithin)
		at.Store(&end)
	})
	return func(max time.Duration) (context.Context, context.CancelFunc) {
		end := time.Now().Add(max)
		if p := at.Load(); p != nil && p.Before(end) {
			end = *p
		}
		return context.WithDeadline(context.WithoutCancel(ctx), end)
	}
}

// countedSender counts the reminders delivered.
type countedSender struct {
	reminder.Sender
	meter *metrics.Metrics
}

func (c countedSender) Notify(ctx context.Context, chatID int64, r conversation.Reply) (int, error) {
	id, err := c.Sender.Notify(ctx, chatID, r)
	if err == nil {
		c.meter.ReminderSent()
	}
	return id, err
}

// checkHealth asks the running bot's /healthz, for a container's health
// check (the image has no curl).
func checkHealth(ctx context.Context, addr string, stdout io.Writer) error {
	if addr == "" {
		return errors.New("FIELDLOG_HTTP_ADDR is off: there is no /healthz to ask")
	}
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: /healthz answered %s", resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// programClock is the reminders' clock: the program's, waiting in real time.
type programClock struct{ now func() time.Time }

func (c programClock) Now() time.Time                         { return c.now() }
func (c programClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// processID names this process in the reminders it claims, for whoever
// reads the store: host and process id.
func processID() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

// loadCatalog reads FIELDLOG_CATALOG, or the built-in catalogue.
func loadCatalog(path string) (*fieldlog.Catalog, error) {
	if path == "" {
		cat, err := catalog.Default()
		if err != nil {
			return nil, fmt.Errorf("built-in catalogue: %w", err)
		}
		return cat, nil
	}
	cat, err := catalog.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("FIELDLOG_CATALOG: %w", err)
	}
	return cat, nil
}

// importUnits loads the unit tree from a file into the store.
func importUnits(ctx context.Context, cfg config, logger *slog.Logger, path string, stdout io.Writer) error {
	list, err := units.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read units: %w", err)
	}
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.SaveUnits(ctx, list); err != nil {
		return fmt.Errorf("save units: %w", err)
	}
	fmt.Fprintf(stdout, "imported %d units from %s\n", len(list), path)
	return nil
}

// csrfKey is the key of the web page's CSRF tokens, made from the bot's
// token: secret, the same in every process and after a restart (so a form
// opened before it still posts), and no setting more to keep.
func csrfKey(botToken string) []byte {
	m := hmac.New(sha256.New, []byte(botToken))
	m.Write([]byte("fieldlog web CSRF key"))
	return m.Sum(nil)
}
