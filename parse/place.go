package parse

import (
	"slices"
	"strings"
	"unicode/utf8"

	"fieldlog"
)

// placeName is a name of a unit of the tree as a sentence may write it.
type placeName struct {
	folded string // as looked for in the folded sentence
	name   string // the unit's name as the record keeps it, in the language found
	unit   fieldlog.UnitID
	depth  int // 0 for a banner, 1 a township, 2 a village: the deeper, the more precise
}

// Level words a unit's name may be written without (独贵龙 for 独贵龙社区);
// a banner's name is never shortened, since its stem starts other words
// (乌审旗 and 乌审统战).
var levelWords = []string{
	"社区", "嘎查", "街道", "苏木", "村", "镇", "乡",
	"ᠬᠣᠷᠢᠶᠠᠯᠠᠯ", "ᠭᠠᠴᠠᠭᠠ", "ᠪᠠᠯᠭᠠᠰᠤ", "ᠰᠤᠮᠤ",
}

// placeNames lists every name and shortened name of the tree's units,
// longest first.
func placeNames(tree *fieldlog.Tree) []placeName {
	if tree == nil {
		return nil
	}
	var names []placeName
	depth := map[fieldlog.Level]int{fieldlog.Banner: 0, fieldlog.Township: 1, fieldlog.Village: 2}
	for _, root := range tree.Roots() {
		for _, id := range tree.Subtree(root) {
			u, _ := tree.Unit(id)
			for _, l := range fieldlog.Langs {
				name := strings.TrimSpace(u.Name[l])
				f := strings.TrimSpace(fold(name))
				if f == "" {
					continue
				}
				d := depth[u.Level]
				names = append(names, placeName{folded: f, name: name, unit: id, depth: d})
				if u.Level == fieldlog.Banner {
					continue
				}
				for _, w := range levelWords {
					stem, ok := strings.CutSuffix(f, w)
					stem = strings.TrimSpace(stem)
					if ok && utf8.RuneCountInString(stem) >= 2 && (!hasMongolianLetters(stem) || utf8.RuneCountInString(stem) >= 4) {
						names = append(names, placeName{folded: stem, name: name, unit: id, depth: d})
						break
					}
				}
			}
		}
	}
	slices.SortStableFunc(names, func(a, b placeName) int { return len(b.folded) - len(a.folded) })
	return names
}

// hasMongolianLetters reports whether s has a letter of the Mongolian script.
func hasMongolianLetters(s string) bool { return strings.IndexFunc(s, isMongolianLetter) >= 0 }

// place is where a sentence says an activity happened.
type place struct {
	name string
	unit fieldlog.UnitID
	// at is the phrase read, in the folded text; cut is the same with its
	// preposition (在) or case suffix (ᠳᠤ), to be left out of the title.
	at, cut span
}

// Words that end a place after 在 (在独贵龙社区开展…): the verbs of the
// reports and the words that start what was done there.
var placeEnds = []string{
	"开展", "举办", "举行", "召开", "组织", "进行", "发放", "发布", "推送", "转发", "收集", "征求",
	"走访", "慰问", "看望", "宣讲", "宣传", "培训", "学习", "排查", "摸排", "观摩", "参观", "考察",
	"交流", "座谈", "帮扶", "取缔", "清除", "申报", "上报", "创建", "完成", "承办", "开设", "参加",
	"参与", "入户", "摆放", "联合", "集中", "通过", "接受", "迎接", "邀请", "围绕", "结合", "利用",
	"主持", "实施", "打造", "播放", "张贴", "悬挂", "召集", "讲授", "讲解", "授课", "检查",
	"调研", "表演", "演出", "为", "向", "对", "给", "与",
}

// onlineVenues are where a post is published, not where an activity
// happened: 在"乌审统战"公众号发布信息 has no place.
var onlineVenues = []string{"公众号", "微信", "工作群", "平台", "网站", "网络", "媒体", "抖音", "快手", "视频号", "学习强国"}

// findPlace finds where the folded sentence s says the activity happened:
// the phrase after 在 (or 到, 赴, 去; 于 right after the date) up to what was
// done there, else the longest unit name of the tree in the sentence. taken
// are the spans of the date and the figures, which no place crosses; ends
// are the words that end a phrase after 在.
func findPlace(s string, taken []span, dates []span, names []placeName, ends []string) (place, bool) {
	units := unitMentions(s, taken, names)
	if p, ok := placePhrase(s, taken, dates, units, ends); ok {
		return p, true
	}
	var best unitMention
	for _, u := range units {
		if partner(s, u) {
			continue
		}
		if n := u.end - u.start; n > best.end-best.start || n == best.end-best.start && u.name.depth > best.name.depth {
			best = u
		}
	}
	if best.end == 0 {
		return place{}, false
	}
	p := place{name: best.name.name, unit: best.name.unit, at: span{best.start, best.end}, cut: span{best.start, best.end}}
	// A Chinese preposition before it and a Mongolian suffix after it go
	// with it out of the title.
	if w, ok := suffixOf(s[:best.start], []string{"在", "于", "到", "赴", "去", "来"}); ok {
		p.cut.start -= len(w)
	}
	p.cut.end += mongolianSuffixAt(s, best.end)
	if mongolianSuffixAt(s, best.end) > 0 && strings.HasPrefix(s[best.end:], " ᠶᠢᠨ") {
		// ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ ᠶᠢᠨ ᠰᠣᠶᠣᠯ ᠤᠨ ᠲᠠᠯᠠᠪᠠᠢ ᠳᠤ: the town's culture square, a
		// place within the unit, up to the locative a few words on.
		if end, ok := mongolianLocative(s, best.end); ok {
			p.at.end = end
			p.cut.end = end + mongolianSuffixAt(s, end)
			p.name = ""
		}
	}
	return p, true
}

// partner reports whether a unit is named as a partner or in a list
// (联合独贵龙社区、萨如拉社区举办…): it says who, not where.
//
// A unit invited (邀请萨如拉社区…) or whose people are named (萨如拉社区干部,
// 萨如拉社区第一书记) says who came, not where either.
func partner(s string, u unitMention) bool {
	_, with := suffixOf(s[:u.start], []string{"联合", "携手", "会同", "协同", "邀请", "请", "与", "和", "同", "及", "、"})
	_, people := cutPrefix(s[u.end:], partnerPeople)
	return with || people || strings.HasPrefix(s[u.end:], "、") || strings.HasPrefix(s[u.end:], "和")
}

// partnerPeople are the words after a unit's name that make it the people
// of that unit: 萨如拉社区干部来独贵龙社区….
var partnerPeople = []string{"干部", "第一书记", "书记", "主任", "工作人员", "两委"}

// unitMention is a unit's name found in a sentence.
type unitMention struct {
	start, end int
	name       placeName
}

// unitMentions finds the unit names in s outside taken, a longer name
// hiding the shorter ones within it.
func unitMentions(s string, taken []span, names []placeName) []unitMention {
	var found []unitMention
	for _, n := range names {
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], n.folded)
			if i < 0 {
				break
			}
			i += from
			end := i + len(n.folded)
			from = end
			if overlaps(taken, i, end) || !wordBounded(s, i, end) {
				continue
			}
			hidden := false
			for _, f := range found {
				if i < f.end && f.start < end {
					hidden = true
					break
				}
			}
			if !hidden {
				found = append(found, unitMention{i, end, n})
			}
		}
	}
	slices.SortFunc(found, func(a, b unitMention) int { return a.start - b.start })
	return found
}

// wordBounded reports whether s[i:j] is whole Mongolian words where it is
// Mongolian: a name does not start or end inside a word. Chinese has no
// word boundaries to check.
func wordBounded(s string, i, j int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[j:])
	first, _ := utf8.DecodeRuneInString(s[i:])
	last, _ := utf8.DecodeLastRuneInString(s[:j])
	return !(isMongolianLetter(first) && isMongolianLetter(before)) && !(isMongolianLetter(last) && isMongolianLetter(after))
}

// mongolianLocative finds, within three words after s[:i], a word followed
// by a locative suffix (ᠳᠤ ᠳᠦ ᠲᠤ ᠲᠦ), and returns where that word ends.
func mongolianLocative(s string, i int) (int, bool) {
	words := 0
	for at := i; at < len(s) && s[at] == ' '; {
		rest := s[at+1:]
		n := strings.IndexFunc(rest, func(r rune) bool { return !isMongolianLetter(r) })
		if n < 0 {
			n = len(rest)
		}
		if n == 0 {
			return 0, false
		}
		switch w := rest[:n]; {
		case w == "ᠳᠤ" || w == "ᠳᠦ" || w == "ᠲᠤ" || w == "ᠲᠦ":
			return at, true
		case !mongolianSuffixes[w]:
			if words++; words > 3 {
				return 0, false
			}
		}
		at += 1 + n
	}
	return 0, false
}

// unitAt reports whether a unit's name starts at s[i]: 来 opens a place
// only before one (来独贵龙社区开展), being in too many other words (以来,
// 来自, 起来).
func unitAt(units []unitMention, i int) bool {
	for _, u := range units {
		if u.start == i {
			return true
		}
	}
	return false
}

// placePhrase reads the place after a preposition: 在独贵龙社区党群服务中心
// 开展 gives 独贵龙社区党群服务中心, with the unit it lies in.
func placePhrase(s string, taken, dates []span, units []unitMention, ends []string) (place, bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if inside(taken, i) || !isPlaceMarker(s, i, r, dates) && !(r == '来' && unitAt(units, i+size)) {
			i += size
			continue
		}
		start := i + size
		end := placeEnd(s, start, taken, ends)
		end = start + placeNounEnd(s[start:end], units, start)
		n := utf8.RuneCountInString(s[start:end])
		if n < 2 || n > 24 {
			i += size
			continue
		}
		p := place{name: "", at: span{start, end}, cut: span{i, end}}
		var in []unitMention
		for _, u := range units {
			if u.start >= start && u.end <= end {
				in = append(in, u)
			}
		}
		if len(in) > 0 {
			best := in[0]
			for _, u := range in[1:] {
				if u.end-u.start > best.end-best.start {
					best = u
				}
			}
			p.unit = best.name.unit
			if best.start == start && best.end == end {
				p.name = best.name.name // 在独贵龙开展: the unit's whole name
			}
		}
		if containsAny(s[start:end], onlineVenues) {
			if len(in) == 0 {
				return place{}, false // posted online: no place
			}
			u := in[0]
			p = place{name: u.name.name, unit: u.name.unit, at: span{u.start, u.end}, cut: span{i, u.end}}
		}
		return p, true
	}
	return place{}, false
}

// isPlaceMarker reports whether the rune r at s[i] opens a place: 在, 到, 赴
// or 去 as prepositions (not in 存在, 现在, 达到, 得到, 去年 …), and 于 right
// after the date (6月7日于村委会召开).
func isPlaceMarker(s string, i int, r rune, dates []span) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
	switch r {
	case '在':
		return !strings.ContainsRune("存现正实所自好旨重潜内外", before) && !strings.ContainsRune("于内职场此", after)
	case '到':
		return !strings.ContainsRune("达受得做收感来想看听遇找拿送直迟报提说用见回", before) && !strings.ContainsRune("位场户底期岗会", after)
	case '赴':
		return true
	case '去': // as officers say it: 去红色教育基地参观
		return !strings.ContainsRune("过失回出进上下来除", before) && !strings.ContainsRune("年世掉除", after)
	case '于':
		for _, d := range dates {
			if d.end <= i && strings.Trim(s[d.end:i], " ,") == "" {
				return true
			}
		}
	}
	return false
}

// placeEnd is where a place that starts at s[start] ends: before
// punctuation, a space, quotes, a date or figure, or a word of ends.
func placeEnd(s string, start int, taken []span, ends []string) int {
	for i := start; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(",.;:!?。、；：！？᠂᠃ “”\"'‘’《》「」()（）【】<>", r) || inside(taken, i) {
			return i
		}
		for _, w := range ends {
			if strings.HasPrefix(s[i:], w) {
				return i
			}
		}
		i += size
	}
	return len(s)
}

// placeWords end the name of a place: a room, a hall, a square, a centre,
// a unit of the tree (会议室, 文化广场, 党群服务中心, 村委会, 嘎查).
var placeWords = []string{
	"室", "场", "馆", "厅", "堂", "心", "站", "校", "院", "所", "园", "庙", "寺", "口", "楼", "点",
	"地", "府", "部", "家", "委会", "社区", "嘎查", "村", "镇", "苏木", "旗", "市", "县", "区",
	"街道", "乡", "屯", "组", "户",
}

// placeNounEnd is the length of the part of phrase (what follows 在 up to
// a verb) that names a place: up to its last place word, or up to the end
// of a unit's name in it (在独贵龙社区搞了个宣讲: 独贵龙社区). It is 0 if no
// place word ends any part of it. at is where phrase starts in the
// sentence, to place the units.
func placeNounEnd(phrase string, units []unitMention, at int) int {
	end := 0
	for i := range phrase {
		for _, w := range placeWords {
			if strings.HasPrefix(phrase[i:], w) && i+len(w) > end {
				end = i + len(w)
			}
		}
	}
	for _, u := range units {
		if u.start >= at && u.end <= at+len(phrase) && u.end-at > end {
			end = u.end - at
		}
	}
	if end == len(phrase) || end == 0 {
		return end
	}
	// Online venues end in no place word (公众号, 平台); keep them whole, so
	// that they are known for what they are.
	if containsAny(phrase, onlineVenues) {
		return len(phrase)
	}
	return end
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
