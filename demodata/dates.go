package demodata

import (
	"time"

	"github.com/rfterm/rfterm/domain"
)

// Written is the day the demo site's dates were written for: its loads are
// scheduled and its orders promised relative to it.
func Written() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }

// MoveDates moves the site's order promises and load schedules by the whole
// days between Written and today's UTC date, so the demo's loads are due
// today and tomorrow whenever it runs. The tests keep the written dates.
func MoveDates(s *domain.Site, today time.Time) {
	t := today.UTC()
	days := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Sub(Written()).Round(24*time.Hour) / (24 * time.Hour)
	move := func(at *time.Time) {
		if !at.IsZero() {
			*at = at.AddDate(0, 0, int(days))
		}
	}
	for i := range s.Orders {
		move(&s.Orders[i].PromisedBy)
	}
	for i := range s.Loads {
		move(&s.Loads[i].ScheduledAt)
		move(&s.Loads[i].CreatedAt)
	}
}
