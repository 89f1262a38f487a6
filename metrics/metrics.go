// Package metrics counts what the bot does, for the operator, in
// Prometheus's format (served at /metrics). It implements the small
// observer interfaces that the channel and the engine declare.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the bot's metrics in a registry of its own (no global
// state: two bots in one test process count apart).
type Metrics struct {
	reg *prometheus.Registry

	received  *prometheus.CounterVec
	handled   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	sent      prometheus.Counter
	failed    prometheus.Counter
	tooMany   prometheus.Counter
	records   prometheus.Counter
	reports   prometheus.Counter
	reminders prometheus.Counter
}

// Backlog counts the updates waiting in the inbox; it is asked at each
// scrape.
type Backlog func(ctx context.Context) (int64, error)

// New makes the metrics; backlog, if not nil, is read at each scrape for
// fieldlog_inbox_backlog, and a failure to read it is logged.
func New(backlog Backlog, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := registrar{m.reg}
	m.received = f.counterVec("fieldlog_updates_received_total", "Updates recorded in the inbox, by kind (command, text, photo, button, other).", "kind")
	m.handled = f.counterVec("fieldlog_updates_handled_total", "Updates answered by the engine, by kind.", "kind")
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "fieldlog_update_handling_seconds",
		Help:    "Time the engine took to answer an update, by kind (sending the answer not included).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"kind"})
	m.reg.MustRegister(m.latency)
	m.sent = f.counter("fieldlog_messages_sent_total", "Messages, photos, files and edits Telegram accepted.")
	m.failed = f.counter("fieldlog_send_failures_total", "Sends Telegram refused or that failed, after retries (a user who blocked the bot included).")
	m.tooMany = f.counter("fieldlog_telegram_429_total", "Answers 429 Too Many Requests from Telegram.")
	m.records = f.counter("fieldlog_records_saved_total", "Activity records saved (new ones, not edits).")
	m.reports = f.counter("fieldlog_reports_compiled_total", "Half-year reports compiled and sent.")
	m.reminders = f.counter("fieldlog_reminders_sent_total", "Reminders and digests delivered.")
	if backlog != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "fieldlog_inbox_backlog",
			Help: "Updates recorded and not yet handled (handled ones leave within a second; -1: the store could not be asked).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := backlog(ctx)
			if err != nil {
				log.Warn("metrics: count the inbox backlog", "err", err)
				return -1
			}
			return float64(n)
		}))
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// registrar makes and registers metrics.
type registrar struct{ reg *prometheus.Registry }

func (f registrar) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f registrar) counterVec(name, help, label string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
	f.reg.MustRegister(c)
	return c
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// UpdateReceived counts an update recorded (bot.Observer).
func (m *Metrics) UpdateReceived(kind string) { m.received.WithLabelValues(kind).Inc() }

// UpdateHandled counts an update answered and how long it took
// (bot.Observer).
func (m *Metrics) UpdateHandled(kind string, took time.Duration) {
	m.handled.WithLabelValues(kind).Inc()
	m.latency.WithLabelValues(kind).Observe(took.Seconds())
}

// Sent counts a send and whether it failed (bot.Observer).
func (m *Metrics) Sent(err error) {
	if err != nil {
		m.failed.Inc()
		return
	}
	m.sent.Inc()
}

// TooManyRequests counts a 429 (bot.Observer).
func (m *Metrics) TooManyRequests() { m.tooMany.Inc() }

// RecordSaved counts a new record (office.Observer).
func (m *Metrics) RecordSaved() { m.records.Inc() }

// ReportCompiled counts a report compiled (office.Observer).
func (m *Metrics) ReportCompiled() { m.reports.Inc() }

// ReminderSent counts a reminder delivered.
func (m *Metrics) ReminderSent() { m.reminders.Inc() }
