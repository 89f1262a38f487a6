package bot

// update is what the bot reads of a Telegram update, in the Bot API's own
// JSON: the fields it uses and no others. Updates are decoded into it from
// getUpdates and stored in the inbox as it encodes, which makes both much
// cheaper than go-telegram/bot's models.Update, whose callback queries
// carry the whole message pressed, text and keyboard, through every decode
// and into every inbox document. Being the same JSON, an update stored as
// a models.Update reads back as well.
type update struct {
	ID            int64          `json:"update_id"`
	Message       *message       `json:"message,omitempty"`
	CallbackQuery *callbackQuery `json:"callback_query,omitempty"`
}

type message struct {
	ID       int         `json:"message_id"`
	From     *user       `json:"from,omitempty"`
	Chat     chat        `json:"chat"`
	Text     string      `json:"text,omitempty"`
	Caption  string      `json:"caption,omitempty"`
	Photo    []photoSize `json:"photo,omitempty"`
	Document *document   `json:"document,omitempty"`
}

type user struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name,omitempty"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

type chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type photoSize struct {
	FileID string `json:"file_id"`
}

type document struct {
	FileID   string `json:"file_id"`
	MimeType string `json:"mime_type,omitempty"`
}

// callbackQuery is a pressed button. Its message is the one that carried
// the button; for an old one Telegram sends only the chat and the id (an
// inaccessible message), which is all the bot reads of either.
type callbackQuery struct {
	ID      string     `json:"id"`
	From    user       `json:"from"`
	Message *pressedOn `json:"message,omitempty"`
	Data    string     `json:"data,omitempty"`
}

type pressedOn struct {
	ID   int  `json:"message_id"`
	Chat chat `json:"chat"`
}

// chatTypePrivate is a one-to-one chat with the bot, the only kind served.
const chatTypePrivate = "private"
