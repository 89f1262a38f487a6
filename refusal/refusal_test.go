package refusal_test

import (
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/parse"
	"fieldlog/refusal"
)

// The chat and the web say the same: one wording, the break between a
// message and the date forms the channel's own.
func TestOneWordingForEveryChannel(t *testing.T) {
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	earliest := fieldlog.Date{Year: 2024, Month: 1, Day: 1}
	chat := refusal.Words{Messages: msgs, Lang: fieldlog.Chinese, Earliest: earliest, Break: "\n"}
	page := chat
	page.Break = " "
	for _, err := range []error{parse.ErrFutureDate, parse.ErrTooEarly, parse.ErrImpossibleDate, parse.ErrNotDate} {
		c, p := chat.Date(err), page.Date(err)
		if strings.Replace(c, "\n", " ", 1) != p || !strings.Contains(c, msgs.Text(fieldlog.Chinese, "date_forms", nil)) {
			t.Errorf("%v: chat %q, page %q", err, c, p)
		}
	}
	if got := chat.Date(parse.ErrTooEarly); !strings.Contains(got, msgs.Date(fieldlog.Chinese, earliest)) {
		t.Errorf("too early, without the earliest day: %q", got)
	}
	mn := refusal.Words{Messages: msgs, Lang: fieldlog.Mongolian, Earliest: earliest, Break: "\n"}
	for _, e := range []*office.InvalidError{
		{Field: office.FieldParticipants, Err: parse.ErrTooLarge},
		{Field: office.FieldTitle, Err: parse.TooLongError{Len: 120, Max: 100}},
		{Field: office.FieldPhotos, Err: office.ErrTooManyPhotos},
		{Field: office.FieldType, Err: office.ErrMissing},
	} {
		if zh, m := chat.Invalid(e), mn.Invalid(e); zh == "" || m == "" || zh == m {
			t.Errorf("%v: %q / %q", e, zh, m)
		}
	}
	// Whom to ask, in name order, each with their unit.
	tree := fieldlog.NewTree([]fieldlog.Unit{{ID: "town", Level: fieldlog.Township, Name: fieldlog.Text{fieldlog.Chinese: "嘎鲁图镇", fieldlog.Mongolian: "ᠭᠠᠯᠤᠲᠤ"}}})
	closed := &office.ClosedError{Unit: "town", Period: fieldlog.Period{Year: 2023, Half: 2}, Due: fieldlog.Date{Year: 2023, Month: 12, Day: 20},
		Reopeners: []fieldlog.User{{Name: "王", UnitID: "town"}, {Name: "李", UnitID: "town"}}}
	got := chat.Closed(closed, tree)
	if !strings.Contains(got, "嘎鲁图镇") || strings.Index(got, "李") > strings.Index(got, "王") {
		t.Errorf("closed: %q", got)
	}
}
