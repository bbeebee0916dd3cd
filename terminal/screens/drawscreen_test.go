package screens

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
)

// showScreen counts the frames sent to the terminal.
type showScreen struct {
	tcell.SimulationScreen
	shows atomic.Int32
}

func (s *showScreen) Show() { s.shows.Add(1); s.SimulationScreen.Show() }

// TestDrawScreenPutsASCIIWithoutAllocating checks that a cell of printable
// ASCII lands on the screen as given, and costs no allocation.
func TestDrawScreenPutsASCIIWithoutAllocating(t *testing.T) {
	sim := tcell.NewSimulationScreen("UTF-8")
	require.NoError(t, sim.Init())
	sim.SetSize(20, 16)
	s := &drawScreen{Screen: sim}
	style := tcell.StyleDefault.Foreground(tcell.ColorGreen)
	for i, r := range []rune{' ', 'A', '~', 'é', '→'} {
		s.SetContent(i, 0, r, nil, style)
		got, gotStyle, _ := sim.Get(i, 0)
		require.Equal(t, string(r), got)
		require.Equal(t, style, gotStyle)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for x := range 20 {
			s.SetContent(x, 1, rune('a'+x), nil, style)
		}
	})
	require.Zero(t, allocs, "a row of ASCII allocated")
}

// TestHeldKeysDrawNothing checks that keys the keyboard wedge holds back
// (the start of what may be a scan) send no frame to the terminal, and that
// keys it gives back as typing do.
func TestHeldKeysDrawNothing(t *testing.T) {
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	sim := &showScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}
	term := NewTerminal(sess, sim)
	sim.SetSize(20, 16)
	wedge, err := scanner.NewWedge(scanner.WedgeConfig{MaxKeyGap: scanner.Duration(time.Hour)}, testLogger(t))
	require.NoError(t, err)
	term.UseWedge(wedge)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = wedge.Run(ctx, sess) }()
	require.True(t, waitFor(5*time.Second, wedge.Running), "the wedge never started")
	done := make(chan error, 1)
	go func() { done <- term.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	// settled waits until the UI goroutine has handled what came before.
	settled := func() {
		ok := make(chan struct{})
		term.App().QueueUpdate(func() { close(ok) })
		select {
		case <-ok:
		case <-time.After(5 * time.Second):
			t.Fatal("the UI goroutine is stuck")
		}
	}
	require.True(t, waitFor(5*time.Second, func() bool { return sim.shows.Load() > 0 }), "the first frame was never drawn")
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
	require.True(t, waitFor(5*time.Second, func() bool { return sim.shows.Load() > before }), "typing drew no frame")
	settled()
	require.Zero(t, wedge.Pending())
}
