package storage

import (
	"reflect"
	"testing"

	"fieldlog"
)

// Photos stored before they had a source (a Telegram file_id as it is, an
// image sent as a file as "doc:…") read back as Telegram's; the encoding
// of each source reads back as itself.
func TestPhotosKeepTheirStoredForm(t *testing.T) {
	stored := []string{"AgACAgUAAxkBAAIB", "doc:BQACAgUAAxkBAAIC", "stored:6650f0c2a1b2c3d4e5f60718"}
	want := []fieldlog.Photo{
		{Source: fieldlog.TelegramPhoto, ID: "AgACAgUAAxkBAAIB"},
		{Source: fieldlog.TelegramDocument, ID: "BQACAgUAAxkBAAIC"},
		{Source: fieldlog.StoredPhoto, ID: "6650f0c2a1b2c3d4e5f60718"},
	}
	if got := photosOf(stored); !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v, want %+v", got, want)
	}
	if got := photosDoc(want); !reflect.DeepEqual(got, stored) {
		t.Errorf("wrote %q, want %q", got, stored)
	}
	if got := photosDoc(nil); got == nil || len(got) != 0 {
		t.Errorf("no photos stored as %#v, want an empty list", got)
	}
	if got := photosOf(nil); got != nil {
		t.Errorf("no photos read as %#v", got)
	}
}
