package fieldlog

// Catalog is the deployment's list of report sections and the activity types
// within each. It is data, loaded from a file, so a banner can reorganise its
// report without a rebuild.
type Catalog struct {
	Sections []Section
	// Formats are the ways an activity is done (a meeting, a visit, a
	// check), which types share across sections. Optional.
	Formats []Format
}

// Format is one way an activity is done, e.g. a meeting (开会, 会议) or a
// visit (走访, 入户). A sentence that names a type's subject in its own
// words ("把草场纠纷梳理了一遍") still names how it was done: the format's
// keywords tell the types of one section apart, and a type's subject apart
// from another section's way of doing it.
type Format struct {
	ID       string
	Keywords Keywords
}

// Section is one part of the half-year report (板块), e.g. 宣传教育.
type Section struct {
	ID    string
	Name  Text
	Types []ActivityType
	// Keywords name the section's subject (侨, 宗教, 民营企业): a sentence
	// that has one leans to this section's types when its type keywords
	// alone cannot tell two sections apart (走访慰问 困难侨眷). Optional.
	Keywords Keywords
}

// ActivityType is one kind of activity within a section, e.g. 宣讲活动.
type ActivityType struct {
	ID   string
	Name Text
	// Verb opens the report phrase, e.g. 开展 in "开展宣讲活动11场".
	Verb Text
	// Unit is the measure word of the figure: for a type without quantity it
	// counts occurrences (场, 次); with quantity it measures the thing (份, 元).
	Unit Text
	// Quantity is true for types that count things (宣传资料 份, 慰问金 元);
	// the officer is then asked for the amount as well as the participants.
	Quantity bool
	// HeadCount is the clause that gives the participants after the figure,
	// with HeadCountPlaceholder standing for their number: 受众{N}人次 for a
	// public lecture. Types whose participants a report does not state
	// (meetings, study, committee work, materials and posts) leave it empty
	// in every language.
	HeadCount Text
	// TenThousand is the word for 10,000 (万) in which a figure of 10,000
	// or more is written, for money: 发放慰问金2万元. Empty for types whose
	// figures are written in full.
	TenThousand Text
	// Keywords are the words and synonyms that tell a sentence is of this
	// type (宣讲, 宣传宣讲, 政策宣讲 for 宣讲活动), for reading a whole activity
	// from one sentence. The name counts as one without being listed.
	Keywords Keywords
	// Formats are the ids of the Catalog's formats the type is done in
	// (a forum is a talk and a meeting). Optional.
	Formats []string
}

// Keywords are words per language, each matched as written anywhere in a
// text, so a Mongolian stem (ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢ) matches all its endings.
type Keywords map[Lang][]string

// HeadCountPlaceholder stands for the number of participants in
// ActivityType.HeadCount.
const HeadCountPlaceholder = "{N}"

// Format returns the format with id.
func (c *Catalog) Format(id string) (Format, bool) {
	for _, f := range c.Formats {
		if f.ID == id {
			return f, true
		}
	}
	return Format{}, false
}

// Section returns the section with id.
func (c *Catalog) Section(id string) (Section, bool) {
	for _, s := range c.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// Type returns the type typeID of section sectionID.
func (c *Catalog) Type(sectionID, typeID string) (ActivityType, bool) {
	s, ok := c.Section(sectionID)
	if !ok {
		return ActivityType{}, false
	}
	for _, t := range s.Types {
		if t.ID == typeID {
			return t, true
		}
	}
	return ActivityType{}, false
}
