package bot

import (
	"html"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"fieldlog/bot/bottest"
	"fieldlog/conversation"
)

func TestSplitHTML(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"fits: tags and escapes take no room", "<b>ab</b>&amp;c", 4, []string{"<b>ab</b>&amp;c"}},
		{"at a line break inside bold", "<b>aaaa\nbbbb</b>", 6, []string{"<b>aaaa</b>", "<b>bbbb</b>"}},
		{"between paragraphs", "<b>标题</b>\n\n正文正文", 5, []string{"<b>标题</b>", "正文正文"}},
		{"at a space", "<i>aa bb</i> cc", 4, []string{"<i>aa</i>", "<i>bb</i>", "cc"}},
		{"never inside an entity", "a&amp;&lt;&gt;b", 2, []string{"a&amp;", "&lt;&gt;", "b"}},
		{"nested tags reopened with attributes", `<b>x<a href="u?a&amp;b">yyyy</a></b>`, 3,
			[]string{`<b>x<a href="u?a&amp;b">yy</a></b>`, `<b><a href="u?a&amp;b">yy</a></b>`}},
		{"a start tag goes with its text", "aaa<b>bbb</b>", 3, []string{"aaa", "<b>bbb</b>"}},
		{"UTF-16 units", "<b>🎉🎉🎉</b>", 4, []string{"<b>🎉🎉</b>", "<b>🎉</b>"}},
	} {
		if got := splitHTML(tc.in, tc.limit); !slices.Equal(got, tc.want) {
			t.Errorf("%s: splitHTML(%q, %d) =\n%q\nwant\n%q", tc.name, tc.in, tc.limit, got, tc.want)
		}
	}
}

// htmlFormat is the visible text of balanced HTML, each non-space
// character with the tags in force on it, e.g. "b>i:x"; it fails on
// unbalanced tags.
func htmlFormat(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var stack []string
	for _, tok := range htmlTokens(s) {
		switch {
		case tok.tag != "" && !tok.end:
			stack = append(stack, tok.tag)
		case tok.tag != "":
			if len(stack) == 0 || stack[len(stack)-1] != tok.tag {
				t.Fatalf("unbalanced </%s> in %q", tok.tag, s)
			}
			stack = stack[:len(stack)-1]
		default:
			if v := html.UnescapeString(tok.raw); strings.TrimSpace(v) != "" {
				out = append(out, strings.Join(stack, ">")+":"+v)
			}
		}
	}
	if len(stack) > 0 {
		t.Fatalf("unclosed <%s> in %q", stack[len(stack)-1], s)
	}
	return out
}

// randomHTML is balanced Telegram HTML made of what fuzz bytes pick: text
// of every width, line breaks, spaces, escapes, and nested tags, some with
// attributes.
func randomHTML(pick []byte) string {
	pieces := []string{"统", "ᠮᠣᠩ\u202fᠤᠨ", "a", "🎉", " ", "\n", "\n\n", "&amp;", "&lt;", "&#34;", "。"}
	tags := []string{"b", "i", "u", `a href="https://t.me/x?a=1&amp;b=2"`, "code"}
	var b strings.Builder
	var open []string
	for _, c := range pick {
		switch {
		case c < 40 && len(open) < 4:
			tag := tags[int(c)%len(tags)]
			b.WriteString("<" + tag + ">")
			open = append(open, strings.Fields(tag)[0])
		case c < 60 && len(open) > 0:
			b.WriteString("</" + open[len(open)-1] + ">")
			open = open[:len(open)-1]
		default:
			b.WriteString(strings.Repeat(pieces[int(c)%len(pieces)], 1+int(c)%3))
		}
	}
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteString("</" + open[i] + ">")
	}
	return b.String()
}

func checkHTMLParts(t *testing.T, s string, limit int, parts []string) {
	t.Helper()
	var got []string
	for i, p := range parts {
		visible := 0
		for _, tok := range htmlTokens(p) {
			visible += tok.width
		}
		if visible > limit {
			t.Fatalf("part %d shows %d units, limit %d: %q", i, visible, limit, p)
		}
		f := htmlFormat(t, p)
		if len(f) == 0 {
			t.Fatalf("part %d shows nothing: %q", i, p)
		}
		got = append(got, f...)
	}
	if want := htmlFormat(t, s); !slices.Equal(got, want) {
		t.Fatalf("text or its formatting changed in splitting %q (limit %d):\n got %q\nwant %q", s, limit, got, want)
	}
}

// FuzzSplitHTML: whatever the HTML, every part fits as shown, every part
// is balanced, and the parts show every character of the text, in order,
// each with its formatting.
func FuzzSplitHTML(f *testing.F) {
	rng := rand.New(rand.NewSource(1))
	for range 20 {
		b := make([]byte, rng.Intn(300))
		rng.Read(b)
		f.Add(b, rng.Intn(40)+2)
	}
	f.Add([]byte{0, 200, 201, 202, 50}, 2)
	f.Fuzz(func(t *testing.T, pick []byte, limit int) {
		if limit < 2 || limit > 5000 {
			return
		}
		s := randomHTML(pick)
		parts := splitHTML(s, limit)
		if len(htmlFormat(t, s)) == 0 {
			return // nothing to show: Telegram refuses it however it is cut
		}
		checkHTMLParts(t, s, limit, parts)
	})
}

// The report is HTML: sent with parse_mode HTML, a report longer than a
// message reaches the fake Bot API (which refuses unbalanced tags and
// counts the limit on the text as shown) in parts whose headings are bold.
func TestTelegramSendsHTMLInBalancedParts(t *testing.T) {
	srv := bottest.New(t)
	var b strings.Builder
	for i := range 40 {
		b.WriteString("<b>（" + strings.Repeat("一", 1+i%3) + "）宣传教育</b>\n\n")
		b.WriteString(strings.Repeat("在&lt;社区&gt;开展宣讲&amp;座谈。", 20) + "\n\n")
	}
	long := strings.TrimSpace(b.String()) + "\n\n<b>" + strings.Repeat("很长的标题", 1000) + "</b>"
	engine := &stubEngine{respond: func(in conversation.Input) (conversation.Response, error) {
		if in.Text == "report" {
			return conversation.Response{Replies: []conversation.Reply{{Text: long, HTML: true}}}, nil
		}
		return echo(in), nil
	}}
	run(t, srv, newMemInbox(), engine)
	srv.SendText(userA, "report")
	var msgs []bottest.Message
	waitUntil(t, "the report arrived", 10*time.Second, func() bool {
		msgs = srv.Messages(userA.ID)
		return len(msgs) > 0 && strings.HasSuffix(msgs[len(msgs)-1].Text, "很长的标题")
	})
	if len(msgs) < 3 {
		t.Errorf("%d messages, want the report in several", len(msgs))
	}
	var parts []string
	bold := 0
	for _, m := range msgs {
		if m.ParseMode != string(models.ParseModeHTML) {
			t.Errorf("a part went with parse_mode %q", m.ParseMode)
		}
		parts = append(parts, m.Source)
		bold += len(m.Formatted(models.MessageEntityTypeBold))
	}
	checkHTMLParts(t, long, maxText, parts)
	if bold < 41 {
		t.Errorf("%d bold pieces, want every heading bold (41, the long one in several parts)", bold)
	}
}
