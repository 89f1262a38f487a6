package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

var ann = User{ID: 1001, FirstName: "Ann", LanguageCode: "de"}

// startBot runs a real go-telegram/bot client against srv until the test ends.
func startBot(t *testing.T, srv *Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	b := newBot(t, srv, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return b
}

// newBot makes a client without starting its polling loop.
func newBot(t *testing.T, srv *Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	all := append([]bot.Option{
		bot.WithServerURL(srv.URL()),
		bot.WithSkipGetMe(),
		bot.WithErrorsHandler(func(error) {}), // errors are asserted where they matter
	}, opts...)
	b, err := bot.New(srv.Token(), all...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// receive waits for a value from a handler.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the bot's handler")
		var zero T
		return zero
	}
}

// apiResult is a raw Bot API answer.
type apiResult struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
	status int
}

// post calls a method with a url-encoded or JSON body, bypassing the client.
func post(t *testing.T, srv *Server, tok, method, contentType, body string) apiResult {
	t.Helper()
	resp, err := http.Post(srv.URL()+"/bot"+tok+"/"+method, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r apiResult
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: decode: %v", method, err)
	}
	r.status = resp.StatusCode
	return r
}

func form(t *testing.T, srv *Server, method string, values url.Values) apiResult {
	t.Helper()
	return post(t, srv, srv.Token(), method, "application/x-www-form-urlencoded", values.Encode())
}

func keyboard(rows ...[]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func TestEchoKeyboardTapAndEdit(t *testing.T) {
	srv := New(t)
	type tapped struct {
		data, text string
		msgID      int
		from       int64
	}
	taps := make(chan tapped, 1)
	startBot(t, srv,
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, upd *models.Update) {
			if upd.Message == nil {
				return
			}
			_, _ = b.SendMessage(ctx, &bot.SendMessageParams{
				ChatID: upd.Message.Chat.ID,
				Text:   "echo: " + upd.Message.Text,
				ReplyMarkup: keyboard(
					[]models.InlineKeyboardButton{{Text: "Yes", CallbackData: "answer:yes"}, {Text: "No", CallbackData: "answer:no"}},
					[]models.InlineKeyboardButton{{Text: "Docs", URL: "https://example.org/docs"}},
				),
			})
		}),
		bot.WithCallbackQueryDataHandler("answer:", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, upd *models.Update) {
			cq := upd.CallbackQuery
			msg := cq.Message.Message
			taps <- tapped{data: cq.Data, text: msg.Text, msgID: msg.ID, from: cq.From.ID}
			_, _ = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "got " + cq.Data})
			_, _ = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: "You chose " + cq.Data})
		}),
	)

	srv.SendText(ann, "hello")
	msg := srv.WaitText(t, ann.ID, "echo: hello")
	if want := [][]string{{"Yes", "No"}, {"Docs"}}; !reflect.DeepEqual(msg.ButtonTexts(), want) {
		t.Fatalf("buttons = %q, want %q", msg.ButtonTexts(), want)
	}
	if b, _ := msg.Button("Yes"); b.Data != "answer:yes" {
		t.Errorf("Yes data = %q", b.Data)
	}
	if b, _ := msg.Button("Docs"); b.URL != "https://example.org/docs" {
		t.Errorf("Docs url = %q", b.URL)
	}
	if msg.Raw.From == nil || msg.Raw.From.Username != "fieldlog_test_bot" || msg.Raw.Chat.Type != models.ChatTypePrivate || msg.Raw.Date == 0 {
		t.Errorf("raw message = %+v", msg.Raw)
	}

	if _, err := srv.Tap(ann, msg.ID, "Maybe"); err == nil || !strings.Contains(err.Error(), `"Yes"`) {
		t.Errorf("tapping a missing button: err = %v, want one listing the buttons", err)
	}
	if _, err := srv.Tap(ann, msg.ID, "Docs"); err == nil {
		t.Error("tapping a URL button succeeded")
	}

	updID, err := srv.Tap(ann, msg.ID, "No")
	if err != nil {
		t.Fatal(err)
	}
	got := receive(t, taps)
	if want := (tapped{data: "answer:no", text: "echo: hello", msgID: msg.ID, from: ann.ID}); got != want {
		t.Errorf("callback = %+v, want %+v", got, want)
	}
	edited := srv.WaitText(t, ann.ID, "You chose answer:no")
	if ans := srv.WaitAnswer(t, updID); ans.Text != "got answer:no" || ans.ShowAlert {
		t.Errorf("answer = %+v", ans)
	}

	// Editing without reply_markup removed the keyboard, as on Telegram.
	if edited.ID != msg.ID || edited.Edits != 1 || edited.InlineKeyboard != nil {
		t.Errorf("edited = #%d edits %d keyboard %q", edited.ID, edited.Edits, edited.ButtonTexts())
	}
	msgs := srv.Messages(ann.ID)
	if len(msgs) != 1 || msgs[0].Text != "You chose answer:no" {
		t.Fatalf("Messages = %+v", msgs)
	}
	hist := srv.History(ann.ID, msg.ID)
	if len(hist) != 2 || hist[0].Text != "echo: hello" || len(hist[0].InlineKeyboard) != 2 || hist[1].Text != "You chose answer:no" {
		t.Errorf("History = %+v", hist)
	}
	if _, err := srv.Tap(ann, msg.ID, "Yes"); err == nil {
		t.Error("tapping a button removed by the edit succeeded")
	}
	if n := len(srv.CallbackAnswers()); n != 1 {
		t.Errorf("%d callback answers, want 1", n)
	}
}

func TestCommandEntityAndTapData(t *testing.T) {
	srv := New(t)
	starts := make(chan string, 1)
	data := make(chan models.CallbackQuery, 1)
	startBot(t, srv,
		bot.WithMessageTextHandler("start", bot.MatchTypeCommand, func(ctx context.Context, b *bot.Bot, upd *models.Update) {
			starts <- upd.Message.Text
		}),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, upd *models.Update) {
			if upd.CallbackQuery != nil {
				data <- *upd.CallbackQuery
			}
		}),
	)
	srv.SendText(ann, "/start deep-link")
	if got := receive(t, starts); got != "/start deep-link" {
		t.Errorf("command handler got %q", got)
	}

	srv.TapData(ann, 77, "forged:1")
	cq := receive(t, data)
	if cq.Data != "forged:1" || cq.Message.Type != models.MaybeInaccessibleMessageTypeInaccessibleMessage ||
		cq.Message.InaccessibleMessage.MessageID != 77 || cq.Message.InaccessibleMessage.Chat.ID != ann.ID {
		t.Errorf("forged callback = %+v (message %+v)", cq, cq.Message.InaccessibleMessage)
	}
}

func TestConfirmedOffsetsAndRedelivery(t *testing.T) {
	srv := New(t)
	seen := make(chan int64, 10)
	startBot(t, srv, bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, upd *models.Update) {
		seen <- upd.ID
	}))

	first := srv.SendText(ann, "one")
	if got := receive(t, seen); got != first {
		t.Fatalf("got update %d, want %d", got, first)
	}
	srv.WaitConfirmed(t, first)
	if got := srv.Confirmed(); got != first+1 {
		t.Errorf("Confirmed = %d, want %d", got, first+1)
	}

	second := srv.SendText(ann, "two")
	if got := receive(t, seen); got != second {
		t.Fatalf("got update %d, want %d", got, second)
	}
	srv.WaitConfirmed(t, second)

	// Redelivery keeps the id, and the bot gets the update again although it
	// confirmed it long ago.
	upd, ok := srv.Update(first)
	if !ok || upd.Message.Text != "one" {
		t.Fatalf("Update(%d) = %+v, %v", first, upd, ok)
	}
	if id := srv.Deliver(upd); id != first {
		t.Errorf("Deliver kept id %d, want %d", id, first)
	}
	if got := receive(t, seen); got != first {
		t.Errorf("redelivered update %d, want %d", got, first)
	}
	if err := srv.Redeliver(second); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, seen); got != second {
		t.Errorf("redelivered update %d, want %d", got, second)
	}

	third := srv.SendText(ann, "three")
	if third <= second {
		t.Errorf("new update id %d not above %d", third, second)
	}
	if got := receive(t, seen); got != third {
		t.Errorf("got update %d, want %d", got, third)
	}
	srv.WaitConfirmed(t, third)
	select {
	case id := <-seen:
		t.Errorf("unexpected extra delivery of update %d", id)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestGetUpdatesProtocol(t *testing.T) {
	srv := New(t)
	a := srv.SendText(ann, "a")
	b := srv.SendText(ann, "b")
	ids := func(r apiResult) []int64 {
		t.Helper()
		var ups []models.Update
		if err := json.Unmarshal(r.Result, &ups); err != nil {
			t.Fatalf("decode %s: %v", r.Result, err)
		}
		var out []int64
		for _, u := range ups {
			out = append(out, u.ID)
		}
		return out
	}
	if got := ids(form(t, srv, "getUpdates", url.Values{"limit": {"1"}})); !reflect.DeepEqual(got, []int64{a}) {
		t.Errorf("limit 1: %v", got)
	}
	// Not confirmed yet: delivered again.
	if got := ids(form(t, srv, "getUpdates", nil)); !reflect.DeepEqual(got, []int64{a, b}) {
		t.Errorf("unconfirmed: %v", got)
	}
	if got := ids(form(t, srv, "getUpdates", url.Values{"offset": {fmt.Sprint(b)}})); !reflect.DeepEqual(got, []int64{b}) {
		t.Errorf("offset %d: %v", b, got)
	}
	if srv.Confirmed() != b {
		t.Errorf("Confirmed = %d, want %d", srv.Confirmed(), b)
	}

	// A long poll returns as soon as an update arrives.
	start := time.Now()
	go func() {
		time.Sleep(100 * time.Millisecond)
		srv.SendText(ann, "c")
	}()
	got := ids(post(t, srv, srv.Token(), "getUpdates", "application/json", fmt.Sprintf(`{"offset":%d,"timeout":5}`, b+1)))
	if len(got) != 1 || got[0] != b+1 || time.Since(start) > 3*time.Second {
		t.Errorf("long poll: %v after %v", got, time.Since(start))
	}

	// Closing the server ends a pending long poll at once.
	go func() {
		time.Sleep(100 * time.Millisecond)
		srv.Close()
	}()
	start = time.Now()
	resp, err := http.Post(srv.URL()+"/bot"+srv.Token()+"/getUpdates", "application/json", strings.NewReader(fmt.Sprintf(`{"offset":%d,"timeout":30}`, b+2)))
	if err == nil {
		resp.Body.Close()
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("long poll outlived Close by %v", d)
	}
}

func TestSendEditDeleteThroughClient(t *testing.T) {
	srv := New(t)
	b := newBot(t, srv)
	ctx := context.Background()

	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("unknown chat: err = %v", err)
	}
	srv.Register(ann)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID:      ann.ID,
		Text:        "Pick <b>one</b> &amp; go",
		ParseMode:   models.ParseModeHTML,
		ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "A", CallbackData: "a"}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != 1 || sent.Chat.ID != ann.ID || sent.From.ID != srv.BotID() || sent.Text != "Pick one & go" {
		t.Errorf("sendMessage returned %+v", sent)
	}
	if sent.ReplyMarkup == nil || sent.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "a" {
		t.Errorf("returned markup = %+v", sent.ReplyMarkup)
	}
	if m := srv.Last(ann.ID); m.Source != "Pick <b>one</b> &amp; go" || m.ParseMode != "HTML" {
		t.Errorf("Last = %+v", m)
	}
	if len(sent.Entities) != 1 || sent.Entities[0] != (models.MessageEntity{Type: models.MessageEntityTypeBold, Offset: 5, Length: 3}) {
		t.Errorf("entities = %+v, want one bold over \"one\"", sent.Entities)
	}

	edit := &bot.EditMessageTextParams{ChatID: ann.ID, MessageID: sent.ID, Text: "Picked A",
		ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "Undo", CallbackData: "undo"}})}
	edited, err := b.EditMessageText(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "Picked A" || edited.EditDate == 0 {
		t.Errorf("editMessageText returned %+v", edited)
	}
	m := srv.Last(ann.ID)
	if m.Text != "Picked A" || m.Edits != 1 || !reflect.DeepEqual(m.ButtonTexts(), [][]string{{"Undo"}}) {
		t.Errorf("after edit: %+v", m)
	}
	if _, err := b.EditMessageText(ctx, edit); err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("identical edit: err = %v", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: ann.ID, MessageID: sent.ID}); err != nil {
		t.Fatal(err)
	}
	if m := srv.Last(ann.ID); m.InlineKeyboard != nil || m.Edits != 2 {
		t.Errorf("after editMessageReplyMarkup: %+v", m)
	}
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: ann.ID, MessageID: 99, Text: "x"}); err == nil || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("edit of unknown message: err = %v", err)
	}

	reply, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "Hours?",
		ReplyMarkup: &models.ReplyKeyboardMarkup{Keyboard: [][]models.KeyboardButton{{{Text: "4"}, {Text: "8"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "Saved",
		ReplyMarkup: &models.ReplyKeyboardRemove{RemoveKeyboard: true}}); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages(ann.ID)
	if len(msgs) != 3 || !reflect.DeepEqual(msgs[1].ReplyKeyboard, [][]string{{"4", "8"}}) || !msgs[2].RemoveKeyboard {
		t.Fatalf("Messages = %+v", msgs)
	}

	if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: ann.ID, MessageID: reply.ID}); !ok || err != nil {
		t.Fatalf("deleteMessage: %v %v", ok, err)
	}
	if msgs := srv.Messages(ann.ID); len(msgs) != 2 || msgs[1].Text != "Saved" {
		t.Errorf("after delete: %+v", msgs)
	}
	if h := srv.History(ann.ID, reply.ID); len(h) != 2 || !h[1].Deleted {
		t.Errorf("History of deleted = %+v", h)
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: ann.ID, MessageID: reply.ID}); err == nil {
		t.Error("deleting twice succeeded")
	}
	if ok, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: ann.ID, Action: models.ChatActionTyping}); !ok || err != nil {
		t.Errorf("sendChatAction: %v %v", ok, err)
	}
	if n := srv.Calls("sendMessage"); n != 4 {
		t.Errorf("Calls(sendMessage) = %d, want 4", n)
	}
}

func TestBadMarkupIsRejected(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	cases := []struct {
		params *bot.SendMessageParams
		want   string
	}{
		{&bot.SendMessageParams{Text: "<b>bold", ParseMode: models.ParseModeHTML}, `Can't find end tag corresponding to start tag "b"`},
		{&bot.SendMessageParams{Text: "a < b", ParseMode: models.ParseModeHTML}, "can't parse entities"},
		{&bot.SendMessageParams{Text: "<br>", ParseMode: models.ParseModeHTML}, `Unsupported start tag "br"`},
		{&bot.SendMessageParams{Text: "Total: 7.5 h", ParseMode: models.ParseModeMarkdown}, "Character '.' is reserved"},
		{&bot.SendMessageParams{Text: "user john_doe", ParseMode: models.ParseModeMarkdown}, "Can't find end of Italic entity"},
		{&bot.SendMessageParams{Text: "   "}, "message text is empty"},
		{&bot.SendMessageParams{Text: strings.Repeat("x", 4097)}, "message is too long"},
		{&bot.SendMessageParams{Text: "k", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "no action"}})}, "Text buttons are unallowed"},
		{&bot.SendMessageParams{Text: "k", ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "long", CallbackData: strings.Repeat("d", 65)}})}, "BUTTON_DATA_INVALID"},
	}
	for _, c := range cases {
		c.params.ChatID = ann.ID
		_, err := b.SendMessage(ctx, c.params)
		if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.params.Text, err, c.want)
		}
	}
	if n := len(srv.Messages(ann.ID)); n != 0 {
		t.Errorf("%d messages stored from rejected requests", n)
	}

	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: `*Total:* 7\.5 h \(of 8\) for john\_doe`, ParseMode: models.ParseModeMarkdown})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Total: 7.5 h (of 8) for john_doe"; m.Text != want || srv.Last(ann.ID).Text != want {
		t.Errorf("visible text = %q, want %q", m.Text, want)
	}
}

// HTML entities are computed as Telegram computes them: offsets and
// lengths in UTF-16 units of the visible text, an outer element before an
// inner one, escapes counting as the character they stand for; and the
// length limit applies to the visible text, not to the markup.
func TestHTMLEntities(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, ParseMode: models.ParseModeHTML,
		Text: `😀&lt;<b>一、<i>工作</i></b>` + "\n" + `<a href="https://example.org/?a=1&amp;b=2">链接</a><b></b>`})
	if err != nil {
		t.Fatal(err)
	}
	want := []models.MessageEntity{
		{Type: models.MessageEntityTypeBold, Offset: 3, Length: 4},
		{Type: models.MessageEntityTypeItalic, Offset: 5, Length: 2},
		{Type: models.MessageEntityTypeTextLink, Offset: 8, Length: 2, URL: "https://example.org/?a=1&b=2"},
	}
	if m.Text != "😀<一、工作\n链接" || !slices.Equal(m.Entities, want) {
		t.Errorf("text %q, entities %+v\nwant %+v", m.Text, m.Entities, want)
	}
	if got := srv.Last(ann.ID).Formatted(models.MessageEntityTypeBold); !slices.Equal(got, []string{"一、工作"}) {
		t.Errorf("bold pieces = %q", got)
	}
	long := "<b>" + strings.Repeat("&amp;", 4096) + "</b>" // 20,487 bytes, 4,096 shown
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: long, ParseMode: models.ParseModeHTML}); err != nil {
		t.Errorf("4,096 characters shown were refused: %v", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: long + "x", ParseMode: models.ParseModeHTML}); err == nil {
		t.Error("4,097 characters shown were accepted")
	}
}

// Telegram counts a text's length in UTF-16 units: 4,096 for a message,
// 1,024 for a caption. The fake refuses one unit more, as Telegram does,
// so that a bot that does not split its texts fails its tests.
func TestOverlongTextsAndCaptionsAreRefused(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	emoji := strings.Repeat("🎉", 2048) // 2,048 runes, 4,096 units
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: emoji}); err != nil {
		t.Errorf("a text of exactly 4096 units was refused: %v", err)
	}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "short"})
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"message of 4097 units": func() error {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: emoji + "x"})
			return err
		},
		"edit to 4097 units": func() error {
			_, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: ann.ID, MessageID: m.ID, Text: emoji + "x"})
			return err
		},
		"photo caption of 1025 units": func() error {
			_, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: ann.ID, Caption: strings.Repeat("ᠮ", 1025),
				Photo: &models.InputFileUpload{Filename: "a.png", Data: strings.NewReader("png")}})
			return err
		},
		"document caption of 1025 units": func() error {
			_, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: ann.ID, Caption: strings.Repeat("字", 1025),
				Document: &models.InputFileUpload{Filename: "a.txt", Data: strings.NewReader("txt")}})
			return err
		},
	} {
		err := call()
		if lower := strings.ReplaceAll(strings.ToLower(fmt.Sprint(err)), "_", " "); !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(lower, "too long") {
			t.Errorf("%s: err = %v, want Bad Request: ... too long", name, err)
		}
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: ann.ID, Caption: strings.Repeat("ᠮ", 1024),
		Photo: &models.InputFileUpload{Filename: "a.png", Data: &img}}); err != nil {
		t.Errorf("a caption of exactly 1024 units was refused: %v", err)
	}
}

func TestDocumentsAndPhotos(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	content := []byte("PK\x03\x04 pretend xlsx")

	sent, err := b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:   ann.ID,
		Document: &models.InputFileUpload{Filename: "report-2024-05.xlsx", Data: bytes.NewReader(content)},
		Caption:  "May report",
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Document == nil || sent.Document.FileName != "report-2024-05.xlsx" || sent.Document.FileSize != int64(len(content)) || sent.Caption != "May report" {
		t.Fatalf("sendDocument returned %+v / %+v", sent, sent.Document)
	}
	docs := srv.Documents(ann.ID)
	if len(docs) != 1 || !bytes.Equal(docs[0].Document.Data, content) || docs[0].Document.Name != "report-2024-05.xlsx" || docs[0].Caption != "May report" {
		t.Fatalf("Documents = %+v", docs)
	}
	docs[0].Document.Data[0] = 'X' // must not reach the server's copy

	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: sent.Document.FileID})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	downloaded, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(downloaded, content) {
		t.Errorf("download: %d %q", resp.StatusCode, downloaded)
	}

	// Sending again by file_id reuses the stored file.
	again, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: ann.ID, Document: &models.InputFileString{Data: sent.Document.FileID}})
	if err != nil {
		t.Fatal(err)
	}
	if again.Document.FileID != sent.Document.FileID || len(srv.Documents(ann.ID)) != 2 {
		t.Errorf("resend by id: %+v", again.Document)
	}
	if _, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: ann.ID, Document: &models.InputFileString{Data: "nope"}}); err == nil {
		t.Error("unknown file_id accepted")
	}

	var png8 bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(1, 1, color.White)
	if err := png.Encode(&png8, img); err != nil {
		t.Fatal(err)
	}
	photo, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: ann.ID, Photo: &models.InputFileUpload{Filename: "chart.png", Data: &png8}})
	if err != nil {
		t.Fatal(err)
	}
	if len(photo.Photo) != 1 || photo.Photo[0].Width != 40 || photo.Photo[0].Height != 30 {
		t.Errorf("sendPhoto returned %+v", photo.Photo)
	}
	if m := srv.Last(ann.ID); m.Photo == nil || m.Photo.Width != 40 {
		t.Errorf("Last photo = %+v", m.Photo)
	}
	_, err = b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: ann.ID, Photo: &models.InputFileUpload{Filename: "x.png", Data: strings.NewReader("not an image")}})
	if err == nil || !strings.Contains(err.Error(), "IMAGE_PROCESS_FAILED") {
		t.Errorf("bad image: err = %v", err)
	}
}

func TestUserPhotoReachesBot(t *testing.T) {
	srv := New(t)
	sizes := make(chan string, 1)
	startBot(t, srv, bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, upd *models.Update) {
		if upd.Message == nil || len(upd.Message.Photo) == 0 {
			return
		}
		largest := upd.Message.Photo[len(upd.Message.Photo)-1]
		f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: largest.FileID})
		if err != nil {
			sizes <- err.Error()
			return
		}
		resp, err := http.Get(b.FileDownloadLink(f))
		if err != nil {
			sizes <- err.Error()
			return
		}
		defer resp.Body.Close()
		cfg, format, err := image.DecodeConfig(resp.Body)
		if err != nil {
			sizes <- err.Error()
			return
		}
		sizes <- fmt.Sprintf("%s %dx%d %s", format, cfg.Width, cfg.Height, upd.Message.Caption)
	}))
	_, fileID := srv.SendPhoto(ann, "site photo")
	if got := receive(t, sizes); got != "jpeg 320x240 site photo" {
		t.Errorf("bot saw %q", got)
	}
	if f, ok := srv.File(fileID); !ok || f.Width != 320 || len(f.Data) == 0 {
		t.Errorf("File(%s) = %+v, %v", fileID, f, ok)
	}
}

func TestCommandsPerScopeAndLanguage(t *testing.T) {
	srv := New(t)
	b := newBot(t, srv)
	ctx := context.Background()
	en := []models.BotCommand{{Command: "start", Description: "Start"}, {Command: "report", Description: "Monthly report"}}
	de := []models.BotCommand{{Command: "start", Description: "Starten"}}
	admin := []models.BotCommand{{Command: "users", Description: "Manage users"}}
	for _, p := range []*bot.SetMyCommandsParams{
		{Commands: en},
		{Commands: de, LanguageCode: "de"},
		{Commands: admin, Scope: &models.BotCommandScopeChat{ChatID: 42}},
	} {
		if _, err := b.SetMyCommands(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.Commands("", ""); !reflect.DeepEqual(got, en) {
		t.Errorf("default = %v", got)
	}
	if got := srv.Commands(`{"type":"default"}`, "de"); !reflect.DeepEqual(got, de) {
		t.Errorf("de = %v", got)
	}
	if got := srv.Commands(`{"chat_id":42,"type":"chat"}`, ""); !reflect.DeepEqual(got, admin) {
		t.Errorf("chat 42 = %v", got)
	}
	if got := srv.Commands("", "fr"); got != nil {
		t.Errorf("fr = %v, want none", got)
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{LanguageCode: "de"})
	if err != nil || !reflect.DeepEqual(got, de) {
		t.Errorf("getMyCommands de = %v, %v", got, err)
	}
	if _, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{LanguageCode: "de"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands("", "de"); got != nil {
		t.Errorf("after delete: %v", got)
	}
	_, err = b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Report", Description: "x"}}})
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("upper-case command: err = %v", err)
	}
}

func TestFailNextTooManyRequests(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	srv.FailNext("sendMessage", 2, 429, 7)

	for i := range 2 {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"})
		var tooMany *bot.TooManyRequestsError
		if !errors.As(fmt.Errorf("wrapped: %w", err), &tooMany) || tooMany.RetryAfter != 7 {
			t.Fatalf("call %d: err = %v, want TooManyRequestsError with retry_after 7", i, err)
		}
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"}); err != nil {
		t.Fatalf("third call: %v", err)
	}
	if n, c := len(srv.Messages(ann.ID)), srv.Calls("sendmessage"); n != 1 || c != 3 {
		t.Errorf("messages %d (want 1), calls %d (want 3)", n, c)
	}

	srv.FailNext("getMe", 1, 403, 0)
	if _, err := b.GetMe(ctx); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("injected 403: err = %v", err)
	}
}

func TestTokenAndUnknownMethod(t *testing.T) {
	srv := New(t, WithBotUsername("other_bot"))
	if !regexp.MustCompile(`^\d+:[A-Za-z0-9_-]{35}$`).MatchString(srv.Token()) {
		t.Errorf("token %q does not look like a Telegram token", srv.Token())
	}
	_, err := bot.New("987:WRONG", bot.WithServerURL(srv.URL()))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("wrong token: err = %v", err)
	}
	b, err := bot.New(srv.Token(), bot.WithServerURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	me, err := b.GetMe(context.Background())
	if err != nil || me.Username != "other_bot" || !me.IsBot || me.ID != b.ID() {
		t.Errorf("getMe = %+v, %v (bot id %d)", me, err, b.ID())
	}
	if r := post(t, srv, srv.Token(), "frobnicate", "application/json", "{}"); r.status != 404 || r.ErrorCode != 404 || r.OK {
		t.Errorf("unknown method: %+v", r)
	}
	if r := post(t, srv, "1:bad", "getMe", "application/json", "{}"); r.status != 401 || r.Description != "Unauthorized" {
		t.Errorf("wrong token: %+v", r)
	}
}

func TestJSONAndURLEncodedBodies(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	r := post(t, srv, srv.Token(), "sendMessage", "application/json",
		fmt.Sprintf(`{"chat_id":%d,"text":"json","reply_markup":{"inline_keyboard":[[{"text":"Go","callback_data":"go","copy_text":{"text":""}}]]}}`, ann.ID))
	if !r.OK {
		t.Fatalf("json sendMessage: %+v", r)
	}
	var m models.Message
	if err := json.Unmarshal(r.Result, &m); err != nil || m.Text != "json" {
		t.Fatalf("result %s: %v", r.Result, err)
	}
	r = form(t, srv, "editMessageText", url.Values{"chat_id": {fmt.Sprint(ann.ID)}, "message_id": {fmt.Sprint(m.ID)}, "text": {"form"},
		"reply_markup": {`{"inline_keyboard":[[{"text":"Stop","callback_data":"stop"}]]}`}})
	if !r.OK {
		t.Fatalf("form editMessageText: %+v", r)
	}
	if got := srv.Last(ann.ID); got.Text != "form" || !reflect.DeepEqual(got.ButtonTexts(), [][]string{{"Stop"}}) {
		t.Errorf("Last = %+v", got)
	}
	if r := form(t, srv, "answerCallbackQuery", url.Values{"callback_query_id": {"made-up"}}); r.ErrorCode != 400 {
		t.Errorf("unknown callback id: %+v", r)
	}
}

func TestWaitForReadsInOrder(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	send := func(text string) {
		if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: text}); err != nil {
			t.Error(err)
		}
	}
	send("Step 1")
	send("Step 2")
	// Both were sent before the waits: they are read in order, each once.
	isStep := func(m Message) bool { return strings.HasPrefix(m.Text, "Step") }
	if m := srv.WaitFor(t, ann.ID, isStep, time.Second); m.Text != "Step 1" {
		t.Errorf("first wait = %q", m.Text)
	}
	if m := srv.WaitFor(t, ann.ID, isStep, time.Second); m.Text != "Step 2" {
		t.Errorf("second wait = %q", m.Text)
	}
	// A user action skips what came before; later messages still match.
	srv.SendText(ann, "next")
	go func() {
		time.Sleep(50 * time.Millisecond)
		send("Step 3")
	}()
	if m := srv.WaitFor(t, ann.ID, isStep, 5*time.Second); m.Text != "Step 3" || m.ID != 4 {
		t.Errorf("after action = #%d %q", m.ID, m.Text)
	}
	srv.MarkRead(ann.ID)
	go send("Step 4")
	if m := srv.WaitText(t, ann.ID, "Step"); m.Text != "Step 4" {
		t.Errorf("after MarkRead = %q", m.Text)
	}
}

func TestConcurrentConversations(t *testing.T) {
	srv := New(t)
	startBot(t, srv, bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, upd *models.Update) {
		if upd.Message != nil {
			_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: upd.Message.Chat.ID, Text: "ok " + upd.Message.Text})
		}
	}))
	// The group returns when all parallel conversations are done.
	t.Run("group", func(t *testing.T) {
		for i := range 20 {
			u := User{ID: int64(2000 + i), FirstName: fmt.Sprint("u", i)}
			t.Run(u.FirstName, func(t *testing.T) {
				t.Parallel()
				for j := range 5 {
					srv.SendText(u, fmt.Sprint("msg ", j))
					if m := srv.WaitText(t, u.ID, "ok msg"); m.Text != fmt.Sprint("ok msg ", j) {
						t.Errorf("reply %q, want %q", m.Text, fmt.Sprint("ok msg ", j))
					}
				}
				if n := len(srv.Messages(u.ID)); n != 5 {
					t.Errorf("%d replies, want 5", n)
				}
			})
		}
	})
	if n := srv.Calls("sendMessage"); n != 100 {
		t.Errorf("%d sendMessage calls, want 100", n)
	}
}

// With Telegram's limits, a 4th message to a chat within a second is
// refused with 429 and a retry_after, and so is a 31st message within a
// second to any chats; refused sends are not carried out, and other chats
// are not held by one that is. answerCallbackQuery and setMyCommands are
// not counted.
func TestLimitsAnswerTooManyRequests(t *testing.T) {
	srv := New(t, WithLimits())
	b := newBot(t, srv)
	ctx := context.Background()
	users := make([]User, 40)
	for i := range users {
		users[i] = User{ID: 5000 + int64(i), FirstName: "u"}
		srv.Register(users[i])
	}
	send := func(u User) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.ID, Text: "hi"})
		return err
	}
	for i := range 3 {
		if err := send(users[0]); err != nil {
			t.Fatalf("message %d of a burst of 3: %v", i+1, err)
		}
	}
	var tooMany *bot.TooManyRequestsError
	if err := send(users[0]); !errors.As(err, &tooMany) || tooMany.RetryAfter != 1 {
		t.Fatalf("4th message to a chat within a second: err = %v, want 429 retry_after 1", err)
	}
	if n := len(srv.Messages(users[0].ID)); n != 3 {
		t.Errorf("the chat has %d messages, want 3: a refused send was carried out", n)
	}
	for i, u := range users[1:28] { // 3 + 27 = 30 sends within the second
		if err := send(u); err != nil {
			t.Fatalf("send %d to another chat: %v", i+4, err)
		}
	}
	if err := send(users[30]); !errors.As(err, &tooMany) || tooMany.RetryAfter != 1 {
		t.Fatalf("31st send within a second: err = %v, want 429 retry_after 1", err)
	}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "start", Description: "Start"}}}); err != nil {
		t.Errorf("setMyCommands counted against the limit: %v", err)
	}
	if got := srv.TooManyRequests(); got != 2 {
		t.Errorf("TooManyRequests() = %d, want 2", got)
	}

	srv.EnforceLimits(Limits{})
	for range 40 {
		if err := send(users[0]); err != nil {
			t.Fatalf("limits off: %v", err)
		}
	}
}

// The per-chat limit lets a burst go and then one message a second; after
// the wait told by retry_after the message goes.
func TestLimitsPerChatRefills(t *testing.T) {
	srv := New(t)
	srv.EnforceLimits(Limits{PerSecond: 1000, PerChat: 10, ChatBurst: 2}) // 100 ms apart after 2
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	send := func() error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"})
		return err
	}
	for range 2 {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	if err := send(); err == nil {
		t.Fatal("3rd message at once was not refused")
	}
	time.Sleep(110 * time.Millisecond)
	if err := send(); err != nil {
		t.Fatalf("after 110 ms: %v", err)
	}
	if err := send(); err == nil {
		t.Fatal("the next at once was not refused")
	}
}

// A user who blocked the bot gets nothing: 403 "bot was blocked by the
// user", counted by Forbidden; writing again unblocks the bot, as on
// Telegram.
func TestBlockedUser(t *testing.T) {
	srv := New(t)
	srv.Register(ann)
	b := newBot(t, srv)
	ctx := context.Background()
	srv.Block(ann.ID)
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
		t.Fatalf("send to a user who blocked the bot: err = %v", err)
	}
	if n := len(srv.Messages(ann.ID)); n != 0 || srv.Forbidden() != 1 {
		t.Errorf("messages %d (want 0), Forbidden() %d (want 1)", n, srv.Forbidden())
	}
	srv.SendText(ann, "/start")
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"}); err != nil {
		t.Fatalf("after the user wrote again: %v", err)
	}
	srv.Block(ann.ID)
	srv.Unblock(ann.ID)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: ann.ID, Text: "hi"}); err != nil {
		t.Fatalf("after Unblock: %v", err)
	}
}
