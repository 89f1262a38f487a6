package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// Records: the form to log or edit one, the lists, a record's page and
// deleting. Every rule is the office's; here only its refusals are worded.

// pageSize is how many records a list page shows.
const pageSize = 20

// form is the log/edit form as typed, and the messages next to its fields.
type form struct {
	ID                           string
	Type                         string // "section/type"
	Date, Participants, Quantity string
	Title, Place                 string
	Errors                       map[string]string
	Photos                       int // photos the record has already
	Remove                       []int
	// Seen is how many notes of an edited record's review thread the
	// form was shown with (office.Edit).
	Seen int
}

// newID is a new record's id, of the bot's alphabet.
func newID() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// validID reports whether id may be a record's id.
func validID(id string) bool {
	return len(id) >= 6 && len(id) <= 40 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

func (s *Server) logForm(q *req) error {
	if !q.user.MayLog() {
		return q.forbidden()
	}
	return q.renderForm(form{ID: newID()}, "")
}

func (s *Server) editForm(q *req) error {
	a, err := s.cfg.Office.Changeable(q.ctx, q.user, fieldlog.ActivityID(q.r.PathValue("id")))
	if err != nil {
		return q.refused(err)
	}
	f := form{ID: string(a.ID), Type: a.SectionID + "/" + a.TypeID, Date: a.Date.String(),
		Participants: countText(a.Participants), Title: a.Title, Place: a.Place, Photos: len(a.Photos), Seen: len(a.Review.Thread)}
	if ty, ok := s.cfg.Office.Catalog().Type(a.SectionID, a.TypeID); ok && ty.Quantity {
		f.Quantity = countText(a.Quantity)
	}
	return q.renderForm(f, string(a.ID))
}

// countText is a stored figure as it may be typed again.
func countText(c fieldlog.Count) string {
	s := strconv.FormatInt(c.Value, 10)
	if c.Approx {
		s += "余"
	}
	return s
}

// option is one type of the catalogue in the form's select.
type option struct {
	Value, Label string
	Quantity     bool
}

type group struct {
	Label   string
	Options []option
}

// renderForm shows the form; edit is the id of the record edited, or "".
func (q *req) renderForm(f form, edit string) error {
	var groups []group
	for _, sec := range q.s.cfg.Office.Catalog().Sections {
		g := group{Label: sec.Name.In(q.lang)}
		for _, ty := range sec.Types {
			label := ty.Name.In(q.lang)
			if ty.Quantity {
				label += " (" + ty.Unit.In(q.lang) + ")"
			}
			g.Options = append(g.Options, option{Value: sec.ID + "/" + ty.ID, Label: label, Quantity: ty.Quantity})
		}
		groups = append(groups, g)
	}
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return err
	}
	if f.Errors != nil {
		q.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	o := q.s.cfg.Office
	action := "/web/log"
	if edit != "" {
		action = "/web/r/" + edit + "/edit"
	}
	var existing []int
	for i := range f.Photos {
		existing = append(existing, i)
	}
	return q.render("form", map[string]any{
		"Form": f, "Groups": groups, "Action": action, "Edit": edit != "",
		"DateHint":  q.tr("web_date_hint", "Earliest", q.s.cfg.Messages.Date(q.lang, o.Earliest()), "Today", q.s.cfg.Messages.Date(q.lang, o.Today())),
		"DateForms": q.tr("date_forms"),
		"TitleMax":  parse.MaxTitle, "PlaceMax": office.MaxPlace,
		"PlaceHint":  q.tr("web_place_hint", "Unit", tree.Name(q.user.UnitID, q.lang)),
		"PhotosHint": q.tr("web_photos_hint", "Max", fieldlog.MaxPhotos, "Size", size(q.s.cfg.MaxPhotoBytes)),
		"Existing":   existing,
	})
}

// readForm reads the typed fields into f and a draft over base (the
// stored record of an edit). A field the parsers refuse gets its message.
func (q *req) readForm(base fieldlog.Activity) (form, fieldlog.Activity) {
	r := q.r
	f := form{ID: r.PostFormValue("id"), Type: r.PostFormValue("type"), Date: strings.TrimSpace(r.PostFormValue("date")),
		Participants: strings.TrimSpace(r.PostFormValue("participants")), Quantity: strings.TrimSpace(r.PostFormValue("quantity")),
		Title: r.PostFormValue("title"), Place: r.PostFormValue("place"), Photos: len(base.Photos), Errors: map[string]string{}}
	for _, v := range r.PostForm["remove"] {
		if n, err := strconv.Atoi(v); err == nil {
			f.Remove = append(f.Remove, n)
		}
	}
	a := base
	o := q.s.cfg.Office
	a.SectionID, a.TypeID, _ = strings.Cut(f.Type, "/")
	ty, _ := o.Catalog().Type(a.SectionID, a.TypeID)
	if f.Date == "" {
		a.Date = fieldlog.Date{}
	} else if base.ID != "" && f.Date == base.Date.String() {
		// The stored date, as the form showed it: kept even if it is now
		// before the earliest day (the office allows that on an edit).
		a.Date = base.Date
	} else if d, err := parse.Date(f.Date, o.Today(), o.Earliest()); err != nil {
		f.Errors["date"] = q.dateError(err)
	} else {
		a.Date = d
	}
	if c, err := parse.Count(f.Participants); err != nil {
		f.Errors["participants"] = q.countError(err)
	} else {
		a.Participants = c
	}
	a.Quantity = fieldlog.Count{}
	if ty.Quantity {
		if c, err := parse.Count(f.Quantity); err != nil {
			f.Errors["quantity"] = q.countError(err)
		} else {
			a.Quantity = c
		}
	}
	if t, err := parse.Title(f.Title, parse.MaxTitle); err != nil {
		f.Errors["title"] = q.textError(err)
	} else {
		a.Title = t
	}
	a.Place = ""
	if strings.TrimSpace(f.Place) != "" {
		if p, err := parse.Title(f.Place, office.MaxPlace); err != nil {
			f.Errors["place"] = q.textError(err)
		} else {
			a.Place = p
		}
	}
	var kept []fieldlog.Photo
	for i, p := range base.Photos {
		if !slices.Contains(f.Remove, i) {
			kept = append(kept, p)
		}
	}
	a.Photos = kept
	return f, a
}

func (s *Server) logPost(q *req) error {
	f, draft := q.readForm(fieldlog.Activity{})
	if !validID(f.ID) {
		f.ID = newID()
	}
	draft.ID = fieldlog.ActivityID(f.ID)
	return q.save(f, draft, fieldlog.Activity{})
}

func (s *Server) editPost(q *req) error {
	orig, err := s.cfg.Office.Changeable(q.ctx, q.user, fieldlog.ActivityID(q.r.PathValue("id")))
	if err != nil {
		return q.refused(err)
	}
	f, draft := q.readForm(orig)
	f.ID = string(orig.ID)
	f.Seen = fieldlog.AnyThread // a page of before the notes shown were counted
	if n, err := strconv.Atoi(q.r.PostFormValue("seen")); err == nil && n >= 0 {
		f.Seen = n
	}
	return q.save(f, draft, orig)
}

// save checks the draft with the office, stores the uploaded photos and
// logs or edits the record; a refusal brings the form back.
func (q *req) save(f form, draft, orig fieldlog.Activity) error {
	o := q.s.cfg.Office
	edit := ""
	if orig.ID != "" {
		edit = string(orig.ID)
	}
	uploads, perr := q.readPhotos()
	if perr != "" {
		f.Errors["photos"] = perr
	}
	if len(f.Errors) > 0 {
		return q.renderForm(f, edit)
	}
	// Checked before the photos are stored, so that a refused form
	// leaves no files behind; the office checks again as it saves.
	withPhotos := draft
	withPhotos.Photos = append(slices.Clip(draft.Photos), make([]fieldlog.Photo, len(uploads))...)
	if err := o.CheckDraft(withPhotos, orig); err != nil {
		return q.refusedForm(f, edit, err)
	}
	unit := q.user.UnitID
	if orig.ID != "" {
		unit = orig.UnitID
	}
	if err := o.Closed(q.ctx, unit, draft.Date); err != nil {
		return q.refusedForm(f, edit, err)
	}
	var stored []string
	for _, data := range uploads {
		id, err := q.s.cfg.Photos.SavePhotoFile(q.ctx, data, "image/jpeg")
		if err != nil {
			q.deletePhotos(stored)
			return err
		}
		stored = append(stored, id)
		draft.Photos = append(draft.Photos, fieldlog.Photo{Source: fieldlog.StoredPhoto, ID: id})
	}
	var a fieldlog.Activity
	var err error
	if orig.ID != "" {
		a, err = o.Edit(q.ctx, q.user, draft, f.Seen)
	} else {
		a, err = o.Log(q.ctx, q.user, draft)
		if errors.Is(err, office.ErrIDTaken) {
			// Another record's id (a form posted twice after all, or
			// forged): this draft gets one of its own.
			draft.ID = fieldlog.ActivityID(newID())
			a, err = o.Log(q.ctx, q.user, draft)
		}
	}
	if errors.Is(err, office.ErrAlreadySaved) {
		// Sent again after Back, changed: the record stays as saved,
		// and its page is where to change it.
		q.deletePhotos(stored)
		return q.redirect("/web/r/" + string(a.ID))
	}
	if err != nil {
		// Nothing keeps the photos just stored.
		q.deletePhotos(stored)
		return q.refusedForm(f, edit, err)
	}
	// The photos an edit took off are kept by no record now.
	var off []string
	for _, p := range orig.Photos {
		if p.Source == fieldlog.StoredPhoto && !slices.Contains(a.Photos, p) {
			off = append(off, p.ID)
		}
	}
	q.deletePhotos(off)
	return q.redirect("/web/r/" + string(a.ID))
}

// deletePhotos removes stored photo files no record keeps. A file left
// behind is only space: the failure is logged, not shown.
func (q *req) deletePhotos(ids []string) {
	for _, id := range ids {
		if err := q.s.cfg.Photos.DeletePhotoFile(q.ctx, id); err != nil {
			q.s.log.Warn("a photo file left behind", "photo", id, "err", err)
		}
	}
}

// refusedForm brings the form back with the office's refusal next to its
// field, or answers a refusal of the record itself.
func (q *req) refusedForm(f form, edit string, err error) error {
	var invalid *office.InvalidError
	var closed *office.ClosedError
	switch {
	case errors.As(err, &invalid):
		field := string(invalid.Field)
		if invalid.Field == office.FieldType && f.Type != "" && errors.Is(invalid.Err, office.ErrMissing) {
			field = "type"
		}
		f.Errors[field] = q.invalidText(invalid)
		if f.Photos > 0 || q.hadUploads() {
			f.Errors["photos"] = strings.TrimSpace(f.Errors["photos"] + " " + q.tr("web_photos_again"))
		}
		return q.renderForm(f, edit)
	case errors.As(err, &closed):
		why, err := q.closedText(closed)
		if err != nil {
			return err
		}
		f.Errors["date"] = why
		return q.renderForm(f, edit)
	}
	return q.refused(err)
}

// hadUploads reports whether the form carried files, which a browser
// cannot be given back.
func (q *req) hadUploads() bool {
	if q.r.MultipartForm == nil {
		return false
	}
	for _, fh := range q.r.MultipartForm.File["photos"] {
		if fh.Size > 0 {
			return true
		}
	}
	return false
}

// refused answers a refusal of the record as a whole.
func (q *req) refused(err error) error {
	var closed *office.ClosedError
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		return q.notFound()
	case errors.Is(err, office.ErrForbidden):
		return q.forbidden()
	case errors.As(err, &closed):
		why, err := q.closedText(closed)
		if err != nil {
			return err
		}
		q.w.WriteHeader(http.StatusConflict)
		return q.render("message", map[string]any{"Text": why})
	}
	return err
}

// view is a record as its page and the lists show it.
type view struct {
	ID, Section, Type, Date, Participants, Quantity, Title, Place, Reporter, Unit string
	HasQuantity, Returned                                                         bool
	Comment                                                                       string
	Photos                                                                        []int
}

func (q *req) view(a fieldlog.Activity, tree *fieldlog.Tree) view {
	cat := q.s.cfg.Office.Catalog()
	sec, _ := cat.Section(a.SectionID)
	ty, _ := cat.Type(a.SectionID, a.TypeID)
	v := view{ID: string(a.ID), Section: sec.Name.In(q.lang), Type: ty.Name.In(q.lang), Date: q.s.cfg.Messages.Date(q.lang, a.Date),
		Participants: q.formatCount(a.Participants, q.tr("people")), Title: a.Title, Place: a.Place,
		Reporter: a.ReporterName, Unit: tree.Name(a.UnitID, q.lang), HasQuantity: ty.Quantity, Returned: a.Review.Pending()}
	if ty.Quantity {
		v.Quantity = q.formatCount(a.Quantity, ty.Unit.In(q.lang))
	}
	if v.Place == "" {
		v.Place = v.Unit
	}
	if v.Returned {
		for _, n := range a.Review.Thread {
			if n.State == fieldlog.Returned {
				v.Comment = n.Text
			}
		}
	}
	for i := range a.Photos {
		v.Photos = append(v.Photos, i)
	}
	return v
}

func (q *req) formatCount(c fieldlog.Count, unit string) string {
	id := "count_exact"
	if c.Approx {
		id = "count_approx"
	}
	return q.tr(id, "N", c.Value, "Unit", unit)
}

func (s *Server) myList(q *req) error { return q.list(office.Own, "/web/my", "web_my_title") }

func (s *Server) subtreeList(q *req) error {
	return q.list(office.Subtree, "/web/records", "web_records_title")
}

func (q *req) list(scope office.Scope, path, title string) error {
	n, _ := strconv.Atoi(q.r.URL.Query().Get("p"))
	page, err := q.s.cfg.Office.Records(q.ctx, q.user, scope, n, pageSize)
	if err != nil {
		return q.refused(err)
	}
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return err
	}
	var views []view
	for _, a := range page.Records {
		views = append(views, q.view(a, tree))
	}
	data := map[string]any{"Title": q.tr(title), "Records": views, "Total": page.Total, "Path": path}
	if page.Index > 0 {
		data["Prev"] = page.Index - 1
		data["HasPrev"] = true
	}
	if page.Index+1 < page.Pages {
		data["Next"] = page.Index + 1
		data["HasNext"] = true
	}
	return q.render("list", data)
}

func (s *Server) record(q *req) error {
	a, err := s.cfg.Office.Record(q.ctx, q.user, fieldlog.ActivityID(q.r.PathValue("id")))
	if err != nil {
		return q.refused(err)
	}
	return q.renderRecord(a, "", "", "")
}

func (s *Server) deleteConfirm(q *req) error {
	a, err := s.cfg.Office.Changeable(q.ctx, q.user, fieldlog.ActivityID(q.r.PathValue("id")))
	if err != nil {
		return q.refused(err)
	}
	tree, err := s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return err
	}
	return q.render("delete", map[string]any{"R": q.view(a, tree)})
}

func (s *Server) deletePost(q *req) error {
	if err := s.cfg.Office.Delete(q.ctx, q.user, fieldlog.ActivityID(q.r.PathValue("id"))); err != nil {
		return q.refused(err)
	}
	return q.redirect("/web/my")
}

// photo serves a stored photo of a record the user may read.
func (s *Server) photo(q *req) error {
	a, err := s.cfg.Office.Record(q.ctx, q.user, fieldlog.ActivityID(q.r.PathValue("id")))
	if err != nil {
		return q.refused(err)
	}
	n, err := strconv.Atoi(q.r.PathValue("n"))
	if err != nil || n < 0 || n >= len(a.Photos) {
		return q.notFound()
	}
	var data []byte
	var ct string
	switch p := a.Photos[n]; {
	case p.Source == fieldlog.StoredPhoto:
		data, ct, err = s.cfg.Photos.PhotoFile(q.ctx, p.ID)
	case s.cfg.ChannelPhotos != nil:
		// One an officer sent in the chat: the channel keeps it, as the
		// officer sent it, so only an image is served (a file named a
		// photo may be a page with a script).
		data, ct, err = s.cfg.ChannelPhotos.ChannelPhoto(q.ctx, p)
		if err == nil && !accepted[http.DetectContentType(data)] {
			return q.notFound()
		}
		ct = http.DetectContentType(data)
	default:
		return q.notFound()
	}
	if errors.Is(err, fieldlog.ErrNotFound) {
		return q.notFound()
	}
	if err != nil {
		return err
	}
	q.w.Header().Set("Content-Type", ct)
	// Kept briefly: a shared phone's cache outlives a sign-out.
	q.w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = q.w.Write(data)
	return err
}
