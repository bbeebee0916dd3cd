package screens

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/stretchr/testify/require"
)

var queueAge = regexp.MustCompile(`Q(\d+) (\d+)s`)

// TestQueueAgeKeepsCounting: offline with events waiting, the status line's
// queue age goes on growing while nobody touches the terminal (it was drawn
// once and went stale).
func TestQueueAgeKeepsCounting(t *testing.T) {
	// A sender that, once failed, waits long: nothing else redraws the screen.
	d := newDriver(t, 20, 16, func(s setup) {
		*s.sender = sender.SenderConfig{Backoff: sender.Backoff{Base: time.Minute, Max: time.Minute}, Probe: time.Minute}
	})
	d.typeLine("U1001")
	d.typeLine("1")
	require.NoError(t, d.hub.Stop())
	d.scanHint() // the tote: queued, not delivered
	ageNow := func() int {
		m := queueAge.FindStringSubmatch(strings.Join(d.screen(), "\n"))
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(m[2])
		return n
	}
	require.True(t, waitFor(10*time.Second, func() bool { return ageNow() >= 0 }), "the status line shows the queue's age")
	first := ageNow()
	require.True(t, waitFor(10*time.Second, func() bool { return ageNow() >= first+2 }), "the age grows with no input: %d", ageNow())
}
