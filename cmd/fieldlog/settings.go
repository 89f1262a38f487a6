package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version and commit are set when the binary is built for release:
//
//	go build -ldflags "-X main.version=1.2.0 -X main.commit=$(git rev-parse HEAD)"
//
// Without them the commit comes from Go's build information, when the
// binary was built from a git checkout.
var (
	version = "dev"
	commit  = ""
)

// versionInfo is the version and the commit the binary was built from.
func versionInfo() (ver, rev string) {
	rev = commit
	if info, ok := debug.ReadBuildInfo(); ok && rev == "" {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					defer func() { rev += "+modified" }()
				}
			}
		}
	}
	if rev == "" {
		rev = "unknown"
	}
	return version, rev
}

// setting is one environment variable the program reads.
type setting struct {
	name, def, help string
}

// settings are every environment variable, in the order of the README's
// table, which a test keeps the same as this one.
var settings = []setting{
	{"TELEGRAM_BOT_TOKEN", "— (required)", "the bot's token from @BotFather"},
	{"TELEGRAM_API_URL", "Telegram's", "Bot API base URL, e.g. a local Bot API server or a test fake"},
	{"MONGODB_URI", "empty", "MongoDB to use; empty starts the embedded store. More than one process needs a real MongoDB"},
	{"FIELDLOG_DB", "`fieldlog`", "database name"},
	{"FIELDLOG_DATA_DIR", "`./data`", "files of the embedded store (locked: one process at a time)"},
	{"FIELDLOG_SYNC", "`interval`", "when the embedded store's writes reach the disk: `interval`, every 100 ms, as MongoDB writes its journal (a power failure may lose the last 100 ms; a crash or stop of the process loses nothing); `write`, before each write is confirmed (nothing is lost even to a power failure; as fast here, slower on a disk with slow fsync: see BENCHMARKS.md)"},
	{"FIELDLOG_ADMINS", "empty", "comma-separated Telegram user ids of the admins"},
	{"FIELDLOG_TZ", "`Asia/Shanghai`", "time zone of activity dates, half-years, deadlines and the 09:00 reminders"},
	{"FIELDLOG_CATALOG", "built in", "YAML file replacing the built-in activity catalogue (`catalog/default.yaml` shows the format)"},
	{"FIELDLOG_UNITS", "empty", "unit file (CSV or YAML) imported at every start"},
	{"FIELDLOG_LOG_LEVEL", "`info`", "`debug`, `info`, `warn` or `error`"},
	{"FIELDLOG_HTTP_ADDR", "`:8080`", "address of `/healthz`, `/readyz`, `/metrics` and the webhook; `off` serves none (polling only)"},
	{"FIELDLOG_WEBHOOK_URL", "empty", "public HTTPS URL Telegram posts updates to (webhook mode, behind a proxy or load balancer forwarding to `FIELDLOG_HTTP_ADDR`, same path); empty polls"},
	{"FIELDLOG_WEBHOOK_SECRET", "empty", "secret token Telegram sends with each post (1–256 of `A-Z a-z 0-9 _ -`); required in webhook mode"},
	{"FIELDLOG_WEB_URL", "empty", "public address of the web page, served under `/web/` on `FIELDLOG_HTTP_ADDR` behind the same proxy as the webhook (HTTPS, for the Mini App and secure cookies); `/web` in the bot links to it; empty: no web page"},
	{"FIELDLOG_WEB_PROXY", "`off`", "`on` when a proxy in front sets `X-Forwarded-For` to the visitor's address (as in the nginx example), so that wrong codes are counted per visitor, not per proxy"},
}

// settingsTable is the settings as the README's Markdown table.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, s := range settings {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", s.name, s.def, s.help)
	}
	return b.String()
}

// usage is what `fieldlog help` prints.
func usage(w io.Writer) {
	ver, rev := versionInfo()
	fmt.Fprintf(w, `fieldlog %s (%s): the fieldlog Telegram bot.

Commands:
  fieldlog [serve]             run the bot (long polling, or webhook mode with FIELDLOG_WEBHOOK_URL)
  fieldlog units import FILE   load the organisation units from CSV or YAML
  fieldlog export --out DIR    write every collection to DIR (stop the bot first on the embedded store)
  fieldlog import [--into-nonempty] DIR
                               load an export into an empty store
  fieldlog audit --since DATE [--record ID]
                               print the audit trail from DATE (2006-01-02, FIELDLOG_TZ), tab-separated
  fieldlog health              exit 0 if the running bot's /healthz answers (for Docker's HEALTHCHECK)
  fieldlog version             print the version and commit
  fieldlog help                print this

Environment:
%s`, ver, rev, settingsTable())
}
