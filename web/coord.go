package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
	"fieldlog/report"
	"fieldlog/statuschart"
)

// The coordinators' pages: returning a record for checking and the
// reporter's answer, who is silent (status, with the chart), the notes of
// a half-year report and the report itself, laid out for printing. Who may
// do what is the office's to say; here its refusals are worded.

// cannedComments are the comments offered for a return, by message id:
// the bot's buttons (conversation/review.go).
var cannedComments = []string{"comment_people", "comment_date", "comment_title", "comment_photos"}

// --- Return and confirm ---

func (s *Server) returnPost(q *req) error {
	id := fieldlog.ActivityID(q.r.PathValue("id"))
	comment := strings.TrimSpace(q.r.PostFormValue("comment"))
	if comment == "" {
		if i, err := strconv.Atoi(q.r.PostFormValue("canned")); err == nil && i >= 0 && i < len(cannedComments) {
			comment = q.tr(cannedComments[i])
		}
	}
	_, err := s.cfg.Office.Return(q.ctx, q.user, id, comment)
	var invalid *office.InvalidError
	if errors.As(err, &invalid) {
		a, rerr := s.cfg.Office.Record(q.ctx, q.user, id)
		if rerr != nil {
			return q.refused(rerr)
		}
		q.w.WriteHeader(http.StatusUnprocessableEntity)
		return q.renderRecord(a, "", q.textError(invalid.Err), comment)
	}
	if err != nil {
		return q.refused(err)
	}
	return q.redirect("/web/r/" + string(id))
}

func (s *Server) confirmPost(q *req) error {
	id := fieldlog.ActivityID(q.r.PathValue("id"))
	seen, err := strconv.Atoi(q.r.PostFormValue("seen"))
	if err != nil || seen < 0 {
		// A page of before the notes shown were counted: it is shown
		// again as it is now.
		a, err := s.cfg.Office.Record(q.ctx, q.user, id)
		if err != nil {
			return q.refused(err)
		}
		q.w.WriteHeader(http.StatusConflict)
		return q.renderRecord(a, q.tr("web_form_stale"), "", "")
	}
	a, err := s.cfg.Office.Confirm(q.ctx, q.user, id, seen)
	if errors.Is(err, office.ErrNotPending) {
		q.w.WriteHeader(http.StatusConflict)
		return q.render("message", map[string]any{"Text": q.tr("review_not_pending")})
	}
	if errors.Is(err, office.ErrReturnedAgain) {
		q.w.WriteHeader(http.StatusConflict)
		return q.renderRecord(a, q.tr("review_returned_again"), "", "")
	}
	if err != nil {
		return q.refused(err)
	}
	return q.redirect("/web/r/" + string(id))
}

// choice is one option of a select or a radio group.
type choice struct {
	Value, Label string
	Selected     bool
}

// renderRecord shows a record's page, with the return form when the
// user may return it and the confirm button for its reporter when it is
// returned; notice is said above it (why an action did nothing), problem
// and comment are a refused return's.
func (q *req) renderRecord(a fieldlog.Activity, notice, problem, comment string) error {
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return err
	}
	var canned []choice
	for i, id := range cannedComments {
		canned = append(canned, choice{Value: strconv.Itoa(i), Label: q.tr(id), Selected: i == 0})
	}
	return q.render("record", map[string]any{
		"R": q.view(a, tree), "Mine": q.user.MayChange(a),
		// Only to show the forms: the office decides on the post.
		"MayReturn":  q.user.MayReview(tree, a),
		"MayConfirm": q.user.MayChange(a) && a.Review.Pending(), "Seen": len(a.Review.Thread),
		"Canned": canned, "Comment": comment, "Problem": problem, "Notice": notice,
		"CommentMax":  fieldlog.MaxReviewComment,
		"ReturnIntro": q.tr("ask_return_comment", "Max", fieldlog.MaxReviewComment),
		"Thread":      q.reviewLines(a.Review),
	})
}

// reviewLines is the exchange of a record's review, as the bot words it.
func (q *req) reviewLines(r fieldlog.Review) []string {
	var lines []string
	for _, n := range r.Thread {
		date := q.s.cfg.Messages.Date(q.lang, fieldlog.DateOf(n.At, q.s.cfg.Office.Location()))
		switch n.State {
		case fieldlog.Returned:
			lines = append(lines, q.tr("review_note_returned", "Date", date, "Name", n.ByName, "Text", n.Text))
		case fieldlog.Confirmed:
			lines = append(lines, q.tr("review_note_confirmed", "Date", date, "Name", n.ByName))
		case fieldlog.Corrected:
			lines = append(lines, q.tr("review_note_corrected", "Date", date, "Name", n.ByName))
		}
	}
	return lines
}

// --- The unit and the half-year a page works on ---

// scope is the unit and half-year of the notes and report pages, chosen
// on the page.
type scope struct {
	Unit    fieldlog.UnitID
	Period  fieldlog.Period
	Units   []choice // the units the user may act on
	Periods []choice // the current and previous half-year, as the bot offers
}

// query is the scope as an address's query.
func (sc scope) query() string {
	return url.Values{"unit": {string(sc.Unit)}, "period": {sc.Period.String()}}.Encode()
}

// readScope takes the unit and half-year of the query (or the form),
// defaulting to the user's unit, or the first they may act on, and the
// current half-year. Whether the user may act on the unit is the office's
// to say; the units listed are those fieldlog.User.MayAct allows.
func (q *req) readScope() (scope, error) {
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return scope{}, err
	}
	today := q.s.cfg.Office.Today()
	sc := scope{Unit: fieldlog.UnitID(q.r.FormValue("unit")), Period: fieldlog.PeriodOf(today)}
	if p, err := parse.Period(q.r.FormValue("period"), today); err == nil {
		sc.Period = p
	}
	var acts []fieldlog.UnitID
	var walk func(fieldlog.UnitID, int)
	walk = func(id fieldlog.UnitID, depth int) {
		if q.user.MayAct(tree, id) {
			acts = append(acts, id)
			label := strings.Repeat("\u3000", depth) + tree.Name(id, q.lang)
			sc.Units = append(sc.Units, choice{Value: string(id), Label: label})
		}
		for _, c := range tree.Children(id) {
			walk(c, depth+1)
		}
	}
	for _, r := range tree.Roots() {
		walk(r, 0)
	}
	if sc.Unit == "" {
		sc.Unit = q.user.UnitID
		if sc.Unit == "" && len(acts) > 0 {
			sc.Unit = acts[0]
		}
	}
	for i := range sc.Units {
		sc.Units[i].Selected = sc.Units[i].Value == string(sc.Unit)
	}
	cur := fieldlog.PeriodOf(today)
	for _, p := range []fieldlog.Period{cur, cur.Previous()} {
		sc.Periods = append(sc.Periods, choice{Value: p.String(), Label: q.s.cfg.Messages.Period(q.lang, p), Selected: p == sc.Period})
	}
	return sc, nil
}

// --- Status ---

// status is who is silent in the user's subtree over the half-year of
// the query, and the chart of it.
func (q *req) status() (office.Status, statuschart.Chart, []string, error) {
	sc, err := q.readScope()
	if err != nil {
		return office.Status{}, statuschart.Chart{}, nil, err
	}
	st, err := q.s.cfg.Office.Status(q.ctx, q.user, sc.Period)
	if err != nil {
		return st, statuschart.Chart{}, nil, err
	}
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return st, statuschart.Chart{}, nil, err
	}
	name := func(u fieldlog.UnitID) string {
		if u == "" {
			return q.tr("status_all_units")
		}
		return tree.Name(u, q.lang)
	}
	// As the chat draws it (conversation/status.go).
	title := q.tr("status_title", "Unit", name(st.Scope), "Period", q.s.cfg.Messages.Period(q.lang, st.Period))
	chart := statuschart.Chart{Title: title, More: func(n int) string { return q.tr("status_more", "N", n) }}
	var lines []string
	silent := 0
	for _, r := range st.Units {
		label := name(r.Unit)
		bar := statuschart.Bar{Label: label, Value: r.Records, Silent: r.Silent()}
		if r.Own {
			bar.Marker, bar.Own = q.tr("status_own_mark"), true
			label += bar.Marker
		}
		last := ""
		if r.Silent() {
			silent++
		} else {
			last = q.s.cfg.Messages.Date(q.lang, r.Last)
		}
		lines = append(lines, q.tr("status_line", "Unit", label, "Count", r.Records, "Last", last))
		bar.Note = last
		chart.Bars = append(chart.Bars, bar)
	}
	chart.Subtitle = q.tr("status_summary", "Total", st.Records, "Silent", silent)
	return st, chart, lines, nil
}

func (s *Server) statusPage(q *req) error {
	st, chart, lines, err := q.status()
	if err != nil {
		return q.refused(err)
	}
	type row struct {
		Text   string
		Silent bool
	}
	var rows []row
	for i, l := range lines {
		rows = append(rows, row{Text: l, Silent: st.Units[i].Silent()})
	}
	sc, err := q.readScope()
	if err != nil {
		return err
	}
	sc.Units = nil // the user's own subtree: only the half-year is chosen
	data := map[string]any{"Title": chart.Title, "Rows": rows, "Summary": chart.Subtitle, "Scope": sc, "ScopeAction": "/web/status",
		"Chart": "/web/status.png?" + url.Values{"period": {st.Period.String()}}.Encode()}
	if len(st.Units) == 0 {
		data["Empty"] = q.tr("no_units")
	}
	return q.render("status", data)
}

// statusChart serves the status chart as a PNG.
func (s *Server) statusChart(q *req) error {
	st, chart, _, err := q.status()
	if err != nil {
		return q.refused(err)
	}
	if len(st.Units) == 0 {
		return q.notFound()
	}
	r, err := s.charts()
	if err != nil {
		return err
	}
	png, err := r.Render(chart)
	if err != nil {
		return err
	}
	q.w.Header().Set("Content-Type", "image/png")
	q.w.Header().Set("Cache-Control", "private, no-store")
	_, err = q.w.Write(png)
	return err
}

// charts is Config.Charts, or one made at the first chart (parsing the
// fonts takes a while, and most servers never draw one).
func (s *Server) charts() (*statuschart.Renderer, error) {
	s.chartOnce.Do(func() {
		if s.cfg.Charts != nil {
			s.chartR = s.cfg.Charts
			return
		}
		s.chartR, s.chartErr = statuschart.NewRenderer()
	})
	return s.chartR, s.chartErr
}

// --- Notes ---

// noteParts are the parts of the notes, with the bot's names of them.
var noteParts = []struct {
	Part fieldlog.NotePart
	Name string
}{{fieldlog.Problems, "btn_problems"}, {fieldlog.Plans, "btn_plans"}}

func (s *Server) notesPage(q *req) error { return q.renderNotes(nil) }

// renderNotes shows the notes of the scope's unit and half-year; problems
// are a refused add's messages, by part.
func (q *req) renderNotes(problems map[fieldlog.NotePart]string) error {
	sc, err := q.readScope()
	if err != nil {
		return err
	}
	notes, err := q.s.cfg.Office.Notes(q.ctx, q.user, sc.Unit, sc.Period)
	if err != nil {
		return q.refused(err)
	}
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return err
	}
	type para struct {
		N        int
		ID, Text string
	}
	type part struct {
		Part, Name, NewID, Problem string
		Paragraphs                 []para
	}
	var parts []part
	for _, np := range noteParts {
		p := part{Part: string(np.Part), Name: q.tr(np.Name), NewID: newID(), Problem: problems[np.Part]}
		for i, x := range notes.Part(np.Part) {
			p.Paragraphs = append(p.Paragraphs, para{N: i + 1, ID: x.ID, Text: x.Text})
		}
		parts = append(parts, p)
	}
	if problems != nil {
		q.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	return q.render("notes", map[string]any{
		"Title": q.tr("ask_note_kind", "Unit", tree.Name(sc.Unit, q.lang), "Period", q.s.cfg.Messages.Period(q.lang, sc.Period)),
		"Scope": sc, "ScopeAction": "/web/notes", "Query": sc.query(), "Parts": parts, "Max": office.MaxParagraph,
	})
}

// notePart is the part a notes form names.
func (q *req) notePart() (fieldlog.NotePart, bool) {
	p := fieldlog.NotePart(q.r.PostFormValue("part"))
	return p, p.Valid()
}

func (s *Server) noteAdd(q *req) error {
	sc, err := q.readScope()
	if err != nil {
		return err
	}
	part, ok := q.notePart()
	if !ok {
		return q.notFound()
	}
	_, _, err = s.cfg.Office.AddParagraph(q.ctx, q.user, sc.Unit, sc.Period, part, q.r.PostFormValue("id"), q.r.PostFormValue("text"))
	var invalid *office.InvalidError
	switch {
	case errors.As(err, &invalid):
		return q.renderNotes(map[fieldlog.NotePart]string{part: q.textError(invalid.Err)})
	case errors.Is(err, office.ErrNotesFull):
		return q.renderNotes(map[fieldlog.NotePart]string{part: q.tr("note_full", "Max", fieldlog.MaxParagraphs)})
	case err != nil:
		return q.refused(err)
	}
	return q.redirect("/web/notes?" + sc.query())
}

func (s *Server) noteDelete(q *req) error {
	sc, err := q.readScope()
	if err != nil {
		return err
	}
	part, ok := q.notePart()
	if !ok {
		return q.notFound()
	}
	_, err = s.cfg.Office.DeleteParagraph(q.ctx, q.user, sc.Unit, sc.Period, part, q.r.PostFormValue("id"))
	// Deleted already (perhaps by another coordinator): the page shows
	// the notes as they are.
	if err != nil && !errors.Is(err, fieldlog.ErrNotFound) {
		return q.refused(err)
	}
	return q.redirect("/web/notes?" + sc.query())
}

// --- Report ---

// reportSlots lets each user compile one report at a time: compiling
// reads every record of the half-year, and a user reloading the page or
// tapping the downloads should not start several. A second request of
// the same user waits for the first (or until it is cancelled).
type reportSlots struct {
	mu    sync.Mutex
	slots map[int64]chan struct{}
}

func (r *reportSlots) acquire(q *req) (release func(), ok bool) {
	r.mu.Lock()
	if r.slots == nil {
		r.slots = map[int64]chan struct{}{}
	}
	c, found := r.slots[q.user.ID]
	if !found {
		c = make(chan struct{}, 1)
		r.slots[q.user.ID] = c
	}
	r.mu.Unlock()
	select {
	case c <- struct{}{}:
		return func() { <-c }, true
	case <-q.ctx.Done():
		return nil, false
	}
}

// compile is the report of the scope, one at a time per user.
func (q *req) compile(sc scope) (office.Report, error) {
	release, ok := q.s.reports.acquire(q)
	if !ok {
		return office.Report{}, q.ctx.Err()
	}
	defer release()
	return q.s.cfg.Office.Report(q.ctx, q.user, sc.Unit, sc.Period, q.lang)
}

// reportParagraph is a paragraph of the report page, with its class.
type reportParagraph struct {
	Class, Text string
}

var paragraphClass = map[report.Kind]string{
	report.Title: "doc-title", report.Body: "doc-body", report.Heading1: "doc-h1",
	report.Heading2: "doc-h2", report.Heading3: "doc-h3",
}

func (s *Server) reportPage(q *req) error {
	sc, err := q.readScope()
	if err != nil {
		return err
	}
	rep, err := q.compile(sc)
	if err != nil {
		return q.refused(err)
	}
	var paras []reportParagraph
	for _, p := range rep.Document.Paragraphs {
		if t := strings.TrimSpace(p.Text); t != "" {
			paras = append(paras, reportParagraph{Class: paragraphClass[p.Kind], Text: t})
		}
	}
	return q.render("report", map[string]any{
		"Scope": sc, "ScopeAction": "/web/report", "Query": sc.query(), "Paragraphs": paras, "Issuer": rep.Document.Issuer, "Date": rep.Document.Date,
		"Count":    q.tr("web_report_count", "Count", rep.Records),
		"WordOnly": rep.Lang != office.DocLang,
		"Word":     "/web/report/docx?" + sc.query(), "Ledger": "/web/report/xlsx?" + sc.query(),
		"WordName": rep.WordName, "LedgerName": rep.LedgerName,
		"DocLang": string(rep.Lang),
	})
}

func (s *Server) reportFile(q *req) error {
	kind := q.r.PathValue("kind")
	if kind != "docx" && kind != "xlsx" {
		return q.notFound()
	}
	sc, err := q.readScope()
	if err != nil {
		return err
	}
	rep, err := q.compile(sc)
	if err != nil {
		return q.refused(err)
	}
	data, name, ct := rep.Word, rep.WordName, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	if kind == "xlsx" {
		data, name, ct = rep.Ledger, rep.LedgerName, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	q.w.Header().Set("Content-Type", ct)
	q.w.Header().Set("Content-Disposition", attachment(name))
	q.w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err = q.w.Write(data)
	return err
}

// attachment is the Content-Disposition of a download named name: an
// ASCII filename for old clients and the real one as RFC 5987's
// filename* (UTF-8, percent-encoded), which every current browser takes.
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' || r == '"' || r == '\\' || r == '%' || r == ';' {
			return '_'
		}
		return r
	}, name)
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" && ascii == name {
		return v
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + rfc5987(name)
}

// rfc5987 percent-encodes s as RFC 5987's value-chars: attr-char kept,
// every other byte %XX.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}
