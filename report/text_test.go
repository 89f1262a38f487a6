package report

import (
	"html"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// squeeze drops the whitespace a cut may remove, so that what is left can
// be compared for lost or reordered text.
func squeeze(s string) string {
	return strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s)
}

// tail is the end of a message, for error messages.
func tail(s string) string {
	r := []rune(s)
	return string(r[max(0, len(r)-10):])
}

func checkMessages(t *testing.T, msgs []string, paragraphs []string, limit int) {
	t.Helper()
	for i, m := range msgs {
		if n := utf16Len(m); n > limit || n == 0 {
			t.Fatalf("message %d has %d UTF-16 units (limit %d)", i, n, limit)
		}
		if !utf8.ValidString(m) {
			t.Fatalf("message %d is not valid UTF-8", i)
		}
		if r, _ := utf8.DecodeRuneInString(m); binds(r) {
			t.Errorf("message %d starts with %U, which belongs to what precedes it", i, r)
		}
		if r, _ := utf8.DecodeLastRuneInString(m); r == 0x202F {
			t.Errorf("message %d ends with a suffix join", i)
		}
	}
	if got, want := squeeze(strings.Join(msgs, "")), squeeze(strings.Join(paragraphs, "")); got != want {
		t.Fatalf("text lost or reordered:\n got %q\nwant %q", got, want)
	}
}

// texts are the paragraphs' texts.
func texts(ps []chatParagraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.text
	}
	return out
}

// packText packs plain paragraphs and returns the messages' visible text.
func packText(paragraphs []string, limit int) []string {
	ps := make([]chatParagraph, len(paragraphs))
	for i, p := range paragraphs {
		ps[i] = chatParagraph{text: p}
	}
	var out []string
	for _, m := range pack(ps, limit) {
		out = append(out, m.visible())
	}
	return out
}

func TestHTMLPacksWholeParagraphs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	d := Document{Paragraphs: []Paragraph{{Title, "第1苏木2024年上半年统战工作开展情况"}}}
	for range 400 {
		kind := []Kind{Heading1, Heading2, Body, Body, Body}[rng.Intn(5)]
		d.Paragraphs = append(d.Paragraphs, Paragraph{kind, strings.Repeat("开展宣讲活动 ᠤᠳᠠᠭ\u180eᠠ\u202fᠶᠢᠨ 😀 <&>。", 1+rng.Intn(30))})
	}
	paragraphs := chatParagraphs(d)
	var out []string
	for _, m := range pack(paragraphs, MaxMessage) {
		out = append(out, m.visible())
	}
	checkMessages(t, out, texts(paragraphs), MaxMessage)
	if len(out) < 3 {
		t.Errorf("%d messages; the test wants a report that needs several", len(out))
	}
	// Every paragraph is short, so every break falls between paragraphs:
	// the messages are the paragraphs, regrouped.
	if strings.Join(out, paragraphBreak) != strings.Join(texts(paragraphs), paragraphBreak) {
		t.Error("messages are not whole paragraphs")
	}
	html := HTML(d)
	if len(html) != len(out) || !strings.HasPrefix(html[0], "<b>"+d.Paragraphs[0].Text+"</b>"+paragraphBreak) {
		t.Error("the title does not open the first message on its own line, bold")
	}
}

// Issue 10, point 6: headings are bold in Telegram's HTML, not marked with
// "■ ", so that copied text is the report; what users typed is escaped.
func TestHTMLHeadingsBoldTextEscaped(t *testing.T) {
	d := Document{Paragraphs: []Paragraph{{Title, "标题"}, {Heading1, "一、工作"}, {Heading2, "（一）宣传"},
		{Body, `在<b>社区</b>开展"A&B"活动。`}, {Body, "  "}}}
	got := HTML(d)
	want := "<b>标题</b>\n\n<b>一、工作</b>\n\n<b>（一）宣传</b>\n\n在&lt;b&gt;社区&lt;/b&gt;开展&#34;A&amp;B&#34;活动。"
	if len(got) != 1 || got[0] != want {
		t.Errorf("HTML =\n%q\nwant\n%q", got, want)
	}
	if strings.Contains(got[0], "■") {
		t.Error("a heading is marked with ■")
	}
	if len(HTML(Document{})) != 0 {
		t.Error("an empty document gives messages")
	}
}

// The limit counts the text as shown: escapes and tags take no room, and a
// heading cut in two is bold in both messages.
func TestHTMLLimitCountsVisibleText(t *testing.T) {
	body := strings.Repeat("<&>", 2000)    // 6000 shown, 24000 escaped
	heading := strings.Repeat("标题。", 2000) // 6000 shown
	got := HTML(Document{Paragraphs: []Paragraph{{Body, body}, {Heading1, heading}}})
	var shown []string
	for i, m := range got {
		v := html.UnescapeString(strings.NewReplacer("<b>", "", "</b>", "").Replace(m))
		if n := utf16Len(v); n > MaxMessage {
			t.Errorf("message %d shows %d units", i, n)
		}
		shown = append(shown, v)
	}
	if len(got) != 4 {
		t.Fatalf("%d messages for two paragraphs of 6000 units each, want 4", len(got))
	}
	if squeeze(strings.Join(shown, "")) != squeeze(body+heading) {
		t.Error("text lost")
	}
	for _, m := range got[2:] {
		if !strings.HasPrefix(m, "<b>") || !strings.HasSuffix(m, "</b>") || strings.Count(m, "<b>") != 1 {
			t.Errorf("a piece of the heading is not bold on its own: %.40q…", m)
		}
	}
	if utf16Len(got[0]) <= MaxMessage {
		t.Error("the test wants a message longer than the limit before its escapes are parsed")
	}
}

func TestTextCutsLongParagraphAtSentenceEnds(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 40000; i++ {
		b.WriteString("第")
		b.WriteString(strings.Repeat("统战", i%7))
		b.WriteString("项工作扎实推进😀。")
	}
	long := b.String()
	paragraphs := []string{"标题", long, "结尾。"}
	out := packText(paragraphs, MaxMessage)
	checkMessages(t, out, paragraphs, MaxMessage)
	if len(out) < 3 {
		t.Fatalf("%d messages for %d UTF-16 units", len(out), utf16Len(long))
	}
	if out[0] != "标题" {
		t.Errorf("the short paragraph before the long one was not sent whole: %q", out[0])
	}
	for i, m := range out[1 : len(out)-1] {
		if !strings.HasSuffix(m, "。") {
			t.Errorf("message %d ends mid-sentence: …%q", i+1, tail(m))
		}
	}
	// Emoji take two UTF-16 units: the limit must be counted in those.
	if utf16Len(out[1]) <= utf8.RuneCountInString(out[1]) {
		t.Error("emoji not counted as surrogate pairs")
	}
}

func TestTextCutsMongolianBetweenWords(t *testing.T) {
	word := "ᠨᠢᠭᠡᠳᠦᠯ ᠹᠷᠣᠨᠲ\u202fᠤᠨ ᠠᠵᠢᠯ\u202fᠢ ᠤᠳᠠᠭ\u180eᠠ ᠡᠳ\u180b\u202fᠦᠨ "
	long := strings.TrimSpace(strings.Repeat(word, 400)) // no sentence end at all
	out := packText([]string{long}, MaxMessage)
	checkMessages(t, out, []string{long}, MaxMessage)
	at := 0 // where the current message starts in long
	for i, m := range out[:len(out)-1] {
		at += len(m)
		if long[at] != ' ' {
			t.Errorf("message %d is not cut at a space between words: …%q", i, tail(m))
		}
		at++ // the space dropped at the cut
	}
}

func TestTextCutsAtRuneBoundaryAsLastResort(t *testing.T) {
	long := strings.Repeat("😀", 5000) // 10000 UTF-16 units, nothing to cut at
	out := packText([]string{long}, MaxMessage)
	checkMessages(t, out, []string{long}, MaxMessage)
	if len(out) != 3 || utf16Len(out[0]) != MaxMessage {
		t.Errorf("got %d messages, first %d units", len(out), utf16Len(out[0]))
	}
}

// TestPackRandom checks the splitting rules on random paragraphs of every
// kind of character, including runs that cannot be parted anywhere.
func TestPackRandom(t *testing.T) {
	alphabet := []string{"统", "战", "。", " ", "\n", "ᠠ", "ᠨ", "\u202f", "\u180e", "\u180b", "᠃", "😀", "a", "e\u0301", "👍🏽"}
	rng := rand.New(rand.NewSource(11))
	for round := 0; round < 2000; round++ {
		limit := 4 + rng.Intn(60)
		var paragraphs []string
		allShort := true
		for n := rng.Intn(8); n >= 0; n-- {
			var b strings.Builder
			for k := rng.Intn(3 * limit); k >= 0; k-- {
				b.WriteString(alphabet[rng.Intn(len(alphabet))])
			}
			p := strings.TrimSpace(b.String())
			if p == "" {
				continue
			}
			paragraphs = append(paragraphs, p)
			allShort = allShort && utf16Len(p) <= limit
		}
		out := packText(paragraphs, limit)
		for i, m := range out {
			if n := utf16Len(m); n > limit || n == 0 {
				t.Fatalf("round %d: message %d has %d units, limit %d", round, i, n, limit)
			}
		}
		if squeeze(strings.Join(out, "")) != squeeze(strings.Join(paragraphs, "")) {
			t.Fatalf("round %d: text lost or reordered\n got %q\nwant %q", round, out, paragraphs)
		}
		if allShort && strings.Join(out, paragraphBreak) != strings.Join(paragraphs, paragraphBreak) {
			t.Fatalf("round %d: short paragraphs were cut: %q", round, out)
		}
	}
}
