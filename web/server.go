package web

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"fieldlog"
	"fieldlog/fonts"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/statuschart"
)

// SessionTTL is how long a web session lives without use; each use
// extends it.
const SessionTTL = 30 * 24 * time.Hour

// Limits on uploads, the defaults of Config's.
const (
	DefaultMaxPhotoBytes  = 10 << 20 // one photo as uploaded
	DefaultMaxUploadBytes = 40 << 20 // a whole form, photos included
	DefaultMaxPixels      = 40e6     // width × height of one photo
	// PhotoLongSide is the long side, in pixels, photos are stored at most.
	PhotoLongSide = 1600
)

// Cookies.
const (
	cookieSession = "fl_session" // the session's token
	cookiePre     = "fl_pre"     // before sign-in: the double-submit CSRF token
	cookieLang    = "fl_lang"    // signed out: the language chosen
	cookieLayout  = "fl_layout"  // "h": Mongolian laid out horizontally
)

// Stores is what the server keeps of signing in.
type Stores interface {
	fieldlog.WebSessions
	fieldlog.SignInLinks
	fieldlog.Tries
}

// Config holds the server's dependencies.
type Config struct {
	Office *office.Office
	// Stores keeps sessions, sign-in links and tries (MongoDB in
	// production, so that a restart keeps users signed in).
	Stores Stores
	// Photos keeps uploaded photos.
	Photos fieldlog.PhotoFiles
	// ChannelPhotos fetches the photos officers sent in a chat, which the
	// channel keeps (bot.Telegram.ChannelPhoto); nil shows only uploaded
	// ones.
	ChannelPhotos ChannelPhotos
	Messages      *locales.Messages
	// BotToken checks a Mini App's initData; empty refuses every one.
	BotToken string
	// BotUsername is the bot's Telegram username, for the deep link that
	// links a Telegram account; empty gives only the command to send.
	BotUsername string
	// BaseURL is the public address in front of the server
	// (FIELDLOG_WEB_URL); the pages live under BaseURL/web/. Cookies are
	// Secure when it is https.
	BaseURL string
	// CSRFKey signs the forms' CSRF tokens: at least 32 secret bytes.
	CSRFKey []byte
	// TrustProxy takes the client's address from the last hop of
	// X-Forwarded-For, for the tries counted per address. Set it only
	// behind a proxy that sets that header; without it the address is
	// the connection's, which behind a proxy is the proxy's (every
	// visitor would then share one count).
	TrustProxy bool
	// Limits on uploads; zero takes the Default ones.
	MaxPhotoBytes, MaxUploadBytes int64
	MaxPixels                     int
	// Charts draws the status chart; nil makes one at the first chart.
	Charts *statuschart.Renderer
	// Now returns the current time; tests set it.
	Now    func() time.Time
	Logger *slog.Logger
}

// Server serves the web page.
type Server struct {
	cfg     Config
	decodes chan struct{} // a token per photo being decoded
	csrf    *CSRF
	secure  bool
	tmpl    map[string]*template.Template
	log     *slog.Logger
	now     func() time.Time

	reports   reportSlots // one report compiled at a time per user
	chartOnce sync.Once
	chartR    *statuschart.Renderer
	chartErr  error
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// New returns a server.
func New(cfg Config) (*Server, error) {
	if cfg.Office == nil || cfg.Stores == nil || cfg.Photos == nil || cfg.Messages == nil {
		return nil, errors.New("web server: Office, Stores, Photos and Messages are needed")
	}
	csrf, err := NewCSRF(cfg.CSRFKey)
	if err != nil {
		return nil, fmt.Errorf("web server: %w", err)
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (cfg.BaseURL != "" && base.Host == "") {
		return nil, fmt.Errorf("web server: base URL %q is not an absolute address", cfg.BaseURL)
	}
	cfg.MaxPhotoBytes = cmp.Or(cfg.MaxPhotoBytes, DefaultMaxPhotoBytes)
	cfg.MaxUploadBytes = cmp.Or(cfg.MaxUploadBytes, DefaultMaxUploadBytes)
	cfg.MaxPixels = cmp.Or(cfg.MaxPixels, DefaultMaxPixels)
	s := &Server{cfg: cfg, csrf: csrf, secure: base.Scheme == "https", log: cfg.Logger, now: cfg.Now,
		decodes: make(chan struct{}, runtime.NumCPU())}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) parseTemplates() error {
	pages, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return err
	}
	s.tmpl = map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue // the layout, and parts several pages share
		}
		t, err := template.New("layout.html").Funcs(template.FuncMap{}).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", p)
		if err != nil {
			return fmt.Errorf("web server: template %s: %w", name, err)
		}
		s.tmpl[name] = t
	}
	return nil
}

// Handler serves the pages under /web/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /web/{$}", s.page(s.home))
	mux.HandleFunc("GET /web/login", s.page(s.loginPage))
	mux.HandleFunc("POST /web/login", s.page(s.login))
	mux.HandleFunc("POST /web/tg", s.page(s.telegram))
	mux.HandleFunc("POST /web/join", s.page(s.join))
	mux.HandleFunc("POST /web/logout", s.page(s.logout))
	mux.HandleFunc("POST /web/telegram", s.page(s.signedIn(s.telegramLink)))
	mux.HandleFunc("POST /web/telegram/unlink", s.page(s.signedIn(s.telegramUnlink)))
	mux.HandleFunc("GET /web/lang", s.page(s.setLang))
	mux.HandleFunc("GET /web/layout", s.page(s.setLayout))
	mux.HandleFunc("GET /web/log", s.page(s.signedIn(s.logForm)))
	mux.HandleFunc("POST /web/log", s.page(s.signedIn(s.logPost)))
	mux.HandleFunc("GET /web/my", s.page(s.signedIn(s.myList)))
	mux.HandleFunc("GET /web/records", s.page(s.signedIn(s.subtreeList)))
	mux.HandleFunc("GET /web/r/{id}", s.page(s.signedIn(s.record)))
	mux.HandleFunc("GET /web/r/{id}/edit", s.page(s.signedIn(s.editForm)))
	mux.HandleFunc("POST /web/r/{id}/edit", s.page(s.signedIn(s.editPost)))
	mux.HandleFunc("GET /web/r/{id}/delete", s.page(s.signedIn(s.deleteConfirm)))
	mux.HandleFunc("POST /web/r/{id}/delete", s.page(s.signedIn(s.deletePost)))
	mux.HandleFunc("GET /web/r/{id}/photo/{n}", s.page(s.signedIn(s.photo)))
	mux.HandleFunc("POST /web/r/{id}/return", s.page(s.signedIn(s.returnPost)))
	mux.HandleFunc("POST /web/r/{id}/confirm", s.page(s.signedIn(s.confirmPost)))
	mux.HandleFunc("GET /web/status", s.page(s.signedIn(s.statusPage)))
	mux.HandleFunc("GET /web/status.png", s.page(s.signedIn(s.statusChart)))
	mux.HandleFunc("GET /web/notes", s.page(s.signedIn(s.notesPage)))
	mux.HandleFunc("POST /web/notes/add", s.page(s.signedIn(s.noteAdd)))
	mux.HandleFunc("POST /web/notes/delete", s.page(s.signedIn(s.noteDelete)))
	mux.HandleFunc("GET /web/report", s.page(s.signedIn(s.reportPage)))
	mux.HandleFunc("GET /web/report/{kind}", s.page(s.signedIn(s.reportFile)))
	mux.Handle("GET /web/static/", s.static())
	mux.HandleFunc("/web/", s.page(func(r *req) error { return r.notFound() }))
	return s.headers(mux)
}

// headers sets what every answer carries. The page may be framed by
// Telegram's web clients only, for the Mini App there.
func (s *Server) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'self' https://web.telegram.org")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// static serves the CSS, the script and the font, for a long time: their
// addresses carry no version, so a change must rename the file.
func (s *Server) static() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/web/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "mongolian.ttf" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			w.Header().Set("Content-Type", "font/ttf")
			http.ServeContent(w, r, "mongolian.ttf", time.Time{}, bytes.NewReader(fonts.MongolianTTF))
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	}))
}

// req is one request as the handlers see it.
type req struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	ctx     context.Context
	user    fieldlog.User // zero when signed out
	session fieldlog.TokenHash
	lang    fieldlog.Lang
}

// page wraps a handler: finds the session, the language, and turns an
// error into a page.
func (s *Server) page(h func(*req) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := &req{s: s, w: w, r: r, ctx: r.Context(), lang: fieldlog.Chinese}
		if c, err := r.Cookie(cookieSession); err == nil && c.Value != "" {
			q.findSession(c.Value)
		}
		if q.user.ID != 0 {
			q.lang = cmp.Or(q.user.Lang, fieldlog.Chinese)
		} else if c, err := r.Cookie(cookieLang); err == nil && fieldlog.Lang(c.Value).Valid() {
			q.lang = fieldlog.Lang(c.Value)
		}
		w.Header().Set("Cache-Control", "no-store")
		if r.Method == http.MethodPost && !q.parseBody() {
			return
		}
		if err := h(q); err != nil {
			s.log.Error("web page failed", "path", r.URL.Path, "user", q.user.ID, "err", err)
			q.w.WriteHeader(http.StatusInternalServerError)
			q.render("message", map[string]any{"Text": q.tr("web_error")})
		}
	}
}

// findSession takes the session of the cookie's token, if it is alive
// and its user still joined.
func (q *req) findSession(token string) {
	h := fieldlog.HashToken(token)
	now := q.s.now()
	sess, err := q.s.cfg.Stores.Session(q.ctx, h, now)
	if err != nil {
		return
	}
	u, err := q.s.cfg.Office.SignedIn(q.ctx, sess.UserID)
	if err != nil {
		return
	}
	// Extended at most hourly: a write per page would be waste.
	if now.Sub(sess.SeenAt) > time.Hour {
		if err := q.s.cfg.Stores.TouchSession(q.ctx, h, now, now.Add(SessionTTL)); err != nil {
			q.s.log.Warn("web session not extended", "user", u.ID, "err", err)
		}
	}
	q.user, q.session = u, h
}

// signedIn refuses a handler to someone signed out: the sign-in page.
func (s *Server) signedIn(h func(*req) error) func(*req) error {
	return func(q *req) error {
		if q.user.ID == 0 {
			if q.r.Method == http.MethodGet {
				http.Redirect(q.w, q.r, "/web/", http.StatusSeeOther)
				return nil
			}
			q.w.WriteHeader(http.StatusForbidden)
			return q.render("message", map[string]any{"Text": q.tr("web_signed_out")})
		}
		if q.r.Method == http.MethodPost && !q.validCSRF() {
			return q.csrfRefused()
		}
		return h(q)
	}
}

// csrfToken is the token this request's forms carry: the session's, or
// before sign-in that of the double-submit cookie, set here if missing.
func (q *req) csrfToken() string {
	if q.user.ID != 0 {
		return q.s.csrf.Token(q.session)
	}
	if c, err := q.r.Cookie(cookiePre); err == nil && c.Value != "" {
		return q.s.csrf.Token(fieldlog.HashToken(c.Value))
	}
	pre := NewToken()
	q.setCookie(cookiePre, pre, 0)
	// Seen by later calls within this request too.
	q.r.AddCookie(&http.Cookie{Name: cookiePre, Value: pre})
	return q.s.csrf.Token(fieldlog.HashToken(pre))
}

// validCSRF checks the form's token against the session, or before
// sign-in against the double-submit cookie.
func (q *req) validCSRF() bool {
	token := q.r.PostFormValue("csrf")
	if q.user.ID != 0 {
		return q.s.csrf.Valid(q.session, token)
	}
	c, err := q.r.Cookie(cookiePre)
	if err != nil || c.Value == "" {
		return false
	}
	return q.s.csrf.Valid(fieldlog.HashToken(c.Value), token)
}

func (q *req) csrfRefused() error {
	q.w.WriteHeader(http.StatusForbidden)
	return q.render("message", map[string]any{"Text": q.tr("web_form_stale")})
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for /web/; maxAge 0
// keeps it for the browser's session, below 0 deletes it.
func (q *req) setCookie(name, value string, maxAge int) {
	http.SetCookie(q.w, &http.Cookie{Name: name, Value: value, Path: "/web/", MaxAge: maxAge,
		HttpOnly: true, Secure: q.s.secure, SameSite: http.SameSiteLaxMode})
}

// remoteAddr is the address tries are counted for.
func (q *req) remoteAddr() string {
	if q.s.cfg.TrustProxy {
		if xff := q.r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(hops[len(hops)-1]); last != "" {
				return last
			}
		}
	}
	host, _, err := net.SplitHostPort(q.r.RemoteAddr)
	if err != nil {
		return q.r.RemoteAddr
	}
	return host
}

func (q *req) tr(id string, kv ...any) string { return q.s.cfg.Messages.Textf(q.lang, id, kv...) }

// vertical reports whether the page is written vertically: Mongolian,
// unless the visitor switched to horizontal.
func (q *req) vertical() bool {
	if q.lang != fieldlog.Mongolian {
		return false
	}
	c, err := q.r.Cookie(cookieLayout)
	return err != nil || c.Value != "h"
}

// render writes page name with data, in the layout.
func (q *req) render(name string, data map[string]any) error {
	t, ok := q.s.tmpl[name]
	if !ok {
		return fmt.Errorf("no template %s", name)
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Lang"] = string(q.lang)
	data["Vertical"] = q.vertical()
	data["Mongolian"] = q.lang == fieldlog.Mongolian
	data["CSRF"] = q.csrfToken()
	data["User"] = q.user
	data["SignedIn"] = q.user.ID != 0
	data["T"] = q.texts()
	if _, ok := data["Path"]; !ok {
		data["Path"] = q.r.URL.Path
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := q.w.Write(buf.Bytes())
	return err
}

// texts are the page's fixed strings, by message id.
func (q *req) texts() map[string]string {
	m := map[string]string{}
	for _, id := range pageTexts {
		m[id] = q.tr(id)
	}
	return m
}

func (q *req) notFound() error {
	q.w.WriteHeader(http.StatusNotFound)
	return q.render("message", map[string]any{"Text": q.tr("record_gone")})
}

func (q *req) forbidden() error {
	q.w.WriteHeader(http.StatusForbidden)
	return q.render("message", map[string]any{"Text": q.tr("not_allowed")})
}

func (q *req) redirect(path string) error {
	http.Redirect(q.w, q.r, path, http.StatusSeeOther)
	return nil
}

// ChannelPhotos fetches a photo a channel keeps: its bytes and type, or
// fieldlog.ErrNotFound.
type ChannelPhotos interface {
	ChannelPhoto(ctx context.Context, p fieldlog.Photo) ([]byte, string, error)
}
