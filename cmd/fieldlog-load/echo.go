package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// startEcho runs, instead of fieldlog, the least bot that can carry the
// load: go-telegram/bot with its defaults (each update in its own
// goroutine), answering typed text with a new message and a button with an
// edit and the answer to the press, the calls fieldlog makes. Its keyboard
// has every label the officers press. It measures the floor that the fake,
// the officers and the library set.
func startEcho(ctx context.Context, apiURL, token string, labels []string) (<-chan error, error) {
	var kb [][]models.InlineKeyboardButton
	for i, l := range labels {
		kb = append(kb, []models.InlineKeyboardButton{{Text: l, CallbackData: fmt.Sprint("b", i)}})
	}
	markup := &models.InlineKeyboardMarkup{InlineKeyboard: kb}
	handler := func(ctx context.Context, b *tg.Bot, upd *models.Update) {
		switch {
		case upd.Message != nil:
			_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: upd.Message.Chat.ID, Text: "echo: " + upd.Message.Text, ReplyMarkup: markup})
		case upd.CallbackQuery != nil && upd.CallbackQuery.Message.Message != nil:
			m := upd.CallbackQuery.Message.Message
			_, _ = b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: m.Chat.ID, MessageID: m.ID,
				Text: fmt.Sprintf("echo: %s (%d)", upd.CallbackQuery.Data, upd.ID), ReplyMarkup: markup})
			_, _ = b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: upd.CallbackQuery.ID})
		}
	}
	const poll = 30 * time.Second
	b, err := tg.New(token, tg.WithServerURL(apiURL), tg.WithSkipGetMe(), tg.WithDefaultHandler(handler),
		tg.WithHTTPClient(poll, &http.Client{Timeout: poll + 10*time.Second}))
	if err != nil {
		return nil, err
	}
	if _, err := b.GetMe(ctx); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { b.Start(ctx); done <- nil }()
	return done, nil
}
