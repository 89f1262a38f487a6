package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // sendPhoto accepts what Telegram accepts and the standard library decodes
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// maxRequest is Telegram's upload limit for bots.
const maxRequest = 50 << 20

// Telegram's limits, in UTF-16 code units after entity parsing.
const (
	maxText    = 4096
	maxCaption = 1024
)

func unauthorized() *apiError {
	return &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"}
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// ServeHTTP serves the Bot API under /bot<token>/<method> and file downloads
// under /file/bot<token>/<file_path>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	tok, method, _ := strings.Cut(rest, "/")
	if tok != s.token {
		writeError(w, unauthorized())
		return
	}
	result, aerr := s.call(r, method)
	s.mu.Lock()
	hold := s.holds[strings.ToLower(method)]
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-s.done:
		case <-r.Context().Done():
		}
	}
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	body, err := json.Marshal(struct {
		OK     bool `json:"ok"`
		Result any  `json:"result"`
	}{true, result})
	if err != nil {
		writeError(w, &apiError{code: http.StatusInternalServerError, desc: "bottest: marshal result: " + err.Error()})
		return
	}
	_, _ = w.Write(body)
}

// countError counts the answers tests ask about. Callers hold s.mu.
func (s *Server) countError(e *apiError) {
	switch {
	case e == nil:
	case e.code == http.StatusTooManyRequests:
		s.answered429++
	case e.code == http.StatusForbidden:
		s.answered403++
	}
}

func writeError(w http.ResponseWriter, e *apiError) {
	type parameters struct {
		RetryAfter int `json:"retry_after,omitempty"`
	}
	body := struct {
		OK          bool        `json:"ok"`
		ErrorCode   int         `json:"error_code"`
		Description string      `json:"description"`
		Parameters  *parameters `json:"parameters,omitempty"`
	}{ErrorCode: e.code, Description: e.desc}
	if e.retryAfter > 0 {
		body.Parameters = &parameters{RetryAfter: e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	_ = json.NewEncoder(w).Encode(body)
}

// call counts the call, applies injected failures and runs the method.
func (s *Server) call(r *http.Request, method string) (any, *apiError) {
	key := strings.ToLower(method) // Telegram's method names are case-insensitive
	s.mu.Lock()
	s.calls[key]++
	if queued := s.failures[key]; len(queued) > 0 {
		s.failures[key] = queued[1:]
		s.countError(&queued[0])
		s.mu.Unlock()
		return nil, &queued[0]
	}
	s.mu.Unlock()

	p, err := parseParams(r)
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return nil, &apiError{code: http.StatusRequestEntityTooLarge, desc: "Request Entity Too Large"}
		}
		return nil, badRequest("%v", err)
	}
	s.mu.Lock()
	aerr := s.admit(key, p.str("chat_id"))
	s.countError(aerr)
	s.mu.Unlock()
	if aerr != nil {
		return nil, aerr
	}
	switch key {
	case "getme":
		u := s.botUser
		return &u, nil
	case "getupdates":
		s.mu.Lock()
		hooked := s.hook != nil
		s.mu.Unlock()
		if hooked {
			return nil, webhookConflict()
		}
		return s.getUpdates(r.Context(), p)
	case "sendmessage":
		return s.sendMessage(p)
	case "editmessagetext":
		return s.editMessageText(p)
	case "editmessagereplymarkup":
		return s.editMessageReplyMarkup(p)
	case "deletemessage":
		return s.deleteMessage(p)
	case "answercallbackquery":
		return s.answerCallbackQuery(p)
	case "sendphoto":
		return s.sendMedia(p, "photo")
	case "senddocument":
		return s.sendMedia(p, "document")
	case "getfile":
		return s.getFile(p)
	case "setmycommands":
		return s.setMyCommands(p)
	case "getmycommands":
		return s.getMyCommands(p)
	case "deletemycommands":
		return s.deleteMyCommands(p)
	case "sendchataction":
		return s.sendChatAction(p)
	case "setwebhook":
		return s.setWebhook(p)
	case "deletewebhook":
		return s.deleteWebhook(p)
	case "getwebhookinfo":
		return s.getWebhookInfo()
	case "setchatmenubutton":
		return s.setChatMenuButton(p)
	default:
		return nil, &apiError{code: http.StatusNotFound, desc: "Not Found"}
	}
}

// ---- request parameters ----

// params are a request's fields: all values as strings (nested objects as
// their JSON text, as go-telegram/bot sends them) and uploaded files.
type params struct {
	values map[string]string
	files  map[string]upload
}

type upload struct {
	name string
	data []byte
}

// parseParams reads query, multipart, url-encoded and JSON bodies alike.
func parseParams(r *http.Request) (params, error) {
	p := params{values: map[string]string{}, files: map[string]upload{}}
	for k, v := range r.URL.Query() {
		p.values[k] = v[0]
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxRequest))
	if err != nil {
		return p, err
	}
	// go-telegram/bot sends an empty multipart body for methods without
	// parameters (getMe): no parts, not even the closing boundary.
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), ctParams["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return p, fmt.Errorf("can't parse multipart body: %v", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return p, fmt.Errorf("can't parse multipart body: %v", err)
			}
			if part.FileName() != "" {
				p.files[part.FormName()] = upload{name: part.FileName(), data: data}
			} else {
				p.values[part.FormName()] = string(data)
			}
		}
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return p, fmt.Errorf("can't parse url-encoded body: %v", err)
		}
		for k, v := range form {
			p.values[k] = v[0]
		}
	case "application/json":
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return p, fmt.Errorf("can't parse JSON body: %v", err)
		}
		for k, raw := range fields {
			var str string
			switch {
			case json.Unmarshal(raw, &str) == nil:
				p.values[k] = str
			case string(raw) != "null":
				p.values[k] = string(raw)
			}
		}
	default:
		return p, fmt.Errorf("unsupported Content-Type %q", ct)
	}
	return p, nil
}

func (p params) str(key string) string { return p.values[key] }

func (p params) boolean(key string) bool {
	v := p.values[key]
	return v == "true" || v == "1" || v == "True"
}

// integer returns the value or def if it is absent.
func (p params) integer(key string, def int64) (int64, *apiError) {
	v, ok := p.values[key]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", key)
	}
	return n, nil
}

// chat resolves chat_id to a chat the server knows. Callers hold s.mu.
func (s *Server) chat(p params) (*chatState, *apiError) {
	v := p.str("chat_id")
	if v == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || s.chats[id] == nil {
		return nil, badRequest("chat not found")
	}
	return s.chats[id], nil
}

// botMessage resolves chat_id and message_id to a message the bot sent.
// Callers hold s.mu.
func (s *Server) botMessage(p params, notFound string) (*chatState, *sentMessage, *apiError) {
	if p.str("inline_message_id") != "" {
		return nil, nil, badRequest("inline messages are not supported by bottest")
	}
	c, aerr := s.chat(p)
	if aerr != nil {
		return nil, nil, aerr
	}
	id, aerr := p.integer("message_id", 0)
	if aerr != nil {
		return nil, nil, aerr
	}
	if id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m := c.sent[int(id)]
	if m == nil || m.deleted {
		return nil, nil, badRequest("%s", notFound)
	}
	return c, m, nil
}

// ---- reply markup ----

// markup is a decoded reply_markup.
type markup struct {
	present bool
	inline  *models.InlineKeyboardMarkup
	reply   [][]string
	remove  bool
	force   bool
}

func parseMarkup(raw string) (markup, *apiError) {
	if raw == "" {
		return markup{}, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return markup{}, badRequest("can't parse reply keyboard markup JSON object")
	}
	m := markup{present: true}
	switch {
	case fields["inline_keyboard"] != nil:
		var kb models.InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(raw), &kb); err != nil {
			return markup{}, badRequest("can't parse inline keyboard button: %v", err)
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if aerr := checkInlineButton(b); aerr != nil {
					return markup{}, aerr
				}
			}
		}
		m.inline = &kb
	case fields["keyboard"] != nil:
		var rows [][]json.RawMessage
		if err := json.Unmarshal(fields["keyboard"], &rows); err != nil {
			return markup{}, badRequest("can't parse keyboard button: %v", err)
		}
		for _, row := range rows {
			var texts []string
			for _, b := range row {
				// A button is either a string or a KeyboardButton object.
				var text string
				if json.Unmarshal(b, &text) != nil {
					var kb models.KeyboardButton
					if err := json.Unmarshal(b, &kb); err != nil {
						return markup{}, badRequest("can't parse keyboard button: %v", err)
					}
					text = kb.Text
					if kb.WebApp != nil && !strings.HasPrefix(kb.WebApp.URL, "https://") {
						return markup{}, badRequest("BUTTON_URL_INVALID")
					}
				}
				if text == "" {
					return markup{}, badRequest("keyboard button text is empty")
				}
				texts = append(texts, text)
			}
			m.reply = append(m.reply, texts)
		}
	case fields["remove_keyboard"] != nil:
		m.remove = string(fields["remove_keyboard"]) == "true"
	case fields["force_reply"] != nil:
		m.force = string(fields["force_reply"]) == "true"
	default:
		return markup{}, badRequest("can't find field \"inline_keyboard\"")
	}
	return m, nil
}

// checkInlineButton applies the checks of Telegram that bots trip over.
func checkInlineButton(b models.InlineKeyboardButton) *apiError {
	if b.Text == "" {
		return badRequest("can't parse inline keyboard button: Text must be non-empty")
	}
	if len(b.CallbackData) > 64 {
		return badRequest("BUTTON_DATA_INVALID")
	}
	if b.URL != "" {
		u, err := url.Parse(b.URL)
		if err != nil || !slices.Contains([]string{"http", "https", "tg"}, u.Scheme) || u.Scheme != "tg" && u.Host == "" {
			return badRequest("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", b.URL)
		}
	}
	// A Mini App opens only from HTTPS.
	if b.WebApp != nil && !strings.HasPrefix(b.WebApp.URL, "https://") {
		return badRequest("BUTTON_URL_INVALID")
	}
	// go-telegram/bot always sends "copy_text":{"text":""}: an empty
	// copy_text is no action.
	hasAction := b.URL != "" || b.CallbackData != "" || b.WebApp != nil || b.LoginURL != nil ||
		b.SwitchInlineQuery != "" || b.SwitchInlineQueryCurrentChat != "" ||
		b.SwitchInlineQueryChosenChat != nil || b.CopyText.Text != "" || b.CallbackGame != nil || b.Pay
	if !hasAction {
		return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	return nil
}

// ---- methods ----

// getUpdates answers at once if updates are pending, else waits up to timeout
// seconds for one. The offset confirms (drops) updates below it that were
// returned before; an update queued again by Deliver or Redeliver is returned
// once even if its id is below the offset, which is how redelivery reaches a
// bot that already moved on.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	offset, aerr := p.integer("offset", 0)
	if aerr != nil {
		return nil, aerr
	}
	limit, aerr := p.integer("limit", 100)
	if aerr != nil {
		return nil, aerr
	}
	limit = min(max(limit, 1), 100)
	timeout, aerr := p.integer("timeout", 0)
	if aerr != nil {
		return nil, aerr
	}
	result := []json.RawMessage{}
	take := func() bool {
		if offset > 0 {
			s.queue = slices.DeleteFunc(s.queue, func(q queuedUpdate) bool { return q.sent && q.id < offset })
			if offset > s.confirmed {
				s.confirmed = offset
				s.notify()
			}
		}
		if len(s.queue) == 0 {
			return false
		}
		// Ascending ids, as Telegram sends them: go-telegram/bot confirms the
		// last id of a batch, so a lower id last would make it re-read the rest.
		sort.SliceStable(s.queue, func(i, j int) bool { return s.queue[i].id < s.queue[j].id })
		for i := range s.queue[:min(int64(len(s.queue)), limit)] {
			s.queue[i].sent = true
			result = append(result, s.queue[i].raw)
		}
		return true
	}
	if timeout <= 0 {
		s.mu.Lock()
		take()
		s.mu.Unlock()
	} else {
		s.wait(ctx, time.Duration(timeout)*time.Second, take)
	}
	return result, nil
}

// messageText checks and renders the text of sendMessage or
// editMessageText as Telegram would; tooLong is Telegram's error for each.
func messageText(p params, tooLong string) (visible string, entities []models.MessageEntity, text, mode string, aerr *apiError) {
	text, mode = p.str("text"), p.str("parse_mode")
	visible, entities, aerr = render(text, mode)
	if aerr != nil {
		return "", nil, "", "", aerr
	}
	if strings.TrimSpace(visible) == "" {
		return "", nil, "", "", badRequest("message text is empty")
	}
	if utf16Len(visible) > maxText {
		return "", nil, "", "", badRequest("%s", tooLong)
	}
	return visible, entities, text, mode, nil
}

func (s *Server) sendMessage(p params) (any, *apiError) {
	visible, entities, text, mode, aerr := messageText(p, "message is too long")
	if aerr != nil {
		return nil, aerr
	}
	mk, aerr := parseMarkup(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chat(p)
	if aerr != nil {
		return nil, aerr
	}
	m := s.newSent(c, mk)
	m.raw.Text, m.raw.Entities, m.source, m.parseMode = visible, entities, text, mode
	s.record(c, m)
	return cloneModel(m.raw), nil
}

// newSent creates a bot message in the chat. Callers hold s.mu and call
// record once they filled it in.
func (s *Server) newSent(c *chatState, mk markup) *sentMessage {
	c.lastMsgID++
	from := s.botUser
	m := &sentMessage{
		raw: models.Message{
			ID:          c.lastMsgID,
			From:        &from,
			Date:        int(time.Now().Unix()),
			Chat:        c.chat,
			ReplyMarkup: mk.inline,
		},
		reply:      mk.reply,
		remove:     mk.remove,
		forceReply: mk.force,
	}
	c.sent[m.raw.ID] = m
	c.order = append(c.order, m.raw.ID)
	return m
}

// editMessageText replaces text and inline keyboard. As on Telegram, no
// reply_markup removes the keyboard, and an edit that changes nothing fails
// with "message is not modified".
func (s *Server) editMessageText(p params) (any, *apiError) {
	visible, entities, text, mode, aerr := messageText(p, "MESSAGE_TOO_LONG")
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, mk, aerr := s.editTarget(p)
	if aerr != nil {
		return nil, aerr
	}
	if m.photo != nil || m.document != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	if text == m.source && mode == m.parseMode && sameKeyboard(mk.inline, m.raw.ReplyMarkup) {
		return nil, notModified()
	}
	m.raw.Text, m.raw.Entities, m.source, m.parseMode = visible, entities, text, mode
	s.edited(c, m, mk.inline)
	return cloneModel(m.raw), nil
}

// editTarget reads the new inline keyboard of an edit and finds the bot's
// message it applies to. Callers hold s.mu.
func (s *Server) editTarget(p params) (*chatState, *sentMessage, markup, *apiError) {
	mk, aerr := parseMarkup(p.str("reply_markup"))
	if aerr != nil {
		return nil, nil, mk, aerr
	}
	if mk.present && mk.inline == nil {
		return nil, nil, mk, badRequest("inline keyboard expected")
	}
	c, m, aerr := s.botMessage(p, "message to edit not found")
	return c, m, mk, aerr
}

func (s *Server) editMessageReplyMarkup(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, mk, aerr := s.editTarget(p)
	if aerr != nil {
		return nil, aerr
	}
	if sameKeyboard(mk.inline, m.raw.ReplyMarkup) {
		return nil, notModified()
	}
	s.edited(c, m, mk.inline)
	return cloneModel(m.raw), nil
}

func notModified() *apiError {
	return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
}

// edited finishes an edit: new keyboard, edit date, a new version.
func (s *Server) edited(c *chatState, m *sentMessage, kb *models.InlineKeyboardMarkup) {
	if kb != nil && len(kb.InlineKeyboard) == 0 {
		kb = nil // an empty keyboard is no keyboard
	}
	m.raw.ReplyMarkup = kb
	m.raw.EditDate = int(time.Now().Unix())
	m.edits++
	s.record(c, m)
}

func sameKeyboard(a, b *models.InlineKeyboardMarkup) bool {
	if a != nil && len(a.InlineKeyboard) == 0 {
		a = nil
	}
	if b != nil && len(b.InlineKeyboard) == 0 {
		b = nil
	}
	if a == nil || b == nil {
		return a == b
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func (s *Server) deleteMessage(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chat(p)
	if aerr != nil {
		return nil, aerr
	}
	id, aerr := p.integer("message_id", 0)
	if aerr != nil {
		return nil, aerr
	}
	m := c.sent[int(id)]
	switch {
	case m != nil && !m.deleted:
		m.deleted = true
		s.record(c, m)
	case m == nil && id > 0 && int(id) <= c.lastMsgID:
		// A user's message: bots may delete those in private chats.
	default:
		return nil, badRequest("message to delete not found")
	}
	return true, nil
}

// answerCallbackQuery records the answer. A query can be answered once, as
// on Telegram, where a second answer fails like an expired one.
func (s *Server) answerCallbackQuery(p params) (any, *apiError) {
	cacheTime, aerr := p.integer("cache_time", 0)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := p.str("callback_query_id")
	cb := s.callbacks[id]
	if cb == nil || cb.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	cb.answered = true
	s.answers = append(s.answers, CallbackAnswer{
		QueryID:   id,
		UpdateID:  cb.updateID,
		Text:      p.str("text"),
		ShowAlert: p.boolean("show_alert"),
		URL:       p.str("url"),
		CacheTime: int(cacheTime),
	})
	s.notify()
	return true, nil
}

// sendMedia serves sendPhoto and sendDocument (field "photo" or "document"):
// an uploaded file part, "attach://<part>", or the file_id of a known file.
func (s *Server) sendMedia(p params, field string) (any, *apiError) {
	caption, mode := p.str("caption"), p.str("parse_mode")
	visible, entities, aerr := render(caption, mode)
	if aerr != nil {
		return nil, aerr
	}
	if utf16Len(visible) > maxCaption {
		return nil, badRequest("message caption is too long")
	}
	mk, aerr := parseMarkup(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	up, hasUpload := p.files[field]
	if ref, ok := strings.CutPrefix(p.str(field), "attach://"); ok {
		up, hasUpload = p.files[ref]
	}
	var width, height int
	if hasUpload {
		if len(up.data) == 0 {
			return nil, badRequest("file must be non-empty")
		}
		if field == "photo" {
			cfg, _, err := image.DecodeConfig(bytes.NewReader(up.data))
			if err != nil {
				return nil, badRequest("IMAGE_PROCESS_FAILED")
			}
			if cfg.Width+cfg.Height > 10000 || max(cfg.Width, cfg.Height) > 20*min(cfg.Width, cfg.Height) {
				return nil, badRequest("PHOTO_INVALID_DIMENSIONS")
			}
			if len(up.data) > 10<<20 {
				return nil, badRequest("file is too big")
			}
			width, height = cfg.Width, cfg.Height
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c, aerr := s.chat(p)
	if aerr != nil {
		return nil, aerr
	}
	var f *File
	switch {
	case hasUpload && field == "photo":
		f = s.newFile("photos", path.Ext(up.name), "", mimeType(up.name), up.data)
		f.Width, f.Height = width, height
	case hasUpload:
		f = s.newFile("documents", path.Ext(up.name), up.name, mimeType(up.name), up.data)
	case p.str(field) == "":
		return nil, badRequest("there is no %s in the request", field)
	default:
		// No internet here: URLs can not be fetched, so only known ids work.
		f = s.files[p.str(field)]
		if f == nil {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
	}
	m := s.newSent(c, mk)
	m.raw.Caption, m.raw.CaptionEntities, m.captionSource, m.parseMode = visible, entities, caption, mode
	if field == "photo" {
		m.photo = f
		m.raw.Photo = []models.PhotoSize{photoSize(f)}
	} else {
		m.document = f
		m.raw.Document = document(f)
	}
	s.record(c, m)
	return cloneModel(m.raw), nil
}

func (s *Server) getFile(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[p.str("file_id")]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	return &models.File{FileID: f.ID, FileUniqueID: f.UniqueID, FileSize: int64(len(f.Data)), FilePath: f.Path}, nil
}

// serveFile serves GET /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, rest string) {
	tok, filePath, _ := strings.Cut(rest, "/")
	if tok != s.token {
		writeError(w, unauthorized())
		return
	}
	s.mu.Lock()
	f := s.paths[filePath]
	var data []byte
	if f != nil {
		data = f.Data // never modified after creation
	}
	s.mu.Unlock()
	if f == nil {
		writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", f.MimeType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// setChatMenuButton sets the default menu button (no chat_id) or one
// chat's. A web_app button must open an HTTPS address, as on Telegram.
func (s *Server) setChatMenuButton(p params) (any, *apiError) {
	var b struct {
		Type   string `json:"type"`
		Text   string `json:"text"`
		WebApp *struct {
			URL string `json:"url"`
		} `json:"web_app"`
	}
	if raw := p.str("menu_button"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &b); err != nil {
			return nil, badRequest("can't parse menu button JSON object")
		}
	}
	switch b.Type {
	case "", "default", "commands":
	case "web_app":
		if b.Text == "" || b.WebApp == nil || !strings.HasPrefix(b.WebApp.URL, "https://") {
			return nil, badRequest("BUTTON_URL_INVALID")
		}
	default:
		return nil, badRequest("unsupported menu button type")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.menuButtons == nil {
		s.menuButtons = map[string]MenuButton{}
	}
	mb := MenuButton{Type: b.Type, Text: b.Text}
	if b.WebApp != nil {
		mb.WebAppURL = b.WebApp.URL
	}
	s.menuButtons[p.str("chat_id")] = mb
	return true, nil
}

// MenuButton is a menu button the bot set.
type MenuButton struct {
	Type, Text, WebAppURL string
}

// MenuButtonOf returns the menu button the bot set for chat ("" for the
// default of every chat), and whether it set one.
func (s *Server) MenuButtonOf(chat string) (MenuButton, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.menuButtons[chat]
	return b, ok
}

func (s *Server) setMyCommands(p params) (any, *apiError) {
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(p.str("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	key, err := commandKey(p.str("scope"), p.str("language_code"))
	if err != nil {
		return nil, badRequest("can't parse BotCommandScope JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	s.commands[key] = cmds
	return true, nil
}

func (s *Server) getMyCommands(p params) (any, *apiError) {
	key, err := commandKey(p.str("scope"), p.str("language_code"))
	if err != nil {
		return nil, badRequest("can't parse BotCommandScope JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := slices.Clone(s.commands[key])
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(p params) (any, *apiError) {
	key, err := commandKey(p.str("scope"), p.str("language_code"))
	if err != nil {
		return nil, badRequest("can't parse BotCommandScope JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	return true, nil
}

// commandKey identifies a command list: the scope's JSON in canonical form
// (sorted keys, so field order does not matter) and the language code.
func commandKey(scopeJSON, lang string) (string, error) {
	if strings.TrimSpace(scopeJSON) == "" {
		scopeJSON = `{"type":"default"}`
	}
	dec := json.NewDecoder(strings.NewReader(scopeJSON))
	dec.UseNumber() // keep chat ids exact
	var scope map[string]any
	if err := dec.Decode(&scope); err != nil {
		return "", err
	}
	if _, ok := scope["type"].(string); !ok {
		return "", fmt.Errorf("scope without type")
	}
	canonical, err := json.Marshal(scope)
	if err != nil {
		return "", err
	}
	return string(canonical) + "|" + lang, nil
}

func (s *Server) sendChatAction(p params) (any, *apiError) {
	actions := []models.ChatAction{
		models.ChatActionTyping, models.ChatActionUploadPhoto, models.ChatActionRecordVideo,
		models.ChatActionUploadVideo, models.ChatActionRecordVoice, models.ChatActionUploadVoice,
		models.ChatActionUploadDocument, models.ChatActionChooseSticker, models.ChatActionFindLocation,
		models.ChatActionRecordVideoNote, models.ChatActionUploadVideoNote,
	}
	if !slices.Contains(actions, models.ChatAction(p.str("action"))) {
		return nil, badRequest("wrong parameter action in request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, aerr := s.chat(p); aerr != nil {
		return nil, aerr
	}
	return true, nil
}

// validCommand is Telegram's documented rule: 1-32 lowercase English
// letters, digits and underscores.
func validCommand(name string) bool {
	if name == "" || len(name) > 32 {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
