// Command fieldlog-load measures the bot under load as a new user runs it:
// N simulated officers, already joined, each walk K complete /log
// conversations (8 updates each: /log, section, type, yesterday,
// participants, title, skip photos, save) one after another, all officers
// at once, against the project's fake Bot API (bot/bottest) over loopback.
// Each officer waits for the answer to one update before sending the next,
// as a person does, and presses the buttons the bot sent.
//
//	go run ./cmd/fieldlog-load -store embedded -officers 100 -conversations 5 -runs 3
//
// The bot is wired as `fieldlog serve` wires it (see startBot), on the
// embedded store in a fresh temporary directory (the default a new user
// gets) or on the in-memory store (-store memory: the bot's own cost), with
// the sample units. -echo runs the least go-telegram/bot echo bot instead,
// to measure the floor set by the fake, the officers and the library.
//
// The bot runs in this process; the fake and the officers run in a child
// process (this program again), so that the CPU time and peak memory
// reported for the bot are the bot's alone. Both share the machine's cores.
//
// It prints updates/s, answer latency percentiles (from sending an update
// to the bot's complete answer: the new message for typed text, the answer
// to the press for a button, which the bot sends after its messages), CPU
// per update (getrusage of each process over the load, divided by the
// updates answered), peak memory (VmHWM, reset after the setup, and the
// largest Go heap sampled every 10 ms), and the checks: lost updates (no
// answer within -timeout), unexpected or duplicated messages and answers,
// and that each completed conversation's record was stored exactly once.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/storage"
	"fieldlog/storage/memory"
	"fieldlog/units"
)

// config is the command line.
type config struct {
	store         string
	echo          bool
	officers      int
	conversations int
	records       int
	runs          int
	timeout       time.Duration
	deadline      time.Duration
	grace         time.Duration
	units         string
	cpuProfile    string
	fakeProfile   string
	keep          bool
	sync          string
	webhook       bool
	processes     int
}

// firstOfficer is the Telegram id of the first officer; seed records have
// reporters from seedReporter on.
const (
	firstOfficer = 8_000_001
	seedReporter = 9_000_001
)

func main() {
	if os.Getenv(fakeEnv) != "" {
		if err := runFake(); err != nil {
			fmt.Fprintln(os.Stderr, "fieldlog-load (fake):", err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.StringVar(&c.store, "store", "embedded", "the bot's store: embedded (FerretDB+SQLite in a temporary directory, the default a new user gets), memory, or mongodb (the MongoDB of MONGODB_TEST_URI, in a database of its own, dropped after)")
	flag.BoolVar(&c.echo, "echo", false, "run a go-telegram/bot echo bot instead of fieldlog (the floor of the fake and the library)")
	flag.IntVar(&c.officers, "officers", 100, "officers talking at once")
	flag.IntVar(&c.conversations, "conversations", 5, "/log conversations per officer, one after another")
	flag.IntVar(&c.records, "records", 0, "activity records stored before the load, spread over the sample units")
	flag.IntVar(&c.runs, "runs", 1, "runs, each on a fresh store; the summary gives medians and ranges")
	flag.DurationVar(&c.timeout, "timeout", 120*time.Second, "how long an officer waits for an answer before the conversation counts as failed")
	flag.DurationVar(&c.deadline, "deadline", 20*time.Minute, "longest load of a run; conversations still going then fail")
	flag.DurationVar(&c.grace, "grace", time.Second, "how long to watch after the last answer for late or duplicated messages")
	flag.StringVar(&c.units, "units", "deploy/units.sample.csv", "units file")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the bot's process during the load of the last run to this file")
	flag.StringVar(&c.fakeProfile, "fakeprofile", "", "write a CPU profile of the fake's process during the load of the last run to this file")
	flag.BoolVar(&c.keep, "keep", false, "keep each run's temporary directory (store files, bot.log)")
	flag.StringVar(&c.sync, "sync", string(storage.SyncInterval), "when the embedded store's writes reach the disk, as FIELDLOG_SYNC: interval or write")
	flag.BoolVar(&c.webhook, "webhook", false, "receive updates by webhook, as with FIELDLOG_WEBHOOK_URL, instead of long polling")
	flag.IntVar(&c.processes, "processes", 1, "with -webhook: bots sharing the store and its chat leases behind a load balancer (in this process: the embedded store is one process's)")
	flag.Parse()
	if c.processes < 1 || (c.processes > 1 && !c.webhook) {
		fmt.Fprintln(os.Stderr, "fieldlog-load: -processes needs -webhook, and at least 1")
		os.Exit(2)
	}
	if s := storage.Sync(c.sync); s != storage.SyncInterval && s != storage.SyncEveryWrite {
		fmt.Fprintln(os.Stderr, "fieldlog-load: -sync must be interval or write")
		os.Exit(2)
	}
	switch {
	case c.store == "mongodb" && os.Getenv("MONGODB_TEST_URI") == "":
		fmt.Fprintln(os.Stderr, "fieldlog-load: -store mongodb needs MONGODB_TEST_URI")
		os.Exit(2)
	case c.store != "embedded" && c.store != "memory" && c.store != "mongodb":
		fmt.Fprintln(os.Stderr, "fieldlog-load: -store must be embedded, memory or mongodb")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var results []result
	for n := range c.runs {
		r, err := runOnce(ctx, c, n)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fieldlog-load:", err)
			os.Exit(1)
		}
		r.print(os.Stdout, fmt.Sprintf("run %d/%d", n+1, c.runs))
		results = append(results, r)
	}
	if len(results) > 1 {
		summarise(os.Stdout, results)
	}
	for _, r := range results {
		if !r.correct() {
			os.Exit(3)
		}
	}
}

// result is one run's figures.
type result struct {
	cfg      config
	setup    time.Duration
	load     float64
	fake     fakeResult
	botCPU   time.Duration
	window   time.Duration // wall time over which botCPU was measured
	peakRSS  int64
	peakHeap uint64
	records  recordCheck
	warnings int
	errors   int
	logLines []string
}

func runOnce(ctx context.Context, c config, n int) (result, error) {
	res := result{cfg: c}
	dir, err := os.MkdirTemp("", "fieldlog-load-")
	if err != nil {
		return res, err
	}
	if c.keep {
		fmt.Fprintln(os.Stderr, "fieldlog-load: run files in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	logPath := filepath.Join(dir, "bot.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, err
	}
	defer logFile.Close()
	// The level a new user gets (FIELDLOG_LOG_LEVEL's default).
	logger := slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelInfo}))

	unitList, err := units.ReadFile(c.units)
	if err != nil {
		return res, fmt.Errorf("units: %w", err)
	}
	start := time.Now()
	st, closeStore, err := openStore(ctx, c, dir, logger)
	if err != nil {
		return res, err
	}
	defer closeStore()
	if !c.echo {
		if err := seed(ctx, st, c, unitList); err != nil {
			return res, err
		}
	}
	res.setup = time.Since(start)

	sc, err := conversationScript()
	if err != nil {
		return res, err
	}
	p := fakeParams{FirstID: firstOfficer, Officers: c.officers, Conversations: c.conversations,
		Timeout: c.timeout, Deadline: c.deadline, Grace: c.grace, Script: sc, Lenient: c.echo}
	last := n == c.runs-1
	if last {
		p.CPUProfile = c.fakeProfile
	}
	fake, err := startFake(p)
	if err != nil {
		return res, err
	}
	defer fake.close()

	botCtx, stopBot := context.WithCancel(ctx)
	defer stopBot()
	var done <-chan error
	if c.echo {
		var labels []string
		for _, s := range sc.Steps {
			if s.Tap != "" {
				labels = append(labels, s.Tap)
			}
		}
		done, err = startEcho(botCtx, fake.hello.URL, fake.hello.Token, labels)
	} else {
		done, err = startBot(botCtx, st, unitList, fake.hello.URL, fake.hello.Token, c.webhook, c.processes, logger)
	}
	if err != nil {
		return res, fmt.Errorf("start the bot: %w", err)
	}
	time.Sleep(200 * time.Millisecond) // the first long poll is waiting

	// The load.
	runtime.GC()
	debug.FreeOSMemory()
	if err := resetPeakRSS(); err != nil {
		fmt.Fprintln(os.Stderr, "fieldlog-load: cannot reset the peak RSS, it includes the setup:", err)
	}
	res.load = loadAverage()
	heap := sampleHeap(10 * time.Millisecond)
	if last && c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return res, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return res, err
		}
	}
	cpu0, t0 := cpuTime(), time.Now()
	res.fake, err = fake.run()
	res.botCPU, res.window = cpuTime()-cpu0, time.Since(t0)
	if last && c.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	res.peakHeap = heap.Stop()
	res.peakRSS, _ = peakRSS()
	if err != nil {
		return res, err
	}

	stopBot()
	select {
	case err := <-done:
		if err != nil {
			return res, fmt.Errorf("the bot stopped with an error: %w", err)
		}
	case <-time.After(30 * time.Second):
		return res, errors.New("the bot did not stop within 30 s")
	}
	if !c.echo {
		if res.records, err = checkRecords(ctx, st, c, res.fake); err != nil {
			return res, err
		}
	}
	res.warnings, res.errors, res.logLines = scanLog(logPath)
	return res, nil
}

// openStore opens the store of c in dir: exactly what `fieldlog serve`
// opens without MONGODB_URI (storage.Open with a data directory), or the
// in-memory one.
func openStore(ctx context.Context, c config, dir string, logger *slog.Logger) (store, func(), error) {
	if c.store == "memory" {
		return memory.New(), func() {}, nil
	}
	cfg := storage.Config{DataDir: filepath.Join(dir, "data"), Sync: storage.Sync(c.sync), Logger: logger}
	if c.store == "mongodb" {
		cfg.URI, cfg.Database = os.Getenv("MONGODB_TEST_URI"), fmt.Sprintf("fieldlog_load_%d", time.Now().UnixNano())
	}
	s, err := storage.Open(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return s, func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if c.store == "mongodb" {
			_ = s.Drop(cctx)
		}
		_ = s.Close(cctx)
	}, nil
}

// seed joins the officers, as an invitation would have (role officer, a
// village of the sample units, Chinese, their Telegram name), and stores
// c.records records spread over the villages, the last half-year and the
// catalogue's types, directly in the store.
func seed(ctx context.Context, st store, c config, unitList []fieldlog.Unit) error {
	var villages []fieldlog.UnitID
	for _, u := range unitList {
		if u.Level == fieldlog.Village {
			villages = append(villages, u.ID)
		}
	}
	if len(villages) == 0 {
		return errors.New("the units file has no village")
	}
	now := time.Now()
	for i := range c.officers {
		id := int64(firstOfficer + i)
		u := fieldlog.User{ID: id, ChatID: id, Name: officerName(i), Lang: fieldlog.Chinese,
			Role: fieldlog.Officer, UnitID: villages[i%len(villages)], JoinedAt: now}
		if err := st.SaveUser(ctx, u); err != nil {
			return fmt.Errorf("join officer %d: %w", i, err)
		}
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	var types []fieldlog.ActivityType
	var sections []string
	for _, s := range cat.Sections {
		for _, t := range s.Types {
			types, sections = append(types, t), append(sections, s.ID)
		}
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	today := fieldlog.DateOf(now, loc)
	for i := range c.records {
		t := i % len(types)
		a := fieldlog.Activity{
			ID:           fieldlog.ActivityID(fmt.Sprintf("seed%08d", i)),
			SectionID:    sections[t],
			TypeID:       types[t].ID,
			Date:         today.AddDays(-(i % 170)),
			Participants: fieldlog.Count{Value: int64(10 + i%190)},
			Title:        fmt.Sprintf("已存记录 %d", i),
			UnitID:       villages[i%len(villages)],
			ReporterID:   int64(seedReporter + i%(2*len(villages))),
			ReporterName: "已存联络员",
			LoggedAt:     now.Add(-time.Duration(i%170) * 24 * time.Hour),
		}
		if types[t].Quantity {
			a.Quantity = fieldlog.Count{Value: int64(1 + i%500)}
		}
		a.UpdatedAt = a.LoggedAt
		if err := st.InsertActivity(ctx, a); err != nil {
			return fmt.Errorf("store record %d: %w", i, err)
		}
	}
	return nil
}

// recordCheck is what the store holds after the load.
type recordCheck struct {
	once        int // completed conversations whose record is there exactly once
	missing     int // completed conversations without their record
	duplicated  int // records more than one per conversation
	unasked     int // records of conversations that did not reach "save"
	unconfirmed int // records of conversations whose "save" was not answered in time
	seeds       int // records stored before the load
}

func checkRecords(ctx context.Context, st store, c config, fr fakeResult) (recordCheck, error) {
	var rc recordCheck
	type key struct {
		officer int
		title   string
	}
	count := map[key]int{}
	err := st.EachActivity(ctx, fieldlog.ActivityFilter{AllUnits: true}, func(a fieldlog.Activity) error {
		i := int(a.ReporterID - firstOfficer)
		if i < 0 || i >= c.officers {
			rc.seeds++
			return nil
		}
		count[key{i, a.Title}]++
		return nil
	})
	if err != nil {
		return rc, fmt.Errorf("read the records: %w", err)
	}
	for i := range c.officers {
		completed, awaited := 0, false
		if i < len(fr.Completed) {
			completed, awaited = fr.Completed[i], fr.SaveAwaited[i]
		}
		for conv := range c.conversations {
			k := key{i, title(i, conv)}
			n := count[k]
			delete(count, k)
			switch {
			case conv < completed && n == 0:
				rc.missing++
			case conv < completed:
				rc.once++
				rc.duplicated += n - 1
			case conv == completed && awaited:
				rc.unconfirmed += min(n, 1)
				rc.duplicated += max(n-1, 0)
			default:
				rc.unasked += n
			}
		}
	}
	for _, n := range count {
		rc.unasked += n
	}
	return rc, nil
}

// scanLog counts the bot's warnings and errors and keeps the first few.
func scanLog(path string) (warnings, errs int, first []string) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.Contains(line, "level=WARN"):
			warnings++
		case strings.Contains(line, "level=ERROR"):
			errs++
		default:
			continue
		}
		if len(first) < 3 {
			first = append(first, line)
		}
	}
	return warnings, errs, first
}

// ---- the fake's process ----

type fakeProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *json.Decoder
	hello hello
}

// startFake starts the fake Bot API and the officers in a child process.
func startFake(p fakeParams) (*fakeProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	env, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), fakeEnv+"="+string(env))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the fake's process: %w", err)
	}
	f := &fakeProc{cmd: cmd, stdin: stdin, out: json.NewDecoder(stdout)}
	if err := f.out.Decode(&f.hello); err != nil {
		f.close()
		return nil, fmt.Errorf("the fake's process did not start: %w", err)
	}
	return f, nil
}

// run starts the load and returns what the fake measured.
func (f *fakeProc) run() (fakeResult, error) {
	var r fakeResult
	if _, err := fmt.Fprintln(f.stdin, "go"); err != nil {
		return r, err
	}
	if err := f.out.Decode(&r); err != nil {
		return r, fmt.Errorf("read the fake's result: %w", err)
	}
	return r, nil
}

// close ends the fake's process (after the bot has stopped polling).
func (f *fakeProc) close() {
	if f.stdin != nil {
		f.stdin.Close()
		f.stdin = nil
	}
	waited := make(chan error, 1)
	go func() { waited <- f.cmd.Wait() }()
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		<-waited
	}
}

// ---- the report ----

// perUpdate divides CPU time by the updates the bot handled: those
// answered in time and those answered after their officer gave up.
func (r result) perUpdate(d time.Duration) float64 {
	n := r.fake.Answered + r.fake.LateAnswered
	if n == 0 {
		return math.NaN()
	}
	return d.Seconds() * 1000 / float64(n)
}

func (r result) rate() float64 {
	if r.fake.Elapsed == 0 {
		return 0
	}
	return float64(r.fake.Answered) / r.fake.Elapsed
}

func (r result) lat(p float64) float64 { return percentile(r.fake.Latencies, p) }

func (r result) fakeCPU() time.Duration { return time.Duration(r.fake.CPU * float64(time.Second)) }

// correct reports whether nothing was lost, duplicated or stored wrongly.
func (r result) correct() bool {
	f, rc := r.fake, r.records
	return f.FailedConvs == 0 && f.Lost == 0 && f.Unexpected == 0 && f.DupAnswers == 0 &&
		rc.missing == 0 && rc.duplicated == 0 && rc.unasked == 0 && (r.cfg.echo || rc.seeds == r.cfg.records)
}

func (r result) what() string {
	c := r.cfg
	bot := c.store + " store"
	if c.echo {
		bot = "echo bot (go-telegram/bot, no store)"
	}
	return fmt.Sprintf("%s, %d officers × %d conversations, %d records stored", bot, c.officers, c.conversations, c.records)
}

// label names the bot in a table row: embedded, memory or echo.
func (r result) label() string {
	if r.cfg.echo {
		return "echo"
	}
	return r.cfg.store
}

func (r result) print(w io.Writer, title string) {
	f := r.fake
	fmt.Fprintf(w, "%s: %s (setup %.1f s; load average %.2f at the start)\n", title, r.what(), r.setup.Seconds(), r.load)
	fmt.Fprintf(w, "  updates: %d sent, %d answered in %.1f s: %.1f updates/s\n", f.Sent, f.Answered, f.Elapsed, r.rate())
	fmt.Fprintf(w, "  answer latency: p50 %s, p95 %s, p99 %s, max %s\n", ms(r.lat(50)), ms(r.lat(95)), ms(r.lat(99)), ms(r.lat(100)))
	var steps []string
	for i, name := range f.StepNames {
		steps = append(steps, fmt.Sprintf("%s %s", name, ms(f.StepMedians[i])))
	}
	fmt.Fprintf(w, "  p50 by step: %s\n", strings.Join(steps, ", "))
	if len(f.ConvMedians) > 1 {
		var convs []string
		for i, m := range f.ConvMedians {
			convs = append(convs, fmt.Sprintf("#%d %s", i+1, ms(m)))
		}
		fmt.Fprintf(w, "  p50 by conversation of an officer: %s\n", strings.Join(convs, ", "))
	}
	fmt.Fprintf(w, "  CPU per update: bot %.2f ms, fake and officers %.2f ms (process CPU time over the load / %d updates answered, %d of them late); the bot used %.2f cores over %.1f s\n",
		r.perUpdate(r.botCPU), r.perUpdate(r.fakeCPU()), f.Answered+f.LateAnswered, f.LateAnswered, r.botCPU.Seconds()/r.window.Seconds(), r.window.Seconds())
	fmt.Fprintf(w, "  peak memory of the bot: RSS %.0f MB, Go heap %.0f MB (fake's process: RSS %.0f MB)\n",
		float64(r.peakRSS)/mb, float64(r.peakHeap)/mb, float64(f.PeakRSS)/mb)
	convs := r.cfg.officers * r.cfg.conversations
	fmt.Fprintf(w, "  conversations: %d of %d completed, %d failed; lost updates %d, late messages %d, unexpected messages %d, duplicated button answers %d\n",
		convs-f.FailedConvs, convs, f.FailedConvs, f.Lost, f.Late, f.Unexpected, f.DupAnswers)
	for _, s := range f.Failures {
		fmt.Fprintf(w, "    failed: %s\n", s)
	}
	for _, s := range f.Samples {
		fmt.Fprintf(w, "    unexpected: %s\n", s)
	}
	if !r.cfg.echo {
		rc := r.records
		fmt.Fprintf(w, "  records: %d conversations saved exactly once, %d missing, %d duplicated, %d not asked for, %d of an unanswered save; %d of %d stored before\n",
			rc.once, rc.missing, rc.duplicated, rc.unasked, rc.unconfirmed, rc.seeds, r.cfg.records)
	}
	calls := f.Calls
	polls := calls["getupdates"]
	perPoll := math.NaN()
	if polls > 0 {
		perPoll = float64(f.Sent) / float64(polls)
	}
	fmt.Fprintf(w, "  Bot API calls: getUpdates %d (%.1f updates a poll), sendMessage %d, editMessageText %d, answerCallbackQuery %d, other %d; bot log: %d warnings, %d errors\n",
		polls, perPoll, calls["sendmessage"], calls["editmessagetext"], calls["answercallbackquery"],
		sum(calls)-polls-calls["sendmessage"]-calls["editmessagetext"]-calls["answercallbackquery"], r.warnings, r.errors)
	for _, l := range r.logLines {
		fmt.Fprintf(w, "    log: %s\n", l)
	}
	fmt.Fprintln(w)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func ms(v float64) string {
	switch {
	case math.IsNaN(v) || v < 0:
		return "–"
	case v < 10:
		return fmt.Sprintf("%.1f ms", v)
	case v < 10000:
		return fmt.Sprintf("%.0f ms", v)
	}
	return fmt.Sprintf("%.1f s", v/1000)
}

// summarise prints the median of the runs with their range, and the same
// as a row of BENCHMARKS.md's table.
func summarise(w io.Writer, rs []result) {
	med := func(f func(result) float64) (m, lo, hi float64) {
		var v []float64
		for _, r := range rs {
			v = append(v, f(r))
		}
		slices.Sort(v)
		return v[len(v)/2], v[0], v[len(v)-1] // the middle run of an odd count
	}
	cell := func(format string, f func(result) float64) string {
		m, lo, hi := med(f)
		return fmt.Sprintf(format+" ("+format+"–"+format+")", m, lo, hi)
	}
	rate := cell("%.1f", result.rate)
	p50 := cell("%.0f", func(r result) float64 { return r.lat(50) })
	p95 := cell("%.0f", func(r result) float64 { return r.lat(95) })
	p99 := cell("%.0f", func(r result) float64 { return r.lat(99) })
	cpu := cell("%.2f", func(r result) float64 { return r.perUpdate(r.botCPU) })
	fcpu := cell("%.2f", func(r result) float64 { return r.perUpdate(r.fakeCPU()) })
	rss := cell("%.0f", func(r result) float64 { return float64(r.peakRSS) / mb })
	heap := cell("%.0f", func(r result) float64 { return float64(r.peakHeap) / mb })
	failed, lost, unexpected, dup, missing, dupRec := 0, 0, 0, 0, 0, 0
	for _, r := range rs {
		failed += r.fake.FailedConvs
		lost += r.fake.Lost
		unexpected += r.fake.Unexpected
		dup += r.fake.DupAnswers
		missing += r.records.missing
		dupRec += r.records.duplicated + r.records.unasked
	}
	fmt.Fprintf(w, "summary of %d runs: %s — medians (ranges)\n", len(rs), rs[0].what())
	fmt.Fprintf(w, "  updates/s %s; latency ms p50 %s, p95 %s, p99 %s\n", rate, p50, p95, p99)
	fmt.Fprintf(w, "  CPU ms per update: bot %s, fake and officers %s; peak MB: bot RSS %s, Go heap %s\n", cpu, fcpu, rss, heap)
	fmt.Fprintf(w, "  over all runs: %d conversations failed, %d updates lost, %d unexpected messages, %d duplicated answers, %d records missing, %d duplicated or not asked for\n",
		failed, lost, unexpected, dup, missing, dupRec)
	c := rs[0].cfg
	fmt.Fprintf(w, "  row: | %s | %d×%d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d/%d/%d |\n\n",
		rs[0].label(), c.officers, c.conversations, c.records,
		rate, p50, p95, p99, cpu, fcpu, rss, heap, failed, lost, unexpected+dup, missing+dupRec)
}
