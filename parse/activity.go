package parse

import "fieldlog"

// An officer's one sentence about an activity, read whole: "6月7日在独贵龙
// 社区开展政策宣讲，80余人参加". Activity finds what the sentence says of
// each field of a record, so that the bot can fill a draft with it and ask
// only for what is missing. It is deterministic and needs no network: it
// normalises the text (full-width to half-width, Chinese numerals), finds
// the spans of a date, a count, a quantity and a place with the parsers of
// this package, scores the catalogue's keywords for the type, and makes the
// title of what is left.

// Knowledge is what Activity reads a sentence against.
type Knowledge struct {
	Catalog *fieldlog.Catalog
	// Units are the names a place may be (the whole tree, both languages).
	Units *fieldlog.Tree
	// Today and Earliest bound the date, as for Date: a date without a year
	// is the most recent past one.
	Today, Earliest fieldlog.Date
	// MaxTitle is the longest title, in runes.
	MaxTitle int
}

// Reading is what a sentence says. A field the sentence does not give is
// its zero value with its Has… false.
type Reading struct {
	// Activity is false for a text that is clearly not an activity (a
	// greeting, a question, a few characters): the bot then answers as to
	// any text outside a flow.
	Activity bool

	HasDate bool
	Date    fieldlog.Date

	HasParticipants bool
	Participants    fieldlog.Count

	// HasQuantity is set for a quantity of the chosen type's measure word
	// (发放宣传资料1200余份, 慰问金2万元).
	HasQuantity bool
	Quantity    fieldlog.Count

	// Place is the place as the record keeps it (Activity.Place): a unit's
	// name from the tree, or the text after 在…; empty when none.
	Place string
	// PlaceUnit is the unit Place names, if it is one of the tree.
	PlaceUnit fieldlog.UnitID

	// Types are the catalogue types the sentence may be, best first, with
	// their scores; the bot takes the first when it alone has the best
	// score, and asks with buttons among those tied at the best.
	Types []TypeScore

	// Title is the sentence without the date, count, quantity and place
	// phrases, trimmed to Knowledge.MaxTitle; empty when nothing is left.
	Title string
}

// TypeScore is a catalogue type and how well the sentence matches it.
type TypeScore struct {
	SectionID, TypeID string
	Score             int
}

// Activity reads s against k. It never panics, whatever s is.
func Activity(s string, k Knowledge) Reading {
	// TODO(issue 11): the pipeline; this stub finds nothing.
	return Reading{}
}
