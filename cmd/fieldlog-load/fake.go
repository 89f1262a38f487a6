package main

// The fake's process: the project's fake Bot API (bot/bottest) and the
// simulated officers who talk to the bot through it. It runs apart from
// the bot, so that each process's CPU time and memory are its own.
//
// Protocol with the bot's process (its parent): the parameters come in
// the environment variable fakeEnv as JSON; the first line on stdout is a
// hello (the fake's URL and token); "go" on stdin starts the load; the
// result is the next line on stdout; the process keeps serving the Bot API
// (the bot is still polling) until stdin is closed.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog/bot/bottest"
)

const fakeEnv = "FIELDLOG_LOAD_FAKE"

// fakeParams is what the bot's process tells the fake's.
type fakeParams struct {
	FirstID       int64 // officer i has Telegram id FirstID+i
	Officers      int
	Conversations int // per officer, one after another
	Timeout       time.Duration
	Deadline      time.Duration
	Script        script
	// Lenient accepts any message as an answer (the echo bot does not
	// speak fieldlog); the buttons are still looked up by label.
	Lenient    bool
	CPUProfile string
	// Grace is how long the fake keeps watching after the last answer,
	// for late or duplicated ones.
	Grace time.Duration
}

// hello is the fake's first line.
type hello struct {
	URL   string
	Token string
}

// fakeResult is what the fake measured.
type fakeResult struct {
	Sent         int       // updates sent by the officers
	Answered     int       // of which answered
	Elapsed      float64   // seconds from "go" to the last answer
	Latencies    []float64 // ms, of every answered update, sorted
	StepMedians  []float64 // ms, per step of the conversation; -1: none answered
	StepNames    []string
	ConvMedians  []float64 // ms, per conversation of an officer (1st, 2nd, ...): does the bot slow down?
	Failures     []string  // one line per failed conversation (the first few)
	FailedConvs  int
	Lost         int // updates whose answer did not come within the timeout
	Late         int // bot messages that came after their step had timed out
	LateAnswered int // updates whose answer came, but after the timeout
	Unexpected   int // bot messages no step asked for (duplicates, apologies, busy notes)
	DupAnswers   int // callback queries answered more than once (refused by the fake)
	Samples      []string
	Completed    []int  // per officer, conversations completed
	SaveAwaited  []bool // per officer: its last conversation failed waiting for the answer to "save"
	CPU          float64
	PeakRSS      int64
	Calls        map[string]int // Bot API calls by method
	GoroutinesAt int            // goroutines of the fake at the end
}

// runFake is the fake's process.
func runFake() error {
	var p fakeParams
	if err := json.Unmarshal([]byte(os.Getenv(fakeEnv)), &p); err != nil {
		return fmt.Errorf("read parameters: %w", err)
	}
	tb := &processTB{}
	defer tb.cleanup()
	srv := bottest.New(tb)
	obs := newObserver(srv)
	ts := httptest.NewServer(obs)
	defer ts.Close()

	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(hello{URL: ts.URL, Token: srv.Token()}); err != nil {
		return err
	}
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() || in.Text() != "go" {
		return errors.New("no go from the bot's process")
	}
	if p.CPUProfile != "" {
		f, err := os.Create(p.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	res := drive(srv, obs, p)
	if p.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	if err := out.Encode(res); err != nil {
		return err
	}
	for in.Scan() { // until the bot has stopped and the parent closes stdin
	}
	return nil
}

// ---- observing the bot ----

// observer stands in front of the fake Bot API and notes, per chat, what
// the bot sent, so that each officer waits on its own chat. (bottest's
// WaitFor wakes every waiter on every change of any chat; see BENCHMARKS.md.)
// It only watches: every request is served by bottest.
type observer struct {
	fake  *bottest.Server
	chats sync.Map // chat id → *chatLog

	mu      sync.Mutex
	queries map[string]*query // callback query id → its answers
	calls   map[string]int
	refused int // answerCallbackQuery calls the fake refused
}

// chatLog is what the bot sent to one chat since the officer last looked.
type chatLog struct {
	mu     sync.Mutex
	events []botEvent
	wake   chan struct{} // 1-buffered: something new
}

type botEvent struct {
	at      time.Time
	kind    string // "send" or "edit"
	msgID   int
	text    string
	buttons []string
}

type query struct {
	answered time.Time
	answers  int
	chat     *chatLog
}

func newObserver(fake *bottest.Server) *observer {
	return &observer{fake: fake, queries: map[string]*query{}, calls: map[string]int{}}
}

func (o *observer) chat(id int64) *chatLog {
	if c, ok := o.chats.Load(id); ok {
		return c.(*chatLog)
	}
	c, _ := o.chats.LoadOrStore(id, &chatLog{wake: make(chan struct{}, 1)})
	return c.(*chatLog)
}

func (c *chatLog) push(e botEvent) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
	c.poke()
}

func (c *chatLog) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns and forgets the events so far.
func (c *chatLog) take() []botEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.events
	c.events = nil
	return e
}

// find returns the first event that satisfies ok and forgets it; the
// others stay.
func (c *chatLog) find(ok func(botEvent) bool) (botEvent, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.events {
		if ok(e) {
			c.events = append(c.events[:i:i], c.events[i+1:]...)
			return e, true
		}
	}
	return botEvent{}, false
}

// ServeHTTP passes each request to the fake. The answers to the calls an
// officer waits for are noted before they go back to the bot, so that an
// officer who sees the answer to a button also sees the edit the bot made
// before it.
func (o *observer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := strings.ToLower(path.Base(r.URL.Path))
	o.mu.Lock()
	o.calls[method]++
	o.mu.Unlock()
	switch method {
	case "sendmessage", "editmessagetext", "answercallbackquery":
	default:
		o.fake.ServeHTTP(w, r)
		return
	}
	var body []byte
	if method == "answercallbackquery" {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	rec := &bufferedWriter{header: w.Header(), status: http.StatusOK}
	o.fake.ServeHTTP(rec, r)
	now := time.Now()
	if method == "answercallbackquery" {
		o.answered(formValue(r.Header.Get("Content-Type"), body, "callback_query_id"), rec.status == http.StatusOK, now)
	} else if rec.status == http.StatusOK {
		o.message(method, rec.body.Bytes(), now)
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

// message notes a message the bot sent or edited.
func (o *observer) message(method string, body []byte, at time.Time) {
	var resp struct {
		Result struct {
			MessageID int    `json:"message_id"`
			Text      string `json:"text"`
			Chat      struct {
				ID int64 `json:"id"`
			} `json:"chat"`
			ReplyMarkup *struct {
				InlineKeyboard [][]struct {
					Text string `json:"text"`
				} `json:"inline_keyboard"`
			} `json:"reply_markup"`
		} `json:"result"`
	}
	if json.Unmarshal(body, &resp) != nil {
		return
	}
	m := resp.Result
	e := botEvent{at: at, kind: "send", msgID: m.MessageID, text: m.Text}
	if method == "editmessagetext" {
		e.kind = "edit"
	}
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				e.buttons = append(e.buttons, b.Text)
			}
		}
	}
	o.chat(m.Chat.ID).push(e)
}

// answered notes the bot's answer to a callback query.
func (o *observer) answered(id string, ok bool, at time.Time) {
	o.mu.Lock()
	if !ok {
		o.refused++
		o.mu.Unlock()
		return
	}
	q := o.queries[id]
	if q == nil {
		q = &query{}
		o.queries[id] = q
	}
	q.answers++
	if q.answers == 1 {
		q.answered = at
	}
	c := q.chat
	o.mu.Unlock()
	if c != nil {
		c.poke()
	}
}

// watch tells the observer which chat waits for the answer to query.
func (o *observer) watch(id string, c *chatLog) {
	o.mu.Lock()
	q := o.queries[id]
	if q == nil {
		q = &query{}
		o.queries[id] = q
	}
	q.chat = c
	o.mu.Unlock()
}

// answerOf is when the query was first answered (zero: not yet).
func (o *observer) answerOf(id string) time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	if q := o.queries[id]; q != nil {
		return q.answered
	}
	return time.Time{}
}

type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(code int)        { b.status = code }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

// formValue reads one field of a multipart, url-encoded or JSON body.
func formValue(contentType string, body []byte, name string) string {
	ct, params, _ := mime.ParseMediaType(contentType)
	switch ct {
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				return ""
			}
			if part.FormName() == name {
				v, _ := io.ReadAll(part)
				return string(v)
			}
		}
	case "application/json":
		var fields map[string]any
		if json.Unmarshal(body, &fields) == nil {
			if v, ok := fields[name].(string); ok {
				return v
			}
		}
	}
	return ""
}

// ---- the officers ----

// step is one thing an officer does and the answer they wait for.
type step struct {
	Name string
	Text string // typed text; else Tap
	Tap  string // label of the button to press on the last message with buttons
	// Want is how the awaited message starts: a new message after typed
	// text, an edit of the pressed message after a tap.
	Want string
	// AlsoSend is a new message that must come with a tap's answer too.
	AlsoSend string
}

// script is one conversation; Title is typed at the step whose Text is
// titlePlaceholder.
type script struct {
	Steps   []step
	Apology string // the bot gave up on an update
	Busy    string // the bot asks the user to wait (not an answer)
}

const titlePlaceholder = "\x00title"

type officerRun struct {
	completed   int
	saveAwaited bool
	failure     string
	sent, lost  int
	// lostQuery or lostWant identify the answer that did not come in
	// time, to tell at the end whether it came late.
	lostQuery, lostWant string
	unexpected          []string
	steps               [][]time.Duration // per step
	convs               [][]time.Duration // per conversation
}

func drive(srv *bottest.Server, obs *observer, p fakeParams) fakeResult {
	ctx, cancel := context.WithTimeout(context.Background(), p.Deadline)
	defer cancel()
	runs := make([]*officerRun, p.Officers)
	chats := make([]*chatLog, p.Officers)
	for i := range p.Officers {
		chats[i] = obs.chat(p.FirstID + int64(i))
		runs[i] = &officerRun{steps: make([][]time.Duration, len(p.Script.Steps)), convs: make([][]time.Duration, p.Conversations)}
	}
	var (
		all     latencies
		lastMu  sync.Mutex
		last    time.Time
		wg      sync.WaitGroup
		cpu0    = cpuTime()
		started = time.Now()
	)
	for i := range p.Officers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := runOfficer(ctx, srv, obs, p, i, chats[i], runs[i], &all)
			lastMu.Lock()
			last = maxTime(last, at)
			lastMu.Unlock()
		}()
	}
	wg.Wait()
	cpu := cpuTime() - cpu0
	time.Sleep(p.Grace)

	res := fakeResult{CPU: cpu.Seconds(), Calls: map[string]int{}}
	if !last.IsZero() {
		res.Elapsed = last.Sub(started).Seconds()
	}
	perStep := make([]latencies, len(p.Script.Steps))
	perConv := make([]latencies, p.Conversations)
	for i, r := range runs {
		res.Completed = append(res.Completed, r.completed)
		res.SaveAwaited = append(res.SaveAwaited, r.saveAwaited)
		res.Lost += r.lost
		res.Sent += r.sent
		for s, ds := range r.steps {
			for _, d := range ds {
				perStep[s].add(d)
			}
		}
		for c, ds := range r.convs {
			for _, d := range ds {
				perConv[c].add(d)
			}
		}
		leftover := chats[i].take()
		if r.failure != "" {
			res.FailedConvs += p.Conversations - r.completed
			res.Late += len(leftover)
			if r.lostQuery != "" && !obs.answerOf(r.lostQuery).IsZero() {
				res.LateAnswered++
			}
			if r.lostWant != "" && slices.ContainsFunc(leftover, func(e botEvent) bool { return e.kind == "send" && (p.Lenient || matches(e.text, r.lostWant)) }) {
				res.LateAnswered++
			}
			if len(res.Failures) < 5 {
				res.Failures = append(res.Failures, fmt.Sprintf("officer %d: %s", i, r.failure))
			}
			continue
		}
		res.Unexpected += len(r.unexpected) + len(leftover)
		for _, e := range leftover {
			r.unexpected = append(r.unexpected, fmt.Sprintf("%s %q (after the last step)", e.kind, firstLine(e.text)))
		}
		for _, u := range r.unexpected {
			if len(res.Samples) < 5 {
				res.Samples = append(res.Samples, fmt.Sprintf("officer %d: %s", i, u))
			}
		}
	}
	res.Latencies = all.sorted()
	res.Answered = len(res.Latencies)
	for s := range perStep {
		res.StepNames = append(res.StepNames, p.Script.Steps[s].Name)
		res.StepMedians = append(res.StepMedians, noNaN(percentile(perStep[s].sorted(), 50)))
	}
	for c := range perConv {
		res.ConvMedians = append(res.ConvMedians, noNaN(percentile(perConv[c].sorted(), 50)))
	}
	obs.mu.Lock()
	res.DupAnswers = obs.refused
	for _, q := range obs.queries {
		if q.answers > 1 {
			res.DupAnswers += q.answers - 1
		}
	}
	for k, v := range obs.calls {
		res.Calls[k] = v
	}
	obs.mu.Unlock()
	res.PeakRSS, _ = peakRSS()
	return res
}

// runOfficer walks one officer through p.Conversations conversations and
// returns when the last answer came.
func runOfficer(ctx context.Context, srv *bottest.Server, obs *observer, p fakeParams, i int, c *chatLog, r *officerRun, all *latencies) time.Time {
	u := bottest.User{ID: p.FirstID + int64(i), FirstName: officerName(i), LanguageCode: "zh-hans"}
	var last time.Time
	msgID := 0 // the last message with buttons
	for conv := range p.Conversations {
		for s, st := range p.Script.Steps {
			// What came since the last step was not asked for.
			for _, e := range c.take() {
				r.unexpected = append(r.unexpected, fmt.Sprintf("%s %q before step %q", e.kind, firstLine(e.text), st.Name))
			}
			text := st.Text
			if text == titlePlaceholder {
				text = title(i, conv)
			}
			start := time.Now()
			var qid string
			if st.Tap == "" {
				srv.SendText(u, text)
				r.sent++
			} else {
				upd, err := srv.Tap(u, msgID, st.Tap)
				if err != nil {
					r.failure = fmt.Sprintf("conversation %d, step %q: %v", conv, st.Name, err)
					return last
				}
				q, _ := srv.Update(upd)
				if q.CallbackQuery == nil {
					r.failure = fmt.Sprintf("conversation %d, step %q: update %d is not a callback query", conv, st.Name, upd)
					return last
				}
				qid = q.CallbackQuery.ID
				obs.watch(qid, c)
				r.sent++
			}
			at, id, why := await(ctx, obs, c, p, st, qid)
			if why != "" {
				r.lost++
				if qid != "" {
					r.lostQuery = qid
				} else {
					r.lostWant = st.Want
				}
				r.failure = fmt.Sprintf("conversation %d, step %q: %s", conv, st.Name, why)
				r.saveAwaited = s == len(p.Script.Steps)-1
				return last
			}
			if id != 0 {
				msgID = id
			}
			d := at.Sub(start)
			r.steps[s] = append(r.steps[s], d)
			r.convs[conv] = append(r.convs[conv], d)
			all.add(d)
			last = at
		}
		r.completed++
	}
	return last
}

// await waits for the answer to step st: for typed text a new message
// starting with st.Want, for a tap the answer to callback query qid,
// after an edit starting with st.Want. It returns when the answer was
// complete and the message whose buttons come next, or why it failed.
// Messages other than the answer stay in c, where the next step finds
// them and counts them as not asked for.
func await(ctx context.Context, obs *observer, c *chatLog, p fakeParams, st step, qid string) (time.Time, int, string) {
	timer := time.NewTimer(p.Timeout)
	defer timer.Stop()
	apology := func(e botEvent) bool { return p.Script.Apology != "" && e.text == p.Script.Apology }
	for {
		if _, ok := c.find(apology); ok {
			return time.Time{}, 0, "the bot apologised (handling the update failed)"
		}
		if qid == "" {
			e, ok := c.find(func(e botEvent) bool { return e.kind == "send" && (p.Lenient || matches(e.text, st.Want)) })
			if ok {
				return e.at, e.msgID, ""
			}
		} else if at := obs.answerOf(qid); !at.IsZero() {
			// The bot answers a button last, after the messages of its
			// response: they are all here.
			edit, ok := c.find(func(e botEvent) bool { return e.kind == "edit" && (p.Lenient || matches(e.text, st.Want)) })
			if p.Lenient {
				return at, edit.msgID, ""
			}
			if st.AlsoSend != "" {
				if _, also := c.find(func(e botEvent) bool { return e.kind == "send" && matches(e.text, st.AlsoSend) }); !also {
					ok = false
				}
			}
			if !ok {
				return time.Time{}, 0, fmt.Sprintf("answered without the expected message %q; got %s", firstLine(st.Want), describe(c.take()))
			}
			return at, edit.msgID, ""
		}
		select {
		case <-c.wake:
		case <-timer.C:
			return time.Time{}, 0, fmt.Sprintf("no answer within %v", p.Timeout)
		case <-ctx.Done():
			return time.Time{}, 0, "the run's deadline passed"
		}
	}
}

// noNaN gives -1 for no value: JSON has no NaN.
func noNaN(v float64) float64 {
	if math.IsNaN(v) {
		return -1
	}
	return v
}

func matches(text, want string) bool { return strings.HasPrefix(text, firstLine(want)) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func describe(events []botEvent) string {
	if len(events) == 0 {
		return "nothing"
	}
	var parts []string
	for _, e := range events {
		parts = append(parts, fmt.Sprintf("%s %q", e.kind, firstLine(e.text)))
	}
	return strings.Join(parts, ", ")
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// officerName is the Telegram name of officer i, stored as the user's name
// when the officer is joined, as the bot would have stored it.
func officerName(i int) string { return fmt.Sprintf("联络员%d", i+1) }

// title is the activity title officer i types in conversation conv: the
// records check finds each conversation's record by it.
func title(i, conv int) string {
	return fmt.Sprintf("政策宣讲进村入户 第%d场（%d）", conv+1, i+1)
}

// processTB is the testing.TB bottest.New asks for, outside a test: it
// only collects cleanups. The embedded interface is nil; bottest.New calls
// nothing else, and the fake's process uses no method of bottest that
// would (WaitFor, WaitText, ...).
type processTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
}

func (t *processTB) Helper() {}

func (t *processTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

func (t *processTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func (t *processTB) cleanup() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
