package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	tg "github.com/go-telegram/bot"

	"fieldlog"
)

// MaxChannelFile is the largest file fetched from Telegram, which lets a
// bot download at most 20 MB.
const MaxChannelFile = 20 << 20

// ChannelPhoto returns the bytes and type of a photo Telegram keeps (an
// officer sent it in the chat), for the web page to show: getFile, then
// the file's download address. fieldlog.ErrNotFound for a photo of
// another source, or one Telegram no longer has.
func (t *Telegram) ChannelPhoto(ctx context.Context, p fieldlog.Photo) ([]byte, string, error) {
	if p.Source != fieldlog.TelegramPhoto && p.Source != fieldlog.TelegramDocument {
		return nil, "", fieldlog.ErrNotFound
	}
	var f, err = t.api.GetFile(ctx, &tg.GetFileParams{FileID: p.ID})
	if err != nil {
		if errors.Is(err, tg.ErrorBadRequest) {
			return nil, "", fieldlog.ErrNotFound
		}
		return nil, "", fmt.Errorf("ask Telegram for a photo (getFile): %w", err)
	}
	if f.FileSize > MaxChannelFile {
		return nil, "", fmt.Errorf("a photo of %d bytes: above Telegram's download limit", f.FileSize)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.api.FileDownloadLink(f), nil)
	if err != nil {
		return nil, "", fmt.Errorf("download a photo: %w", err)
	}
	resp, err := t.files.Do(req)
	if err != nil {
		// The error names the address, which holds the token.
		return nil, "", errors.New("download a photo from Telegram: request failed")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("download a photo from Telegram: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxChannelFile+1))
	if err != nil || len(data) > MaxChannelFile {
		return nil, "", errors.New("download a photo from Telegram: read failed or too large")
	}
	return data, http.DetectContentType(data), nil
}
