package conversation

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/parse"
)

// sentences is a harness whose engine reads sentences with a fake
// parse.Activity: each sentence a test sends has the reading it is given,
// any other none, so that the engine's side is tested with exact readings
// whatever the parser makes of a sentence.
type sentences struct {
	*harness
	readings map[string]parse.Reading
	read     []string          // the sentences read, in order
	known    []parse.Knowledge // what each was read against
}

func newSentences(t *testing.T, cat *fieldlog.Catalog, readings map[string]parse.Reading) *sentences {
	t.Helper()
	h := newHarness(t)
	s := &sentences{harness: h, readings: readings}
	h.e = newEngine(Config{Store: h.store, Catalog: cat, Messages: h.msgs, Location: h.now.Location(),
		BotName: "fieldlog_bot", Now: func() time.Time { return h.now },
		Reader: func(text string, k parse.Knowledge) parse.Reading {
			s.read = append(s.read, text)
			s.known = append(s.known, k)
			return s.readings[text]
		}}, adminID)
	h.join(officerID, fieldlog.Officer, "v1")
	return s
}

// card is the text of a draft's fields as describe writes them, from
// pairs of label id and value.
func (h *harness) card(kv ...string) string {
	var lines []string
	for i := 0; i+1 < len(kv); i += 2 {
		lines = append(lines, h.tr(kv[i])+kv[i+1])
	}
	return strings.Join(lines, "\n")
}

// buttonRows are the labels of a reply's buttons, row by row.
func buttonRows(r Reply) [][]string {
	var out [][]string
	for _, row := range r.Buttons {
		var labels []string
		for _, b := range row {
			labels = append(labels, b.Text)
		}
		out = append(out, labels)
	}
	return out
}

func mustButtons(t *testing.T, r Response, want ...[]string) {
	t.Helper()
	if len(r.Replies) == 0 {
		t.Fatal("no reply")
	}
	if got := buttonRows(r.Replies[len(r.Replies)-1]); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("buttons %q, want %q", got, want)
	}
}

const lecture = "6月7日在一村开展政策宣讲，80余人参加"

var june7 = fieldlog.Date{Year: 2024, Month: 6, Day: 7}

// lectureReading is what the sentence lecture says, all of a record.
func lectureReading() parse.Reading {
	return parse.Reading{Activity: true, HasDate: true, Date: june7,
		HasParticipants: true, Participants: fieldlog.Count{Value: 80, Approx: true},
		Place: "一村", PlaceUnit: "v1",
		Types: []parse.TypeScore{{SectionID: "publicity", TypeID: "lecture", Score: 5}, {SectionID: "unity", TypeID: "meeting", Score: 2}},
		Title: "开展政策宣讲"}
}

func TestASentenceThatSaysEverythingGoesToTheSummary(t *testing.T) {
	s := newSentences(t, testCatalog(), map[string]parse.Reading{lecture: lectureReading()})
	r := s.send(officerID, lecture)
	summary := s.card("label_section", "宣传教育", "label_type", "宣讲活动", "label_date", "2024年6月7日",
		"label_participants", "80余人", "label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "0")
	mustSay(t, r, s.tr("check_summary")+"\n\n"+summary)
	// Nothing was asked, so there is nothing to go back to.
	mustButtons(t, r, []string{s.tr("btn_save"), s.tr("btn_change")}, []string{s.tr("btn_cancel")})
	if len(s.records()) != 0 {
		t.Fatal("a record was saved before the tap on Save")
	}
	if !slices.Equal(s.read, []string{lecture}) {
		t.Fatalf("read %q", s.read)
	}
	k := s.known[0]
	if k.Today != (fieldlog.Date{Year: 2024, Month: 6, Day: 20}) || k.Earliest != (fieldlog.Date{Year: 2023, Month: 7, Day: 1}) ||
		k.MaxTitle != parse.MaxTitle || k.Catalog == nil || len(k.Catalog.Sections) != 2 || k.Units == nil || k.Units.Name("v2", fieldlog.Chinese) != "二村" {
		t.Fatalf("read against %+v", k)
	}

	mustSay(t, s.press(officerID, s.tr("btn_save")), s.tr("saved")+"\n\n"+summary, s.tr("saved_next"))
	got := s.records()
	if len(got) != 1 {
		t.Fatalf("%d records saved", len(got))
	}
	a := got[0]
	if a.SectionID != "publicity" || a.TypeID != "lecture" || a.Date != june7 || a.Participants != (fieldlog.Count{Value: 80, Approx: true}) ||
		a.Title != "开展政策宣讲" || a.Place != "" || a.UnitID != "v1" || a.ReporterID != officerID || len(a.Photos) != 0 {
		t.Fatalf("saved %+v; want the reading, the place left to the officer's unit", a)
	}
	if s.inFlow(officerID) {
		t.Fatal("the flow is still open after saving")
	}
}

func TestASentenceIsAskedOnlyWhatItLacks(t *testing.T) {
	const text = "今天开展政策宣讲"
	s := newSentences(t, testCatalog(), map[string]parse.Reading{text: {Activity: true,
		HasDate: true, Date: fieldlog.Date{Year: 2024, Month: 6, Day: 20},
		Types: []parse.TypeScore{{SectionID: "publicity", TypeID: "lecture", Score: 3}}}})
	r := s.send(officerID, text)
	mustSay(t, r,
		s.tr("quick_understood")+"\n\n"+s.card("label_section", "宣传教育", "label_type", "宣讲活动", "label_date", "2024年6月20日",
			"label_participants", "—", "label_title", "—", "label_place", "一村", "label_photos", "0"),
		s.tr("ask_participants"))
	// The first question has nothing before it.
	mustButtons(t, r, []string{s.tr("btn_cancel")})

	// Bad input at an asked step is refused as in /log.
	mustSay(t, s.send(officerID, "很多"), s.tr("count_not_number"), s.tr("ask_participants"))
	askTitle := s.msg("ask_title", "Max", parse.MaxTitle)
	r = s.send(officerID, "45")
	mustSay(t, r, askTitle)
	mustButtons(t, r, []string{s.tr("btn_back"), s.tr("btn_cancel")})
	mustSay(t, s.press(officerID, s.tr("btn_back")), s.tr("ask_participants"))
	mustSay(t, s.send(officerID, "50"), askTitle)
	mustSay(t, s.send(officerID, strings.Repeat("长", 101)), s.msg("text_too_long", "Len", 101, "Max", 100), askTitle)
	summary := func(people, title string) string {
		return s.tr("check_summary") + "\n\n" + s.card("label_section", "宣传教育", "label_type", "宣讲活动", "label_date", "2024年6月20日",
			"label_participants", people, "label_title", title, "label_place", "一村", "label_photos", "0")
	}
	r = s.send(officerID, "政策宣讲进村")
	mustSay(t, r, summary("50人", "政策宣讲进村"))
	mustButtons(t, r, []string{s.tr("btn_save"), s.tr("btn_change")}, []string{s.tr("btn_back"), s.tr("btn_cancel")})
	// Back from the summary is the last question asked, not the photos.
	mustSay(t, s.press(officerID, s.tr("btn_back")), askTitle)
	mustSay(t, s.send(officerID, "政策宣讲进村"), summary("50人", "政策宣讲进村"))

	// Change works as in /log.
	s.press(officerID, s.tr("btn_change"))
	mustSay(t, s.press(officerID, s.tr("field_participants")), s.tr("ask_participants"))
	mustSay(t, s.send(officerID, "九十五"), summary("95人", "政策宣讲进村"))
	if len(s.records()) != 0 {
		t.Fatal("a record was saved before the tap on Save")
	}
	s.press(officerID, s.tr("btn_save"))
	if got := s.records(); len(got) != 1 || got[0].Participants != (fieldlog.Count{Value: 95}) || got[0].Title != "政策宣讲进村" {
		t.Fatalf("saved %+v", got)
	}
}

func TestTiedTypesAreAskedAsButtons(t *testing.T) {
	const text = "6月7日开会宣讲，30人"
	reading := lectureReading()
	reading.Participants = fieldlog.Count{Value: 30}
	reading.Types = []parse.TypeScore{{SectionID: "publicity", TypeID: "lecture", Score: 3}, {SectionID: "unity", TypeID: "meeting", Score: 3},
		{SectionID: "publicity", TypeID: "leaflets", Score: 1}}
	s := newSentences(t, testCatalog(), map[string]parse.Reading{text: reading})
	askTie := s.tr("ask_type_tie")
	tieButtons := [][]string{{"宣讲活动", "创建工作会议"}, {s.tr("btn_other_type")}}
	r := s.send(officerID, text)
	mustSay(t, r,
		s.tr("quick_understood")+"\n\n"+s.card("label_section", "—", "label_type", "—", "label_date", "2024年6月7日",
			"label_participants", "30人", "label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "0"),
		askTie)
	mustButtons(t, r, append(tieButtons, []string{s.tr("btn_cancel")})...)

	// Typed text that names no tied type gets the buttons again; a forged
	// choice changes nothing.
	mustSay(t, s.send(officerID, "是会议"), s.tr("use_buttons"), askTie)
	c, _ := s.store.Conversation(context.Background(), officerID)
	forged := s.do(Input{UserID: officerID, Button: data("f", c.ID, stepTie, "pick", "7")})
	if forged.Notice != s.tr("stale_button") || s.conversation().Draft.TypeID != "" {
		t.Fatalf("a forged choice: notice %q, draft %+v", forged.Notice, s.conversation().Draft)
	}

	summary := func(section, typ string, extra ...string) string {
		kv := []string{"label_section", section, "label_type", typ, "label_date", "2024年6月7日", "label_participants", "30人"}
		kv = append(kv, extra...)
		kv = append(kv, "label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "0")
		return s.tr("check_summary") + "\n\n" + s.card(kv...)
	}
	r = s.press(officerID, "创建工作会议")
	mustSay(t, r, summary("民族团结进步创建", "创建工作会议"))
	mustButtons(t, r, []string{s.tr("btn_save"), s.tr("btn_change")}, []string{s.tr("btn_back"), s.tr("btn_cancel")})
	mustSay(t, s.press(officerID, s.tr("btn_back")), askTie)
	// Typed, a tied type's name is understood.
	mustSay(t, s.send(officerID, "宣讲活动"), summary("宣传教育", "宣讲活动"))
	mustSay(t, s.press(officerID, s.tr("btn_back")), askTie)

	// Another type: the section and type steps of /log, and a type that
	// counts things asks its quantity.
	mustSay(t, s.press(officerID, s.tr("btn_other_type")), s.tr("ask_section"))
	mustSay(t, s.press(officerID, s.tr("btn_back")), askTie)
	s.press(officerID, s.tr("btn_other_type"))
	mustSay(t, s.press(officerID, "宣传教育"), s.msg("ask_type", "Section", "宣传教育"))
	mustSay(t, s.press(officerID, s.tr("btn_back")), s.tr("ask_section"))
	s.press(officerID, "宣传教育")
	mustSay(t, s.press(officerID, "发放宣传资料"), s.msg("ask_quantity", "Unit", "份"))
	mustSay(t, s.send(officerID, "1200余"), summary("宣传教育", "发放宣传资料", "label_quantity", "1200余份"))
	s.press(officerID, s.tr("btn_save"))
	if got := s.records(); len(got) != 1 || got[0].TypeID != "leaflets" || got[0].Quantity != (fieldlog.Count{Value: 1200, Approx: true}) {
		t.Fatalf("saved %+v", got)
	}
}

// conversation is the officer's stored conversation.
func (s *sentences) conversation() fieldlog.Conversation {
	c, _ := s.store.Conversation(context.Background(), officerID)
	return c
}

func TestTiedTypesOfTheSameNameSayTheirSection(t *testing.T) {
	cat := testCatalog()
	cat.Sections[1].Types = append(cat.Sections[1].Types, fieldlog.ActivityType{ID: "lecture",
		Name: fieldlog.Text{fieldlog.Chinese: "宣讲活动", fieldlog.Mongolian: "ᠨᠣᠮᠯᠠᠯ"}, Unit: fieldlog.Text{fieldlog.Chinese: "场", fieldlog.Mongolian: "ᠤᠳᠠᠭ᠎ᠠ"}})
	reading := lectureReading()
	reading.Types = []parse.TypeScore{{SectionID: "publicity", TypeID: "lecture", Score: 4}, {SectionID: "unity", TypeID: "lecture", Score: 4}}
	s := newSentences(t, cat, map[string]parse.Reading{lecture: reading})
	r := s.send(officerID, lecture)
	mustButtons(t, r, []string{s.msg("tie_option", "Type", "宣讲活动", "Section", "宣传教育"), s.msg("tie_option", "Type", "宣讲活动", "Section", "民族团结进步创建")},
		[]string{s.tr("btn_other_type")}, []string{s.tr("btn_cancel")})
	s.press(officerID, s.msg("tie_option", "Type", "宣讲活动", "Section", "民族团结进步创建"))
	if d := s.conversation().Draft; d.SectionID != "unity" || d.TypeID != "lecture" {
		t.Fatalf("draft %+v", d)
	}
}

func TestTheTypeOfAReading(t *testing.T) {
	s := newSentences(t, testCatalog(), nil)
	tr := &turn{e: s.e}
	ts := func(kv ...any) []parse.TypeScore {
		var out []parse.TypeScore
		for i := 0; i+2 < len(kv)+1; i += 3 {
			out = append(out, parse.TypeScore{SectionID: kv[i].(string), TypeID: kv[i+1].(string), Score: kv[i+2].(int)})
		}
		return out
	}
	for name, tc := range map[string]struct {
		in, want []parse.TypeScore
	}{
		"none":                 {nil, nil},
		"one best":             {ts("publicity", "lecture", 5, "unity", "meeting", 2), ts("publicity", "lecture", 5)},
		"a tie":                {ts("publicity", "lecture", 3, "unity", "meeting", 3, "publicity", "leaflets", 1), ts("publicity", "lecture", 3, "unity", "meeting", 3)},
		"no score":             {ts("publicity", "lecture", 0, "unity", "meeting", 0), nil},
		"not in the catalogue": {ts("gone", "lecture", 9, "publicity", "gone", 9, "unity", "meeting", 4), ts("unity", "meeting", 4)},
		"a type twice":         {ts("unity", "meeting", 4, "unity", "meeting", 4), ts("unity", "meeting", 4)},
	} {
		if got := tr.bestTypes(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: bestTypes = %v, want %v", name, got, tc.want)
		}
	}
	// More tied types than maxTies say too little: the section is asked.
	var tied []parse.TypeScore
	cat := &fieldlog.Catalog{Sections: []fieldlog.Section{{ID: "s"}}}
	for i := range maxTies + 1 {
		id := string(rune('a' + i))
		cat.Sections[0].Types = append(cat.Sections[0].Types, fieldlog.ActivityType{ID: id})
		tied = append(tied, parse.TypeScore{SectionID: "s", TypeID: id, Score: 1})
	}
	wide := &turn{e: newEngine(Config{Catalog: cat})}
	if got := wide.bestTypes(tied); got != nil {
		t.Errorf("%d tied types: bestTypes = %v, want none", len(tied), got)
	}
	if got := wide.bestTypes(tied[:maxTies]); len(got) != maxTies {
		t.Errorf("%d tied types: bestTypes = %v, want all", maxTies, got)
	}
}

func TestAQuantityIsKeptForATypeThatCountsThings(t *testing.T) {
	leaflets := lectureReading()
	leaflets.Types = []parse.TypeScore{{SectionID: "publicity", TypeID: "leaflets", Score: 4}}
	leaflets.HasQuantity, leaflets.Quantity = true, fieldlog.Count{Value: 1200, Approx: true}
	lectureWithAmount := lectureReading()
	lectureWithAmount.HasQuantity, lectureWithAmount.Quantity = true, fieldlog.Count{Value: 500}
	s := newSentences(t, testCatalog(), map[string]parse.Reading{"leaflets": leaflets, "lecture": lectureWithAmount})

	mustSay(t, s.send(officerID, "leaflets"), s.tr("check_summary")+"\n\n"+s.card("label_section", "宣传教育", "label_type", "发放宣传资料",
		"label_date", "2024年6月7日", "label_participants", "80余人", "label_quantity", "1200余份",
		"label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "0"))
	s.press(officerID, s.tr("btn_save"))
	s.send(officerID, "lecture")
	s.press(officerID, s.tr("btn_save"))
	byType := map[string]fieldlog.Activity{}
	for _, a := range s.records() {
		byType[a.TypeID] = a
	}
	if byType["leaflets"].Quantity != (fieldlog.Count{Value: 1200, Approx: true}) || byType["lecture"].Quantity != (fieldlog.Count{}) {
		t.Fatalf("saved %+v", byType)
	}

	// Without the amount, a type that counts things asks it.
	leaflets.HasQuantity = false
	s.readings["leaflets"] = leaflets
	mustSay(t, s.send(officerID, "leaflets"), s.tr("quick_understood")+"\n\n"+s.card("label_section", "宣传教育", "label_type", "发放宣传资料",
		"label_date", "2024年6月7日", "label_participants", "80余人", "label_quantity", "—",
		"label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "0"),
		s.msg("ask_quantity", "Unit", "份"))
}

func TestThePlaceOfASentence(t *testing.T) {
	other := lectureReading()
	other.Place, other.PlaceUnit = "二村", "v2"
	free := lectureReading()
	free.Place, free.PlaceUnit = "村文化广场", ""
	long := lectureReading()
	long.Place, long.PlaceUnit = strings.Repeat("场", maxPlace+1), ""
	onlyUnit := lectureReading()
	onlyUnit.Place, onlyUnit.PlaceUnit = "", "town"
	s := newSentences(t, testCatalog(), map[string]parse.Reading{"other": other, "free": free, "long": long, "unit": onlyUnit})
	for sentence, want := range map[string]string{"other": "二村", "free": "村文化广场", "long": "", "unit": "嘎鲁图镇"} {
		r := s.send(officerID, sentence)
		shown := want
		if want == "" {
			shown = "一村" // a place the place step would refuse is left for Change
		}
		mustContain(t, r, "\n"+s.tr("label_place")+shown+"\n")
		id := s.conversation().Draft.ID
		s.press(officerID, s.tr("btn_save"))
		if a, err := s.store.Activity(context.Background(), id); err != nil || a.Place != want {
			t.Errorf("%s: saved place %q (%v), want %q", sentence, a.Place, err, want)
		}
	}
}

func TestADateOfTheSentenceThatLogWouldRefuseIsAsked(t *testing.T) {
	early := lectureReading()
	early.Date = fieldlog.Date{Year: 2023, Month: 6, Day: 30}
	s := newSentences(t, testCatalog(), map[string]parse.Reading{"early": early, "june20": func() parse.Reading {
		r := lectureReading()
		r.Date = fieldlog.Date{Year: 2024, Month: 6, Day: 20}
		return r
	}()})
	understood := s.tr("quick_understood") + "\n\n" + s.card("label_section", "宣传教育", "label_type", "宣讲活动", "label_date", "—",
		"label_participants", "80余人", "label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "0")
	earliest := s.msg("date_format", "Y", 2023, "M", 7, "D", 1)
	askDate := s.msg("ask_date", "Forms", s.tr("date_forms"))
	mustSay(t, s.send(officerID, "early"), understood, s.msg("date_too_early", "Earliest", earliest)+"\n"+s.tr("date_forms"), askDate)
	mustSay(t, s.send(officerID, "2024-02-30"), s.msg("date_impossible", "Earliest", earliest)+"\n"+s.tr("date_forms"), askDate)
	mustContain(t, s.press(officerID, s.tr("btn_yesterday")), s.tr("check_summary")+"\n\n"+s.tr("label_section"))
	s.send(officerID, "/cancel")

	// A day of a half-year closed by its deadline is refused with whom to ask.
	s.store.SaveUser(context.Background(), fieldlog.User{ID: coordID, ChatID: coordID, Name: "王干事", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town"})
	s.now = s.now.Add(6 * 24 * time.Hour) // 26 June: the 25th has passed
	closed := s.msg("period_closed", "Period", s.msg("period_h1", "Year", 2024), "Date", s.date(2024, 6, 25),
		"Whom", s.msg("whom_one", "Name", "王干事", "Unit", "嘎鲁图镇"))
	mustSay(t, s.send(officerID, "june20"), understood, closed, askDate)
}

func TestTextThatIsNoActivityGetsTheMenuHint(t *testing.T) {
	s := newSentences(t, testCatalog(), map[string]parse.Reading{"你好": {Activity: false, Title: "你好"}, lecture: lectureReading()})
	r := s.send(officerID, "你好")
	mustSay(t, r, s.tr("hint_use_menu"))
	if r.Replies[0].Menu == nil || s.inFlow(officerID) {
		t.Fatalf("no menu, or a flow began:\n%s", dump(r))
	}
	// Someone who may not log is not read at all: an admin without a unit.
	s.join(adminID, fieldlog.Admin, "")
	mustSay(t, s.send(adminID, lecture), s.tr("hint_use_menu"))
	// Inside a flow, at a step answered with a button, a sentence of an
	// activity is another record's: the officer is told to finish this
	// one first, and asked the same question again.
	s.send(officerID, "/log")
	mustSay(t, s.send(officerID, lecture), s.tr("draft_open"), s.tr("ask_section"))
	if !slices.Equal(s.read, []string{"你好", lecture}) {
		t.Fatalf("read %q, want the text outside a flow by an officer, and the sentence at the button step", s.read)
	}
}

// A second captioned photo, or a second sentence, while a quick draft
// waits for Save is not added to it (its caption would be lost): the
// officer is told to save or cancel first, and the draft is as it was.
func TestTheNextActivityWaitsForTheDraft(t *testing.T) {
	const next = "6月9日发放宣传资料200份"
	s := newSentences(t, testCatalog(), map[string]parse.Reading{lecture: lectureReading(), next: {Activity: true, Title: "发放宣传资料"}})
	first := s.send(officerID, lecture)
	mustContain(t, first, s.tr("check_summary"))
	r := s.do(Input{UserID: officerID, Photo: tgPhoto("photo-2"), Caption: next})
	if len(r.Replies) == 0 || r.Replies[0].Text != s.tr("draft_open") {
		t.Fatalf("a captioned photo at the summary:\n%s", dump(r))
	}
	if c, err := s.store.Conversation(context.Background(), officerID); err != nil || len(c.Draft.Photos) != 0 {
		t.Errorf("the photo of the next activity joined the draft: %q, %v", c.Draft.Photos, err)
	}
	r = s.send(officerID, next)
	if len(r.Replies) == 0 || r.Replies[0].Text != s.tr("draft_open") {
		t.Fatalf("a sentence at the summary:\n%s", dump(r))
	}
}

func TestAPhotoWithACaptionIsTheSentenceWithThePhoto(t *testing.T) {
	s := newSentences(t, testCatalog(), map[string]parse.Reading{lecture: lectureReading()})
	r := s.do(Input{UserID: officerID, Photo: tgPhoto("photo-1"), Caption: lecture})
	mustSay(t, r, s.tr("check_summary")+"\n\n"+s.card("label_section", "宣传教育", "label_type", "宣讲活动", "label_date", "2024年6月7日",
		"label_participants", "80余人", "label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "1"))
	// More photos join the draft at the summary, as at any step of /log.
	mustSay(t, s.do(Input{UserID: officerID, Photo: tgPhoto("photo-2")}), s.msg("photo_received", "Count", 2),
		s.tr("check_summary")+"\n\n"+s.card("label_section", "宣传教育", "label_type", "宣讲活动", "label_date", "2024年6月7日",
			"label_participants", "80余人", "label_title", "开展政策宣讲", "label_place", "一村", "label_photos", "2"))
	s.press(officerID, s.tr("btn_save"))
	if got := s.records(); len(got) != 1 || !slices.Equal(got[0].Photos, []fieldlog.Photo{tgPhoto("photo-1"), tgPhoto("photo-2")}) {
		t.Fatalf("saved %+v", got)
	}
	// A photo without a caption outside a flow is answered as today.
	mustSay(t, s.do(Input{UserID: officerID, Photo: tgPhoto("photo-3")}), s.tr("hint_use_menu"))
	if len(s.read) != 1 {
		t.Fatalf("read %q", s.read)
	}
}

func TestCancelAQuickDraftSavesNothing(t *testing.T) {
	s := newSentences(t, testCatalog(), map[string]parse.Reading{lecture: lectureReading()})
	s.send(officerID, lecture)
	mustSay(t, s.press(officerID, s.tr("btn_cancel")), s.tr("cancelled"), s.tr("hint_use_menu"))
	if len(s.records()) != 0 || s.inFlow(officerID) {
		t.Fatal("a cancelled draft was saved or stays open")
	}
}

// tgPhoto is a photo sent through Telegram.
func tgPhoto(id string) fieldlog.Photo { return fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: id} }
