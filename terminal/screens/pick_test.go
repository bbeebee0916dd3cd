package screens

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

func testLogger(t testing.TB) *slog.Logger {
	f, err := os.Create(filepath.Join(t.TempDir(), "test.log"))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestWholePick drives a whole pick by keys at the two screen sizes of the
// trade: login, tote, one line skipped, one short, the rest picked, the task
// confirmed on the hub with its backorder.
func TestWholePick(t *testing.T) {
	for _, size := range []struct{ w, h int }{{20, 16}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) { wholePick(t, size.w, size.h) })
	}
}

func wholePick(t *testing.T, w, h int) {
	d := newDriver(t, w, h)
	d.expect("RFTERM LOGIN", "Scan your badge", "Try U1001")

	// A badge the hub does not know: refused, loudly, until acknowledged.
	d.typeLine("U9999")
	d.expect("UNKNOWN BADGE", "Enter to acknowledge")
	d.typeLine("")
	d.expect("Scan your badge")

	d.typeLine("U1001")
	d.expect("MENU", "1 Pick", "0 Log out")
	d.typeLine("1")
	d.expect("Scan tote", "a tote label")

	// A wrong scan is an error that must be acknowledged; the next scan is refused meanwhile.
	beeps := d.sim.beeps.Load()
	d.typeLine("A-01-01")
	d.expect("NOT A TOTE", "A-01-01", "Enter to acknowledge")
	require.True(t, waitFor(5*time.Second, func() bool { return d.sim.beeps.Load() >= beeps+2 }), "the error tone sounds twice")
	d.typeLine("T00001")
	d.expect("NOT A TOTE")
	d.typeLine("")
	d.expect("Scan tote")

	d.scanHint()
	d.expect("Scan location", "Q")
	v := d.sess.View()
	require.Equal(t, flow.StepLocation, v.Step, "after the tote")
	taskLines := countLines(v.Prompt.Title)
	require.GreaterOrEqual(t, taskLines, 3, "the first demo task has three lines or more")
	firstLoc := field(v.Prompt, "Loc")

	// Skip the first line: it comes back at the end.
	d.press(tcell.KeyF5)
	d.expect("Scan location")
	require.NotEqual(t, firstLoc, field(d.sess.View().Prompt, "Loc"))

	// Short the next one with a reason, by the plain-key alternative.
	d.scanHint() // location
	d.expect("Scan item")
	shortSKU := field(d.sess.View().Prompt, "SKU")
	d.typeLine("[red]X") // data that looks like a tview colour tag is shown as it is
	d.expect("WRONG ITEM", "[red]X")
	d.typeLine("")
	d.typeLine("S")
	d.expect("Short reason", "1 Not found", "2 Damaged")
	d.typeLine("2")

	// Pick the rest by following the hint line, as a newcomer would.
	for i := 0; i < 60 && !strings.Contains(d.sess.View().Prompt.Title, "DONE"); i++ {
		d.expect(d.sess.View().Prompt.Ask)
		d.scanHint()
	}
	d.expect("DONE", "Take tote to", "Short")

	// The hub holds the task done and the backorder, delivered by the sender.
	taskID := d.taskID()
	require.True(t, waitFor(10*time.Second, func() bool {
		task, err := d.hub.Store().Task(t.Context(), taskID)
		return err == nil && task.Status == domain.TaskDone
	}), "task confirmed on the hub")
	task, err := d.hub.Store().Task(t.Context(), taskID)
	require.NoError(t, err)
	bos, err := d.hub.Store().Backorders(t.Context(), task.OrderID)
	require.NoError(t, err)
	require.Len(t, bos, 1)
	assert.Equal(t, shortSKU, bos[0].SKU)
	assert.Equal(t, domain.ShortDamaged, bos[0].Reason)
	assert.Equal(t, "gun-t", bos[0].DeviceID)
	d.expect("ONLINE Q0")

	// Enter takes the next task.
	d.typeLine("")
	d.expect("Scan tote")
	assert.NotEqual(t, taskID, d.taskID())
}

func (d *driver) taskID() string { return d.sess.View().TaskID }

func field(p flow.Prompt, label string) string {
	for _, f := range p.Fields {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

// countLines reads the total from a title like "PICK 1/5 SO-1001".
func countLines(title string) int {
	parts := strings.Fields(title)
	if len(parts) < 2 {
		return 0
	}
	_, total, ok := strings.Cut(parts[1], "/")
	if !ok {
		return 0
	}
	n := 0
	for _, c := range total {
		n = n*10 + int(c-'0')
	}
	return n
}
