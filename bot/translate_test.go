package bot

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"fieldlog"
	"fieldlog/conversation"
)

// wire is upd as the bot reads it from the Bot API: encoded as Telegram
// sends it, decoded into the bot's own update.
func wire(t *testing.T, upd *models.Update) *update {
	t.Helper()
	data, err := json.Marshal(upd)
	if err != nil {
		t.Fatal(err)
	}
	var u update
	if err := json.Unmarshal(data, &u); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return &u
}

func privateChat(id int64) models.Chat {
	return models.Chat{ID: id, Type: models.ChatTypePrivate, FirstName: "Bat"}
}

var batu = models.User{ID: 42, FirstName: "Bat", LastName: "Erdene", Username: "baterdene", LanguageCode: "mn"}

func TestInputPrivateText(t *testing.T) {
	upd := &models.Update{ID: 1, Message: &models.Message{
		ID: 7, Date: 1717740000, From: &batu, Chat: privateChat(42), Text: "80余",
	}}
	if got := chatOf(wire(t, upd)); got != 42 {
		t.Errorf("chatOf = %d, want 42", got)
	}
	in, cb := input(wire(t, upd))
	want := conversation.Input{UserID: 42, ChatID: 42, Name: "Bat Erdene", LanguageCode: "mn", Text: "80余"}
	// MessageID stays 0 for the user's own message: an Edit reply must never
	// try to edit what the user wrote.
	if in != want {
		t.Errorf("input = %+v, want %+v", in, want)
	}
	if cb != "" {
		t.Errorf("callback id = %q for a text message, want none", cb)
	}
}

func TestInputDisplayName(t *testing.T) {
	tests := []struct {
		user models.User
		want string
	}{
		{models.User{ID: 1, FirstName: "巴特", LastName: "尔"}, "巴特 尔"},
		{models.User{ID: 1, FirstName: "Bat"}, "Bat"},      // no trailing space
		{models.User{ID: 1, LastName: "Erdene"}, "Erdene"}, // no leading space
		{models.User{ID: 1, Username: "baterdene"}, "baterdene"},
		{models.User{ID: 1}, ""},
	}
	for _, tc := range tests {
		u := tc.user
		in, _ := input(wire(t, &models.Update{Message: &models.Message{From: &u, Chat: privateChat(1), Text: "x"}}))
		if in.Name != tc.want {
			t.Errorf("name of %+v = %q, want %q", tc.user, in.Name, tc.want)
		}
	}
}

func TestInputPhotoTakesLargestSize(t *testing.T) {
	// Telegram sends every size of a photo, smallest first.
	upd := &models.Update{ID: 2, Message: &models.Message{
		ID: 8, Date: 1717740000, From: &batu, Chat: privateChat(42),
		Photo: []models.PhotoSize{
			{FileID: "small", Width: 90, Height: 60},
			{FileID: "medium", Width: 320, Height: 240},
			{FileID: "large", Width: 1280, Height: 960},
		},
	}}
	in, cb := input(wire(t, upd))
	if in.Photo != (fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: "large"}) {
		t.Errorf("photo %+v, want the largest size's file id %q", in.Photo, "large")
	}
	if in.ChatID != 42 || in.UserID != 42 || in.Text != "" || cb != "" {
		t.Errorf("input = %+v, %q", in, cb)
	}
	// A message without a photo has none.
	if in, _ := input(wire(t, &models.Update{Message: &models.Message{From: &batu, Chat: privateChat(42), Text: "x"}})); in.Photo.ID != "" {
		t.Errorf("photo %+v for a text message", in.Photo)
	}
}

// A photo's caption comes as its caption, not as typed text: a caption is
// no command, and only a flow that reads one sees it.
func TestInputPhotoCaption(t *testing.T) {
	for name, m := range map[string]*models.Message{
		"photo":         {From: &batu, Chat: privateChat(42), Caption: "6月7日开展政策宣讲", Photo: []models.PhotoSize{{FileID: "p1"}}},
		"image as file": {From: &batu, Chat: privateChat(42), Caption: "6月7日开展政策宣讲", Document: &models.Document{FileID: "f1", MimeType: "image/png"}},
	} {
		in, _ := input(wire(t, &models.Update{Message: m}))
		if in.Caption != "6月7日开展政策宣讲" || in.Text != "" || in.Photo.ID == "" {
			t.Errorf("%s: input = %+v, want the caption apart from the text, with the photo", name, in)
		}
	}
	// A PDF is no photo: its caption is not read either.
	pdf := &models.Message{From: &batu, Chat: privateChat(42), Caption: "x", Document: &models.Document{FileID: "f2", MimeType: "application/pdf"}}
	if in, _ := input(wire(t, &models.Update{Message: pdf})); in.Caption != "" {
		t.Errorf("caption of a PDF: %q", in.Caption)
	}
}

func TestInputPhotoSentAsFile(t *testing.T) {
	image := &models.Update{Message: &models.Message{From: &batu, Chat: privateChat(42),
		Document: &models.Document{FileID: "f1", MimeType: "image/jpeg", FileName: "IMG_0001.jpg"}}}
	if in, _ := input(wire(t, image)); in.Photo != (fieldlog.Photo{Source: fieldlog.TelegramDocument, ID: "f1"}) {
		t.Errorf("photo %+v for an image sent as a file, want the document f1", in.Photo)
	}
	other := &models.Update{Message: &models.Message{From: &batu, Chat: privateChat(42),
		Document: &models.Document{FileID: "f2", MimeType: "application/pdf"}}}
	if in, _ := input(wire(t, other)); in.Photo.ID != "" {
		t.Errorf("photo %+v for a PDF", in.Photo)
	}
}

func callbackUpdate(msg models.MaybeInaccessibleMessage) *models.Update {
	return &models.Update{ID: 3, CallbackQuery: &models.CallbackQuery{
		ID: "4000000000000000001", From: batu, Message: msg, ChatInstance: "-1", Data: "log:s1",
	}}
}

func TestInputCallbackAccessibleMessage(t *testing.T) {
	upd := callbackUpdate(models.MaybeInaccessibleMessage{
		Type:    models.MaybeInaccessibleMessageTypeMessage,
		Message: &models.Message{ID: 99, Date: 1717740000, Chat: privateChat(42), Text: "选择板块"},
	})
	if got := chatOf(wire(t, upd)); got != 42 {
		t.Errorf("chatOf = %d, want 42", got)
	}
	in, cb := input(wire(t, upd))
	want := conversation.Input{UserID: 42, ChatID: 42, Name: "Bat Erdene", LanguageCode: "mn", Button: "log:s1", MessageID: 99}
	if in != want {
		t.Errorf("input = %+v, want %+v", in, want)
	}
	if cb != "4000000000000000001" {
		t.Errorf("callback id = %q, want the query's id", cb)
	}
}

func TestInputCallbackInaccessibleMessage(t *testing.T) {
	// Telegram sends messages older than 48 hours as inaccessible (date 0).
	upd := callbackUpdate(models.MaybeInaccessibleMessage{
		Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
		InaccessibleMessage: &models.InaccessibleMessage{Chat: privateChat(42), MessageID: 98},
	})
	if got := chatOf(wire(t, upd)); got != 42 {
		t.Errorf("chatOf = %d, want 42", got)
	}
	in, cb := input(wire(t, upd))
	want := conversation.Input{UserID: 42, ChatID: 42, Name: "Bat Erdene", LanguageCode: "mn", Button: "log:s1", MessageID: 98}
	if in != want {
		t.Errorf("input = %+v, want %+v", in, want)
	}
	if cb == "" {
		t.Error("no callback id: the button press would never be acknowledged")
	}
}

// Updates are stored as JSON in the inbox and decoded again when an earlier
// run left them unhandled; they must mean the same after the round trip.
func TestInputSurvivesInboxEncoding(t *testing.T) {
	for name, upd := range map[string]*models.Update{
		"text": {ID: 1, Message: &models.Message{ID: 7, Date: 1717740000, From: &batu, Chat: privateChat(42), Text: "6月7日"}},
		"accessible": callbackUpdate(models.MaybeInaccessibleMessage{
			Type:    models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 99, Date: 1717740000, Chat: privateChat(42), Text: "选择板块"},
		}),
		"inaccessible": callbackUpdate(models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: privateChat(42), MessageID: 98},
		}),
	} {
		payload, err := json.Marshal(wire(t, upd)) // as receive stores it
		if err != nil {
			t.Fatalf("%s: marshal: %v", name, err)
		}
		var back update // as Run reads it back
		if err := json.Unmarshal(payload, &back); err != nil {
			t.Fatalf("%s: unmarshal %s: %v", name, payload, err)
		}
		in1, cb1 := input(wire(t, upd))
		in2, cb2 := input(&back)
		if in1 != in2 || cb1 != cb2 || chatOf(wire(t, upd)) != chatOf(&back) {
			t.Errorf("%s: input before storing %+v %q, after %+v %q", name, in1, cb1, in2, cb2)
		}
	}
}

func TestChatOfIgnoresNonPrivateChats(t *testing.T) {
	group := models.Chat{ID: -100123, Type: models.ChatTypeGroup, Title: "嘎鲁图镇工作群"}
	supergroup := models.Chat{ID: -1001234567890, Type: models.ChatTypeSupergroup, Title: "统战"}
	channel := models.Chat{ID: -1009876543210, Type: models.ChatTypeChannel}
	tests := map[string]*models.Update{
		"group message":      {ID: 1, Message: &models.Message{ID: 1, Date: 1, From: &batu, Chat: group, Text: "/log"}},
		"supergroup message": {ID: 2, Message: &models.Message{ID: 1, Date: 1, From: &batu, Chat: supergroup, Text: "hi"}},
		"group button": callbackUpdate(models.MaybeInaccessibleMessage{
			Type:    models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 5, Date: 1, Chat: group},
		}),
		"group button, inaccessible": callbackUpdate(models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: supergroup, MessageID: 5},
		}),
		"channel post":           {ID: 3, ChannelPost: &models.Message{ID: 1, Date: 1, Chat: channel, Text: "x"}},
		"edited private":         {ID: 4, EditedMessage: &models.Message{ID: 1, Date: 1, From: &batu, Chat: privateChat(42), Text: "x"}},
		"button without message": {ID: 5, CallbackQuery: &models.CallbackQuery{ID: "1", From: batu, InlineMessageID: "AAA", Data: "x"}},
		"empty update":           {ID: 6},
	}
	for name, upd := range tests {
		if got := chatOf(wire(t, upd)); got != 0 {
			t.Errorf("%s: chatOf = %d, want 0 (ignored)", name, got)
		}
		if in, _ := input(wire(t, upd)); in.ChatID != 0 {
			t.Errorf("%s: input ChatID = %d, want 0", name, in.ChatID)
		}
	}
}

// testTelegram is an adapter good enough for the translating functions.
func testTelegram() *Telegram { return &Telegram{log: slog.New(slog.DiscardHandler)} }

func TestInlineKeyboard(t *testing.T) {
	kb := testTelegram().inlineKeyboard([][]conversation.Button{
		{{Text: "宣传教育", Data: "log:sec:edu"}, {Text: "民族团结", Data: "log:sec:unity"}},
		{{Text: "打开链接", URL: "https://t.me/fieldlog_bot?start=K7QM2XPA"}},
		{{Text: "both", Data: "ignored", URL: "https://example.org"}}, // URL wins
	})
	want := [][]models.InlineKeyboardButton{
		{{Text: "宣传教育", CallbackData: "log:sec:edu"}, {Text: "民族团结", CallbackData: "log:sec:unity"}},
		{{Text: "打开链接", URL: "https://t.me/fieldlog_bot?start=K7QM2XPA"}},
		{{Text: "both", URL: "https://example.org"}},
	}
	if len(kb.InlineKeyboard) != len(want) {
		t.Fatalf("rows = %+v, want %+v", kb.InlineKeyboard, want)
	}
	for i := range want {
		if !slices.Equal(kb.InlineKeyboard[i], want[i]) {
			t.Errorf("row %d = %+v, want %+v", i, kb.InlineKeyboard[i], want[i])
		}
	}
	// A button has exactly one action on the wire: a URL button carries no
	// callback_data and a data button no url (Telegram rejects both at once).
	data, err := json.Marshal(kb)
	if err != nil {
		t.Fatal(err)
	}
	var wire struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		t.Fatal(err)
	}
	for i, row := range wire.InlineKeyboard {
		for j, b := range row {
			_, hasURL := b["url"]
			_, hasData := b["callback_data"]
			if hasURL == hasData {
				t.Errorf("button [%d][%d] on the wire: %s; want exactly one of url and callback_data", i, j, data)
			}
		}
	}
}

func TestInlineKeyboardEmptyRemovesButtons(t *testing.T) {
	// Editing a message with reply_markup {"inline_keyboard":[]} removes its
	// buttons; null or a missing field would not be accepted as a keyboard.
	for name, rows := range map[string][][]conversation.Button{"nil": nil, "empty": {}} {
		kb := testTelegram().inlineKeyboard(rows)
		if kb == nil {
			t.Fatalf("%s: inlineKeyboard returned nil", name)
		}
		data, err := json.Marshal(kb)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != `{"inline_keyboard":[]}` {
			t.Errorf("%s: serialised as %s, want {\"inline_keyboard\":[]}", name, data)
		}
	}
}

// A button whose data Telegram would refuse (over 64 bytes) is left out,
// so that the rest of the message is still sent.
func TestInlineKeyboardLeavesOutOverlongData(t *testing.T) {
	kb := testTelegram().inlineKeyboard([][]conversation.Button{
		{{Text: "ok", Data: strings.Repeat("x", 64)}, {Text: "too long", Data: strings.Repeat("x", 65)}},
		{{Text: "alone too long", Data: strings.Repeat("ᠮ", 22)}}, // 66 bytes
	})
	if len(kb.InlineKeyboard) != 1 || len(kb.InlineKeyboard[0]) != 1 || kb.InlineKeyboard[0][0].Text != "ok" {
		t.Errorf("keyboard = %+v, want only the button with 64 bytes of data", kb.InlineKeyboard)
	}
}

func TestMenuKeyboard(t *testing.T) {
	rows := [][]string{{"📝 记录活动", "📋 我的记录"}, {"✉️ 邀请"}}
	kb := menuKeyboard(rows, conversation.Button{})
	if !kb.IsPersistent || !kb.ResizeKeyboard {
		t.Errorf("IsPersistent, ResizeKeyboard = %v, %v; want true, true", kb.IsPersistent, kb.ResizeKeyboard)
	}
	if kb.OneTimeKeyboard {
		t.Error("the menu hides after one use (OneTimeKeyboard)")
	}
	var got [][]string
	for _, row := range kb.Keyboard {
		var texts []string
		for _, b := range row {
			texts = append(texts, b.Text)
		}
		got = append(got, texts)
	}
	if len(got) != len(rows) || !slices.Equal(got[0], rows[0]) || !slices.Equal(got[1], rows[1]) {
		t.Errorf("keyboard = %q, want %q", got, rows)
	}
	data, err := json.Marshal(kb)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"is_persistent":true`, `"resize_keyboard":true`, `"keyboard":[[`} {
		if !strings.Contains(string(data), field) {
			t.Errorf("menu serialised as %s, missing %s", data, field)
		}
	}
}

func TestBotCommands(t *testing.T) {
	got := botCommands([]conversation.Command{{Name: "log", Description: "记录活动"}, {Name: "my", Description: "我的记录"}})
	want := []models.BotCommand{{Command: "log", Description: "记录活动"}, {Command: "my", Description: "我的记录"}}
	if !slices.Equal(got, want) {
		t.Errorf("botCommands = %+v, want %+v", got, want)
	}
	// An empty list clears the chat's commands: it must be [] on the wire.
	if data, _ := json.Marshal(botCommands(nil)); string(data) != "[]" {
		t.Errorf("no commands serialised as %s, want []", data)
	}
}

// The menu's last row opens the web page as a Mini App, on HTTPS only:
// Telegram would refuse the whole message otherwise.
func TestMenuKeyboardWebApp(t *testing.T) {
	rows := [][]string{{"📝 记录活动"}}
	kb := menuKeyboard(rows, conversation.Button{Text: "🌐 网页版", WebApp: "https://fieldlog.example.cn/web/"})
	if len(kb.Keyboard) != 2 || kb.Keyboard[1][0].WebApp == nil || kb.Keyboard[1][0].WebApp.URL != "https://fieldlog.example.cn/web/" || kb.Keyboard[1][0].Text != "🌐 网页版" {
		t.Errorf("keyboard %+v", kb.Keyboard)
	}
	if kb := menuKeyboard(rows, conversation.Button{Text: "🌐 网页版", WebApp: "http://127.0.0.1/web/"}); len(kb.Keyboard) != 1 {
		t.Errorf("a Mini App row to an http address: %+v", kb.Keyboard)
	}
}
