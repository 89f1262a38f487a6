package conversation

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"fieldlog"
	"fieldlog/parse"
)

// The audit trail: each flow calls audit right after the store took its
// change; an admin sees a record's latest entries under its details.

const (
	// auditShown is how many entries a record's details show.
	auditShown = 5
	// auditValueMax is how many characters of a value they show.
	auditValueMax = 40
	// maxMessage is Telegram's limit on a message, in UTF-16 code units.
	maxMessage = 4096
)

// audit appends an entry of what the user just changed. The change is
// saved already, so a failure to record it must not undo it or the
// answer: it is logged, by action and ids only, since the values are what
// users wrote.
func (t *turn) audit(action fieldlog.AuditAction, s fieldlog.AuditSubject, changes []fieldlog.FieldChange) {
	e := fieldlog.AuditEntry{At: t.now, Actor: t.user.ID, ActorName: t.user.Name, Action: action, Subject: s, Changes: changes}
	if err := t.e.store.AppendAudit(t.ctx, e); err != nil {
		t.e.log.Warn("audit entry not written", "action", string(action), "subject", string(s.Kind), "id", s.ID, "user", t.user.ID, "err", err)
	}
}

// auditSection is the latest entries about record a, for an admin's view
// of its details, in at most room UTF-16 code units: entries that do not
// fit are left out, oldest first. Empty when there are none, or when
// they cannot be read (the details matter more).
func (t *turn) auditSection(a fieldlog.Activity, room int) string {
	entries, err := t.e.store.AuditOf(t.ctx, fieldlog.RecordSubject(a.ID), auditShown)
	if err != nil {
		t.e.log.Warn("read the audit of a record", "activity", a.ID, "err", err)
		return ""
	}
	if len(entries) == 0 {
		return ""
	}
	text := t.tr("audit_head")
	room -= utf16Len(text)
	for _, e := range entries {
		block := "\n" + strings.Join(t.auditLines(e, a), "\n")
		if n := utf16Len(block); n <= room {
			text += block
			room -= n
			continue
		}
		break
	}
	if !strings.Contains(text, "\n") {
		return ""
	}
	return text
}

// auditLines says what entry e of record a changed, in the user's
// language: who did what when, then one line per changed field.
func (t *turn) auditLines(e fieldlog.AuditEntry, a fieldlog.Activity) []string {
	when, who := t.formatTime(e.At), e.ActorName
	if who == "" {
		who = strconv.FormatInt(e.Actor, 10)
	}
	switch e.Action {
	case fieldlog.ActionRecordCreate:
		return []string{t.tr("audit_created", "Time", when, "Name", who)}
	case fieldlog.ActionRecordDelete:
		return []string{t.tr("audit_deleted", "Time", when, "Name", who)}
	case fieldlog.ActionRecordConfirm:
		return []string{t.tr("audit_confirmed", "Time", when, "Name", who)}
	case fieldlog.ActionRecordReturn:
		comment := ""
		for _, c := range e.Changes {
			if c.Field == fieldlog.FieldComment {
				comment = shorten(c.New, auditValueMax)
			}
		}
		return []string{t.tr("audit_returned", "Time", when, "Name", who, "Comment", comment)}
	case fieldlog.ActionRecordEdit:
		lines := []string{t.tr("audit_edited", "Time", when, "Name", who)}
		for _, c := range e.Changes {
			lines = append(lines, t.tr("audit_change", "Field", t.auditField(c.Field),
				"Old", t.auditValue(c.Field, c.Old, a), "New", t.auditValue(c.Field, c.New, a)))
		}
		return lines
	}
	return []string{t.tr("audit_other", "Time", when, "Name", who, "Action", string(e.Action))}
}

// auditField names a field of a record in the user's language.
func (t *turn) auditField(f string) string {
	id, ok := map[string]string{
		fieldlog.FieldType:         "field_type",
		fieldlog.FieldDate:         "field_date",
		fieldlog.FieldParticipants: "field_participants",
		fieldlog.FieldQuantity:     "field_quantity",
		fieldlog.FieldTitle:        "field_title",
		fieldlog.FieldPlace:        "field_place",
		fieldlog.FieldPhotos:       "field_photos",
		fieldlog.FieldReview:       "audit_field_review",
	}[f]
	if !ok {
		return f
	}
	return t.tr(id)
}

// auditValue shows a value as the record's details show it: the type by
// its name, the day and the figures as everywhere else, what users wrote
// shortened.
func (t *turn) auditValue(field, v string, a fieldlog.Activity) string {
	if v == "" {
		return "—"
	}
	switch field {
	case fieldlog.FieldType:
		section, typ, _ := strings.Cut(v, "/")
		if ty, ok := t.e.catalog.Type(section, typ); ok {
			return ty.Name.In(t.lang)
		}
	case fieldlog.FieldDate:
		if d, err := fieldlog.ParseISODate(v); err == nil {
			return t.formatDate(d)
		}
	case fieldlog.FieldParticipants:
		if c, err := parse.Count(v); err == nil {
			return t.formatCount(c, t.tr("people"))
		}
	case fieldlog.FieldQuantity:
		if c, err := parse.Count(v); err == nil {
			return t.formatCount(c, t.typeOf(a).Unit.In(t.lang))
		}
	case fieldlog.FieldReview:
		switch fieldlog.ReviewState(v) {
		case fieldlog.Returned:
			return t.tr("audit_review_returned")
		case fieldlog.Confirmed:
			return t.tr("audit_review_confirmed")
		case fieldlog.Corrected:
			return t.tr("audit_review_corrected")
		}
	}
	return shorten(v, auditValueMax)
}

// utf16Len is the length of s as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if utf8.RuneLen(r) == 4 { // outside the Basic Multilingual Plane: a surrogate pair
			n += 2
		} else {
			n++
		}
	}
	return n
}
