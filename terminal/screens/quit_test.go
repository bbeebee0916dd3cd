package screens

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/require"
)

// TestCtrlCStopsRunWithNothingLeft: Ctrl+C ends Run through Run itself, so
// redraws the session asks for afterwards never wait on a stopped
// application (on a server, one stuck goroutine per connection).
func TestCtrlCStopsRunWithNothingLeft(t *testing.T) {
	d := newDriver(t, 20, 16)
	d.expect("Scan your badge")
	flood := make(chan struct{})
	go func() { // the session asking for redraws all along, as a busy hub link does
		for {
			select {
			case <-flood:
				return
			default:
				d.term.requestRedraw()
				runtime.Gosched()
			}
		}
	}()
	d.sim.InjectKey(tcell.KeyCtrlC, 0, tcell.ModCtrl)
	select {
	case <-d.done:
		close(flood)
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl+C did not stop the terminal")
	}
	d.done <- nil // for the cleanup
	require.True(t, waitFor(5*time.Second, func() bool {
		buf := make([]byte, 1<<20)
		return !strings.Contains(string(buf[:runtime.Stack(buf, true)]), "screens.(*Terminal).Run.func1")
	}), "Run's redraw goroutine outlived it")
}
