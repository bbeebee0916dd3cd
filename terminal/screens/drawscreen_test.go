package screens

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
)

// showScreen counts the frames sent to the terminal and the cells put.
type showScreen struct {
	tcell.SimulationScreen
	shows atomic.Int32
	puts  atomic.Int32
}

func (s *showScreen) Show() { s.shows.Add(1); s.SimulationScreen.Show() }
func (s *showScreen) Put(x, y int, str string, style tcell.Style) (string, int) {
	s.puts.Add(1)
	return s.SimulationScreen.Put(x, y, str, style)
}

// newShowScreen is a 20×16 simulation screen that counts.
func newShowScreen(t *testing.T) *showScreen {
	sim := &showScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}
	require.NoError(t, sim.Init())
	t.Cleanup(sim.Fini)
	sim.SetSize(20, 16)
	sim.Show() // the simulation takes its size at Show
	return sim
}

// TestDrawScreenSendsOnlyChanges: a frame lands on the screen as drawn; a
// cell blanked and written again (as tview does to every cell) is sent only
// when it differs from what is shown; a frame that changes nothing sends
// nothing; Sync repaints from what is shown; a frame of ASCII allocates
// nothing.
func TestDrawScreenSendsOnlyChanges(t *testing.T) {
	sim := newShowScreen(t)
	s := newDrawScreen(sim)
	style := tcell.StyleDefault.Foreground(tcell.ColorGreen)
	chars := []rune{' ', 'A', '~', 'é', '→'}
	frame := func(second rune) {
		s.Clear()
		for i, r := range chars {
			if i == 1 {
				r = second
			}
			s.SetContent(i, 0, r, nil, style)
		}
		s.Show()
	}
	frame('A')
	for i, r := range chars {
		got, gotStyle, _ := sim.Get(i, 0)
		require.Equal(t, string(r), got)
		require.Equal(t, style, gotStyle)
	}
	require.EqualValues(t, 20*16, sim.puts.Load(), "the first frame goes out whole")

	shows, puts := sim.shows.Load(), sim.puts.Load()
	frame('A')
	require.Equal(t, shows, sim.shows.Load(), "a frame that changes nothing was sent")
	require.Equal(t, puts, sim.puts.Load())

	frame('B')
	require.Equal(t, shows+1, sim.shows.Load())
	require.Equal(t, puts+1, sim.puts.Load(), "only the changed cell is sent")
	got, _, _ := sim.Get(1, 0)
	require.Equal(t, "B", got)

	s.ShowCursor(3, 3) // the cursor alone moved: sent
	frame('B')
	require.Equal(t, shows+2, sim.shows.Load(), "a moved cursor was not sent")

	sim.SimulationScreen.Put(1, 0, "Z", style) // behind the frame's back
	s.Sync()
	got, _, _ = sim.Get(1, 0)
	require.Equal(t, "Z", got, "Sync repaints what tcell holds, the frame shown")

	allocs := testing.AllocsPerRun(100, func() {
		s.Clear()
		for x := range 20 {
			s.SetContent(x, 1, rune('a'+x), nil, style)
			s.SetContent(x, 2, '↓', nil, style) // seen once, kept
		}
		s.Show()
	})
	require.Zero(t, allocs, "a frame allocated")
}

// TestDrawScreenResizeSendsWhole: after a resize event every cell goes out
// again, even at the same size (tcell may have dropped cells meanwhile).
func TestDrawScreenResizeSendsWhole(t *testing.T) {
	sim := newShowScreen(t)
	s := newDrawScreen(sim)
	draw := func() {
		s.Clear()
		s.PutStr(0, 0, "RFTERM LOGIN")
		s.Show()
	}
	draw()
	puts := sim.puts.Load()
	require.NoError(t, sim.PostEvent(tcell.NewEventResize(20, 16)))
	_, ok := s.PollEvent().(*tcell.EventResize)
	require.True(t, ok)
	draw()
	require.Equal(t, puts+20*16, sim.puts.Load(), "the frame after a resize was not sent whole")

	sim.SetSize(40, 8)
	sim.Show()
	draw()
	require.Equal(t, puts+20*16+40*8, sim.puts.Load(), "the frame at a new size was not sent whole")
	got, _, _ := sim.Get(7, 0)
	require.Equal(t, "L", got)
}

// TestDrawAllocationsAreConstant: a frame costs about as many allocations
// on an 80×24 station as on a 20×16 gun: none of them is per cell.
func TestDrawAllocationsAreConstant(t *testing.T) {
	perFrame := func(w, h int) float64 {
		term, _ := vt220Terminal(t, w, h)
		v := pickView()
		i := 0
		return testing.AllocsPerRun(50, func() {
			i++
			v.Prompt.Expect = []string{"19 more", "18 more"}[i%2]
			term.render(v)
			term.drawFrame()
		})
	}
	gun, station := perFrame(20, 16), perFrame(80, 24)
	t.Logf("allocations per frame: %.0f at 20x16, %.0f at 80x24", gun, station)
	require.Less(t, station, gun+40, "allocations grow with the screen")
	require.Less(t, gun, 400.0)
}

// TestHeldKeysDrawNothing: keys the keyboard wedge holds back (the start of
// what may be a scan) send no frame to the terminal; keys it gives back as
// typing do, and Ctrl+L repaints.
func TestHeldKeysDrawNothing(t *testing.T) {
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	t.Cleanup(sess.Close)
	sim := &showScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}
	term := NewTerminal(sess, sim)
	sim.SetSize(20, 16)
	wedge, err := scanner.NewWedge(scanner.WedgeConfig{MaxKeyGap: scanner.Duration(time.Hour)}, testLogger(t))
	require.NoError(t, err)
	term.UseWedge(wedge)
	ctx, cancel := context.WithCancel(context.Background())
	wedgeDone := make(chan struct{})
	go func() { defer close(wedgeDone); _ = wedge.Run(ctx, sess) }()
	require.True(t, waitFor(5*time.Second, wedge.Running), "the wedge never started")
	done := make(chan error, 1)
	go func() { done <- term.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; <-wedgeDone })

	// onUI runs f on the UI goroutine, after what came before it.
	onUI := func(f func()) {
		ok := make(chan struct{})
		term.App().QueueUpdate(func() { f(); close(ok) })
		select {
		case <-ok:
		case <-time.After(5 * time.Second):
			t.Fatal("the UI goroutine is stuck")
		}
	}
	settled := func() { onUI(func() {}) }
	// shown says whether the 20-column screen shows text, read on the UI
	// goroutine.
	shown := func(text string) bool {
		var rows string
		onUI(func() {
			cells, w, _ := sim.GetContents()
			if w != 20 {
				return
			}
			var b strings.Builder
			for i, c := range cells {
				if i > 0 && i%w == 0 {
					b.WriteByte('\n')
				}
				if len(c.Runes) > 0 {
					b.WriteRune(c.Runes[0])
				}
			}
			rows = b.String()
		})
		return strings.Contains(rows, text)
	}
	require.True(t, waitFor(5*time.Second, func() bool { return shown("RFTERM LOGIN") }), "the first frame was never drawn")
	settled()
	before := sim.shows.Load()

	for _, r := range "T1000" {
		sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	require.True(t, waitFor(5*time.Second, func() bool { return wedge.Pending() == 5 }), "the wedge did not hold the keys")
	settled()
	require.Equal(t, before, sim.shows.Load(), "keys the wedge holds back drew a frame")

	// Too short for a scan: the wedge gives the keys back as typing, and
	// the input line shows them.
	sim.InjectKey(tcell.KeyBackspace2, 0, tcell.ModNone)
	require.True(t, waitFor(5*time.Second, func() bool { return shown("> T100") }), "typing was not drawn")
	require.Zero(t, wedge.Pending())

	// Ctrl+L: the whole screen again, even though no cell changed.
	shows := sim.shows.Load()
	sim.InjectKey(tcell.KeyCtrlL, 0, tcell.ModNone)
	settled()
	require.True(t, shown("> T100"))
	require.Equal(t, shows, sim.shows.Load(), "Ctrl+L repaints through Sync, not a frame")
}
