package bottest

import (
	"encoding/json"
	"slices"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// User is a Telegram user talking to the bot. Their private chat with the bot
// has the user's id as chat id, as on Telegram.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
}

func (u User) model() models.User {
	return models.User{
		ID:           u.ID,
		FirstName:    u.FirstName,
		LastName:     u.LastName,
		Username:     u.Username,
		LanguageCode: u.LanguageCode,
	}
}

func (u User) privateChat() models.Chat {
	return models.Chat{
		ID:        u.ID,
		Type:      models.ChatTypePrivate,
		FirstName: u.FirstName,
		LastName:  u.LastName,
		Username:  u.Username,
	}
}

// Button is one inline keyboard button as the bot sent it.
type Button struct {
	Text   string
	Data   string // callback_data
	URL    string
	WebApp string // the URL of a web_app button (a Mini App)
}

// File is a file the server knows: uploaded by the bot, or made up for a
// user's photo or document. Its bytes are served by getFile and the download
// route.
type File struct {
	ID       string // file_id
	UniqueID string // file_unique_id
	Path     string // file_path, served under /file/bot<token>/
	Name     string // original file name; empty for photos
	MimeType string
	Data     []byte
	Width    int // photos only
	Height   int // photos only
}

func (f *File) clone() *File {
	if f == nil {
		return nil
	}
	c := *f
	c.Data = slices.Clone(f.Data)
	return &c
}

// Message is one version of a message the bot sent: what the user sees.
type Message struct {
	ChatID int64
	ID     int
	// Text is the text as the user sees it: markup of parse_mode removed and
	// HTML entities decoded (an approximation of Telegram's parser, see
	// parsemode.go). Source is the text exactly as the bot sent it.
	Text      string
	Source    string
	ParseMode string
	// Caption and CaptionSource are the same pair for photos and documents.
	Caption       string
	CaptionSource string
	// InlineKeyboard is the message's inline keyboard; editing the text
	// without reply_markup removes it, as on Telegram.
	InlineKeyboard [][]Button
	// ReplyKeyboard and RemoveKeyboard record a reply keyboard sent with (or
	// removed by) this message; Telegram does not attach those to the message.
	ReplyKeyboard  [][]string
	RemoveKeyboard bool
	ForceReply     bool
	Photo          *File // the uploaded photo (the largest size)
	Document       *File
	Edits          int  // how many times the bot edited the message
	Deleted        bool // only in History: the bot deleted the message
	// At is when the server recorded this version.
	At time.Time
	// Raw is the message as the server returned it to the bot.
	Raw models.Message
}

// Button returns the inline button with that text, if the message has one.
func (m Message) Button(text string) (Button, bool) {
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == text {
				return b, true
			}
		}
	}
	return Button{}, false
}

// Formatted returns the pieces of the message's text that carry an entity
// of type typ (models.MessageEntityTypeBold: what shows bold), in order.
func (m Message) Formatted(typ models.MessageEntityType) []string {
	units := utf16.Encode([]rune(m.Text))
	var out []string
	for _, e := range m.Raw.Entities {
		if e.Type == typ && e.Offset >= 0 && e.Offset+e.Length <= len(units) {
			out = append(out, string(utf16.Decode(units[e.Offset:e.Offset+e.Length])))
		}
	}
	return out
}

// ButtonTexts returns the texts of the inline buttons row by row, which reads
// well in test failure messages and comparisons.
func (m Message) ButtonTexts() [][]string {
	var rows [][]string
	for _, row := range m.InlineKeyboard {
		var texts []string
		for _, b := range row {
			texts = append(texts, b.Text)
		}
		rows = append(rows, texts)
	}
	return rows
}

// clone deep-copies m so that callers can not change the server's records.
func (m Message) clone() Message {
	c := m
	c.InlineKeyboard = nil
	for _, row := range m.InlineKeyboard {
		c.InlineKeyboard = append(c.InlineKeyboard, slices.Clone(row))
	}
	c.ReplyKeyboard = nil
	for _, row := range m.ReplyKeyboard {
		c.ReplyKeyboard = append(c.ReplyKeyboard, slices.Clone(row))
	}
	c.Photo = m.Photo.clone()
	c.Document = m.Document.clone()
	c.Raw = cloneModel(m.Raw)
	return c
}

// cloneModel deep-copies a models.Message through JSON: it is full of pointers.
func cloneModel(m models.Message) models.Message {
	data, err := json.Marshal(&m)
	if err != nil {
		return m
	}
	var c models.Message
	if err := json.Unmarshal(data, &c); err != nil {
		return m
	}
	return c
}

// CallbackAnswer is what the bot answered to a callback query.
type CallbackAnswer struct {
	QueryID   string // callback_query_id
	UpdateID  int64  // the update that carried the query
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
}

// Option configures a Server.
type Option func(*Server)

// WithBotUsername sets the bot's username returned by getMe and used in
// messages' from field (default "fieldlog_test_bot").
func WithBotUsername(username string) Option {
	return func(s *Server) { s.botUser.Username = username }
}

// apiError is an unsuccessful Bot API answer.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

// chatState is everything the server knows about one chat.
type chatState struct {
	chat      models.Chat
	lastMsgID int // message ids are per chat and shared by user and bot
	sent      map[int]*sentMessage
	order     []int   // ids of the bot's messages in send order
	events    []event // every version of the bot's messages, for WaitFor
	// cursor is where WaitFor starts reading events: a user action in the
	// chat moves it to "now". returned holds the events (by seq) a WaitFor
	// already returned, so that each version is returned at most once.
	cursor   uint64
	returned map[uint64]bool
}

// event is a version of a bot message, numbered by the server-wide sequence
// so that waiters can tell what happened after they started waiting.
type event struct {
	seq uint64
	msg Message
}

// sentMessage is a message the bot sent; history holds all its versions.
type sentMessage struct {
	raw           models.Message // current version as returned to the bot
	source        string
	captionSource string
	parseMode     string
	reply         [][]string
	remove        bool
	forceReply    bool
	photo         *File
	document      *File
	edits         int
	deleted       bool
	history       []Message
}

func (m *sentMessage) snapshot() Message {
	msg := Message{
		ChatID:         m.raw.Chat.ID,
		ID:             m.raw.ID,
		Text:           m.raw.Text,
		Source:         m.source,
		ParseMode:      m.parseMode,
		Caption:        m.raw.Caption,
		CaptionSource:  m.captionSource,
		ReplyKeyboard:  m.reply,
		RemoveKeyboard: m.remove,
		ForceReply:     m.forceReply,
		Photo:          m.photo,
		Document:       m.document,
		Edits:          m.edits,
		Deleted:        m.deleted,
		Raw:            m.raw,
	}
	if m.raw.ReplyMarkup != nil {
		for _, row := range m.raw.ReplyMarkup.InlineKeyboard {
			var buttons []Button
			for _, b := range row {
				wb := Button{Text: b.Text, Data: b.CallbackData, URL: b.URL}
				if b.WebApp != nil {
					wb.WebApp = b.WebApp.URL
				}
				buttons = append(buttons, wb)
			}
			msg.InlineKeyboard = append(msg.InlineKeyboard, buttons)
		}
	}
	return msg.clone()
}

// queuedUpdate is an update waiting to be confirmed by getUpdates.
type queuedUpdate struct {
	id   int64
	raw  json.RawMessage // marshalled when queued, so later changes by the test do not leak in
	sent bool            // returned by getUpdates at least once
	chat int64           // the chat it comes from (0: none), for webhook order
	// posting is set while the update is being posted to the webhook, and
	// retryAt after the bot did not take it.
	posting bool
	retryAt time.Time
}

// callbackState tracks a callback query id the server handed out.
type callbackState struct {
	updateID int64
	answered bool
}
