package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// The operator's endpoints, on FIELDLOG_HTTP_ADDR beside the webhook.

// check is one thing the bot needs to work, asked by /readyz.
type check struct {
	name string
	ping func(context.Context) error
}

// operatorMux serves /healthz (the process answers), /readyz (every check
// passes; 503 and which failed otherwise), /metrics, and the webhook at
// its path when there is one.
func operatorMux(checks []check, metrics http.Handler, webhookPath string, webhook http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		status, body := http.StatusOK, ""
		for _, c := range checks {
			if err := c.ping(ctx); err != nil {
				status = http.StatusServiceUnavailable
				// Errors name servers, never credentials (both are redacted
				// where they are made).
				body += c.name + ": " + err.Error() + "\n"
				continue
			}
			body += c.name + ": ok\n"
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
	mux.Handle("GET /metrics", metrics)
	if webhook != nil {
		mux.Handle(webhookPath, webhook)
	}
	return mux
}

// serveHTTP listens on addr and serves h until stop is called, which shuts
// the server down, letting requests in progress finish until its ctx
// ends.
// It reports the address it listens on to listening, if not nil.
func serveHTTP(addr string, h http.Handler, logger *slog.Logger, listening func(net.Addr)) (stop func(context.Context), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("FIELDLOG_HTTP_ADDR: listen on %s: %w", addr, err)
	}
	if listening != nil {
		listening(ln.Addr())
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("http server", "err", err)
		}
	}()
	logger.Info("http listening", "addr", ln.Addr().String())
	return func(ctx context.Context) {
		if err := srv.Shutdown(ctx); err != nil {
			logger.Warn("http server shutdown", "err", err)
			_ = srv.Close()
		}
		<-done
	}, nil
}
