package reliability

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// long reports whether the long forms run (make reliability).
func long() bool { return os.Getenv("RFTERM_RELIABILITY") == "long" }

// scale picks the short or the long figure.
func scale(short, longForm int) int {
	if long() {
		return longForm
	}
	return short
}

// bigSite is the demo site with one order per picker, each a single line
// too large to ever run out, so every pick event applies.
func bigSite(t testing.TB, pickers int) domain.Site {
	t.Helper()
	site, err := demodata.Site()
	require.NoError(t, err)
	site.Orders = nil
	site.Users, site.PINs = nil, nil
	for i := range pickers {
		site.Users = append(site.Users, domain.User{ID: fmt.Sprintf("p%02d", i), Badge: fmt.Sprintf("U9%03d", i), Name: fmt.Sprintf("Picker %d", i)})
		site.Orders = append(site.Orders, domain.Order{ID: fmt.Sprintf("SO-R%02d", i), Customer: "R", Priority: 1, Status: domain.OrderOpen,
			Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 30}}})
	}
	return site
}

// claimFor claims a task for user on the hub.
func claimFor(t testing.TB, h *hubtest.Hub, user string) domain.Task {
	t.Helper()
	c, err := h.Store.Claim(t.Context(), user)
	require.NoError(t, err)
	return c.Task
}

// onePick is a draft that picks one unit on the task's only line, into the
// task's own tote (a tote holds one order's goods until they are packed).
func onePick(task domain.Task, user string) domain.Draft {
	l := task.Lines[0]
	return domain.NewDraft(domain.EventLinePicked, time.Now(), user,
		domain.PickLine{TaskID: task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: "TOTE-" + task.OrderID, Picked: 1})
}

// requireExactlyOnceInOrder checks that the hub took exactly the events
// given, in sequence order with no gap: it is at the last one's number,
// and the window it keeps (its last hub.DedupWindow numbers) holds the
// last of them, each once, in order. That each event's effect happened
// once is the caller's check (the units picked).
func requireExactlyOnceInOrder(t testing.TB, st *hub.Store, deviceID string, want []domain.Event) {
	t.Helper()
	last, err := st.LastSeq(t.Context(), deviceID)
	require.NoError(t, err)
	require.Equal(t, uint64(len(want)), last, "device %s: the hub is at the last event's number", deviceID)
	log, err := st.DeviceLog(t.Context(), deviceID)
	require.NoError(t, err)
	n := min(len(want), hub.DedupWindow)
	require.Len(t, log, n, "device %s: events in the hub's window", deviceID)
	tail := want[len(want)-n:]
	for i, e := range log {
		require.Equal(t, uint64(len(want)-n+i+1), e.Seq, "device %s: taken in order, no gap", deviceID)
		require.Equal(t, tail[i].ID, e.ID, "device %s seq %d", deviceID, e.Seq)
	}
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// openDevice opens a device store in dir.
func openDevice(t testing.TB, path, id string) *outbox.Store {
	t.Helper()
	s, err := outbox.Open(path, id, outbox.Options{Timeout: 10 * time.Second})
	require.NoError(t, err)
	return s
}

// runUntilDrained runs the sender until its outbox is empty (or fails the
// test after a minute), then stops it.
func runUntilDrained(t testing.TB, s *sender.Sender) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	require.Eventually(t, func() bool { st := s.Status(); return st.Online && st.Queued == 0 },
		time.Minute, 5*time.Millisecond, "the outbox drains")
}
