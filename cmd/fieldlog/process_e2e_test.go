package main

// The program as an operator runs it: a built binary in a process of its
// own, killed with SIGKILL or stopped with SIGTERM.

import (
	"bytes"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/locales"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
	buildOut  []byte
)

// fieldlogBinary builds the program once for the test run.
func fieldlogBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fieldlog-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "fieldlog")
		cmd := exec.Command("go", "build", "-o", binary, ".")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build fieldlog: %v\n%s", buildErr, buildOut)
	}
	return binary
}

// process is the bot running as a process of its own.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan error
}

func startProcess(t *testing.T, env map[string]string) *process {
	t.Helper()
	cmd := exec.Command(fieldlogBinary(t), "serve")
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{t: t, cmd: cmd, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("process log:\n%s", p.logs.String())
		}
	})
	return p
}

// waitLog waits until the process has logged text.
func (p *process) waitLog(text string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !bytes.Contains([]byte(p.logs.String()), []byte(text)) {
		if time.Now().After(deadline) {
			p.t.Fatalf("the process did not log %q; log:\n%s", text, p.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait waits for the process to exit and returns its error and how long
// it took from since.
func (p *process) wait(since time.Time, limit time.Duration) (error, time.Duration) {
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		return err, time.Since(since)
	case <-time.After(limit):
		p.t.Fatalf("the process did not exit within %v; log:\n%s", limit, p.logs.String())
		return nil, 0
	}
}

// count is how many of msgs have the text.
func count(msgs []bottest.Message, text string) int {
	n := 0
	for _, m := range msgs {
		if m.Text == text {
			n++
		}
	}
	return n
}

// SIGKILL after an update is recorded and before it is handled: after the
// restart it is answered, once, and what was answered before the kill is
// not answered again.
func TestKilledBetweenReceiptAndHandling(t *testing.T) {
	t.Parallel()
	srv, env, a, p := startBotProcess(t)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	// The first answer reaches the user, but the bot never hears back:
	// its lane is busy, and the next update waits behind it.
	release := srv.Hold("sendMessage")
	srv.SendText(admin, "/start")
	choose := a.waitText(admin, a.chooseLanguage())
	tap, err := srv.Tap(admin, choose.ID, "中文")
	if err != nil {
		t.Fatal(err)
	}
	srv.WaitConfirmed(t, tap) // recorded: only then is it confirmed
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(time.Now(), 10*time.Second)
	release()
	if n := len(srv.CallbackAnswers()); n != 0 {
		t.Fatalf("the press was handled before the kill (%d answers): the test killed too late", n)
	}

	p = startProcess(t, env)
	welcome := a.msg(zh, "welcome", "Name", "Admin", "Role", a.tr(zh, "role_admin"), "Unit", "")
	a.waitText(admin, welcome)
	srv.WaitAnswer(t, tap)
	time.Sleep(time.Second) // a duplicate would come now
	msgs := srv.Messages(admin.ID)
	if n := count(msgs, welcome); n != 1 {
		t.Errorf("the press was answered %d times", n)
	}
	if n := count(msgs, a.chooseLanguage()); n != 0 {
		t.Errorf("the question answered before the kill is still there %d times (edited into the language's confirmation, it should be gone)", n)
	}
	if n := len(srv.History(admin.ID, choose.ID)); n != 2 {
		t.Errorf("the question was sent or edited %d times, want once and one edit", n)
	}
}

// SIGTERM with an update in hand and more waiting: the process stops
// taking updates, gives the one in hand its grace, closes the store and
// exits within 10 s; what it did not handle is handled at the next start,
// in order, once.
func TestSIGTERMStopsWithin10sAndKeepsTheRest(t *testing.T) {
	t.Parallel()
	srv, env, a, p := startBotProcess(t)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	a.waitText(admin, a.msg(zh, "welcome", "Name", "Admin", "Role", a.tr(zh, "role_admin"), "Unit", ""))

	release := srv.Hold("sendMessage")
	defer release()
	before := len(srv.Messages(admin.ID))
	srv.SendText(admin, "/help") // in hand: its answer never comes back
	a.srv.WaitFor(t, admin.ID, func(m bottest.Message) bool { return len(srv.Messages(admin.ID)) > before }, 10*time.Second)
	last := srv.SendText(admin, "/log")
	srv.WaitConfirmed(t, last)
	stop := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err, took := p.wait(stop, 15*time.Second)
	if err != nil {
		t.Errorf("the process exited with %v", err)
	}
	if took > 10*time.Second {
		t.Errorf("the process took %v to stop, want under 10 s", took)
	}
	release()
	if n := count(srv.Messages(admin.ID), a.tr(zh, "log_needs_unit")); n != 0 {
		t.Fatalf("the waiting /log was answered before the stop (%d): nothing was left for the next start", n)
	}

	startProcess(t, env)
	a.waitText(admin, a.tr(zh, "log_needs_unit"))
	time.Sleep(time.Second)
	if n := count(srv.Messages(admin.ID), a.tr(zh, "log_needs_unit")); n != 1 {
		t.Errorf("the /log left for the next start was answered %d times", n)
	}
}

// startBotProcess starts the bot as a process of its own on a fresh store
// and fake Bot API, and waits until it runs; a plays the users.
func startBotProcess(t *testing.T) (*bottest.Server, map[string]string, *app, *process) {
	t.Helper()
	srv := bottest.New(t)
	env := testEnv(t, srv)
	p := startProcess(t, env)
	p.waitLog("fieldlog running")
	return srv, env, &app{t: t, srv: srv, msgs: mustMessages(t)}, p
}

func mustMessages(t *testing.T) *locales.Messages {
	t.Helper()
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// Two bot processes in webhook mode on one MongoDB behind a load balancer
// that alternates between them: one user's updates, arriving at both in
// turn, are answered in order, once. The embedded store is one process's,
// so this needs MONGODB_TEST_URI; bot TestTwoProcessesKeepOneChatInOrder
// runs the same with two bots in one process on any store.
func TestTwoProcessesOnMongoDB(t *testing.T) {
	uri := os.Getenv("MONGODB_TEST_URI")
	if uri == "" {
		t.Skip("needs MONGODB_TEST_URI (a real MongoDB); bot TestTwoProcessesKeepOneChatInOrder covers two bots in one process")
	}
	t.Parallel()
	srv := bottest.New(t)
	env := testEnv(t, srv) // a database of its own on that MongoDB
	a := &app{t: t, srv: srv, msgs: mustMessages(t)}
	lb := &alternate{}
	front := httptest.NewServer(lb)
	t.Cleanup(front.Close)
	env["FIELDLOG_WEBHOOK_URL"] = front.URL + "/telegram"
	env["FIELDLOG_WEBHOOK_SECRET"] = "two-processes"
	for range 2 {
		env := maps.Clone(env)
		port := freePort(t)
		env["FIELDLOG_HTTP_ADDR"] = "127.0.0.1:" + port
		p := startProcess(t, env)
		p.waitLog("fieldlog running")
		lb.add("http://127.0.0.1:" + port)
	}
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	a.waitText(admin, a.msg(zh, "welcome", "Name", "Admin", "Role", a.tr(zh, "role_admin"), "Unit", ""))
	before := len(srv.Messages(admin.ID))
	// Each /log answers with the same message; /help with another: the
	// order of the answers is the order of the updates.
	var want []string
	for i := range 10 {
		cmd, answer := "/log", a.tr(zh, "log_needs_unit")
		if i%2 == 1 {
			cmd, answer = "/cancel", a.tr(zh, "nothing_to_cancel")
		}
		srv.SendText(admin, cmd)
		want = append(want, answer)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(srv.Messages(admin.ID))-before < len(want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // a duplicate would come now
	got := messageTextsOf(srv.Messages(admin.ID)[before:])
	if !slices.Equal(got, want) {
		t.Errorf("answers:\n%q\nwant\n%q", got, want)
	}
	if lb.posts[0].Load() == 0 || lb.posts[1].Load() == 0 {
		t.Errorf("posts to the processes: %d and %d, want both", lb.posts[0].Load(), lb.posts[1].Load())
	}
}

// alternate forwards each request to the next of its targets in turn.
type alternate struct {
	mu      sync.Mutex
	targets []*httputil.ReverseProxy
	next    int
	posts   [2]atomic.Int64
}

func (b *alternate) add(target string) {
	u, _ := url.Parse(target)
	b.mu.Lock()
	b.targets = append(b.targets, httputil.NewSingleHostReverseProxy(u))
	b.mu.Unlock()
}

func (b *alternate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	if len(b.targets) < 2 {
		b.mu.Unlock()
		http.Error(w, "not all processes are up", http.StatusBadGateway)
		return
	}
	i := b.next % len(b.targets)
	b.next++
	p := b.targets[i]
	b.mu.Unlock()
	b.posts[i].Add(1)
	p.ServeHTTP(w, r)
}

// freePort is a port nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
