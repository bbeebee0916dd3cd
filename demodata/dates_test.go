package demodata

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMoveDates: the demo's promises and schedules move by whole days to
// the day it runs, whatever the time of day; on the day written they stay.
func TestMoveDates(t *testing.T) {
	written, err := Site()
	require.NoError(t, err)
	require.NotEmpty(t, written.Loads)

	same, err := Site()
	require.NoError(t, err)
	MoveDates(&same, Written().Add(23*time.Hour))
	require.Equal(t, written.Orders, same.Orders)
	require.Equal(t, written.Loads, same.Loads)

	moved, err := Site()
	require.NoError(t, err)
	MoveDates(&moved, time.Date(2027, 1, 5, 6, 30, 0, 0, time.FixedZone("x", 3600))) // 05:30 UTC on the 5th: 36 days on
	for i, o := range moved.Orders {
		if !written.Orders[i].PromisedBy.IsZero() {
			require.Equal(t, written.Orders[i].PromisedBy.AddDate(0, 0, 36), o.PromisedBy, o.ID)
		}
	}
	require.Equal(t, written.Loads[0].ScheduledAt.AddDate(0, 0, 36), moved.Loads[0].ScheduledAt)
	require.Equal(t, time.Date(2027, 1, 6, 16, 0, 0, 0, time.UTC), moved.Loads[0].ScheduledAt.UTC(), "LD-0001 is due the next day at 16:00")

	back, err := Site()
	require.NoError(t, err)
	MoveDates(&back, Written().AddDate(0, 0, -3))
	require.Equal(t, written.Loads[0].ScheduledAt.AddDate(0, 0, -3), back.Loads[0].ScheduledAt)
}
