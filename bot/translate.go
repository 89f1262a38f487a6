package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"fieldlog"
	"fieldlog/conversation"
)

// chatOf is the private chat an update comes from, or 0.
func chatOf(upd *update) int64 {
	switch {
	case upd.Message != nil && upd.Message.Chat.Type == chatTypePrivate:
		return upd.Message.Chat.ID
	case upd.CallbackQuery != nil && upd.CallbackQuery.Message != nil && upd.CallbackQuery.Message.Chat.Type == chatTypePrivate:
		return upd.CallbackQuery.Message.Chat.ID
	}
	return 0
}

// input turns an update into the engine's input, and returns the id of a
// button press to acknowledge.
func input(upd *update) (conversation.Input, string) {
	in := conversation.Input{ChatID: chatOf(upd)}
	switch {
	case upd.Message != nil:
		m := upd.Message
		if m.From != nil {
			in.UserID, in.Name, in.LanguageCode = m.From.ID, displayName(*m.From), m.From.LanguageCode
		}
		in.Text = m.Text
		switch {
		case len(m.Photo) > 0:
			in.Photo = fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: m.Photo[len(m.Photo)-1].FileID} // the largest size
		case m.Document != nil && strings.HasPrefix(m.Document.MimeType, "image/"):
			// A photo sent "as a file", uncompressed: Telegram can only
			// show it again as a document.
			in.Photo = fieldlog.Photo{Source: fieldlog.TelegramDocument, ID: m.Document.FileID}
		}
		if in.Photo.ID != "" {
			in.Caption = m.Caption
		}
		return in, ""
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		in.UserID, in.Name, in.LanguageCode = q.From.ID, displayName(q.From), q.From.LanguageCode
		in.Button = q.Data
		if q.Message != nil {
			in.MessageID = q.Message.ID
		}
		return in, q.ID
	}
	return in, ""
}

func displayName(u user) string {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = u.Username
	}
	return name
}

// inlineKeyboard is the engine's buttons as Telegram's inline keyboard. An
// empty keyboard removes the buttons of an edited message. A button whose
// data is longer than Telegram allows would make Telegram refuse the whole
// message, so it is left out, and the bug logged.
func (t *Telegram) inlineKeyboard(rows [][]conversation.Button) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	for _, r := range rows {
		var row []models.InlineKeyboardButton
		for _, b := range r {
			switch {
			case b.WebApp != "" && strings.HasPrefix(b.WebApp, "https://"):
				row = append(row, models.InlineKeyboardButton{Text: b.Text, WebApp: &models.WebAppInfo{URL: b.WebApp}})
			case b.WebApp != "":
				// Telegram opens a Mini App only from HTTPS, and would
				// refuse the whole message.
				t.log.Error("a Mini App button to no HTTPS address; button left out")
			case b.URL != "":
				row = append(row, models.InlineKeyboardButton{Text: b.Text, URL: b.URL})
			case len(b.Data) > maxButtonData:
				t.log.Error("button data over Telegram's limit; button left out", "bytes", len(b.Data), "data", b.Data)
			default:
				row = append(row, models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data})
			}
		}
		if len(row) > 0 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, row)
		}
	}
	return kb
}

// menuKeyboard is the persistent keyboard of the user's actions.
func menuKeyboard(rows [][]string, app conversation.Button) *models.ReplyKeyboardMarkup {
	kb := &models.ReplyKeyboardMarkup{ResizeKeyboard: true, IsPersistent: true}
	for _, r := range rows {
		var row []models.KeyboardButton
		for _, label := range r {
			row = append(row, models.KeyboardButton{Text: label})
		}
		kb.Keyboard = append(kb.Keyboard, row)
	}
	// Telegram opens a Mini App only from HTTPS.
	if app.Text != "" && strings.HasPrefix(app.WebApp, "https://") {
		kb.Keyboard = append(kb.Keyboard, []models.KeyboardButton{{Text: app.Text, WebApp: &models.WebAppInfo{URL: app.WebApp}}})
	}
	return kb
}

func botCommands(cmds []conversation.Command) []models.BotCommand {
	out := make([]models.BotCommand, 0, len(cmds))
	for _, c := range cmds {
		out = append(out, models.BotCommand{Command: c.Name, Description: c.Description})
	}
	return out
}
