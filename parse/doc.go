// Package parse turns what officers type into domain values: dates, counts,
// titles and half-year periods, and a whole activity from one sentence
// (Activity: "6月7日在独贵龙社区开展政策宣讲，80余人参加").
//
// Officers type on phones, in Chinese or traditional Mongolian, with
// whatever input method they have: full-width digits from a Chinese IME,
// Mongolian digits (U+1810–U+1819), U+202F between a Mongolian word and its
// suffix. Date, Count and Period accept all of these; Title stores the text
// exactly as typed, apart from trimming and joining lines.
//
// Every refusal is one of the exported sentinel errors (or, for Title, a
// TooLongError that matches ErrTooLong), so that the bot can tell the user
// in their own language what is wrong; test them with errors.Is.
package parse
