package report

import "fieldlog"

// issued writes the 成文日期 as GB/T 9704 §7.3.5 asks: the year in full,
// month and day without leading zeros ("2025年6月30日"); "" for no date.
func (w *writer) issued(d fieldlog.Date) string {
	if d.IsZero() {
		return ""
	}
	return w.text("report.issued", map[string]any{"Year": d.Year, "Month": int(d.Month), "Day": d.Day})
}
