package screens

import (
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/rfterm/rfterm/terminal/scanner"
)

// UseWedge puts a keyboard-wedge decoder in the key path: a burst of keys
// ending in Enter that the decoder takes for a scan reaches the session as a
// scan (through the wedge's own Run), and never types into the input line;
// everything else comes back to the terminal unchanged and in order. A key it
// holds back draws nothing. Call it before Run, and run the wedge with
// go w.Run(ctx, session): Run shows nothing until the wedge takes scans.
func (t *Terminal) UseWedge(w *scanner.Wedge) {
	w.SetWake(func() {
		// Held keys are due: release them on the UI goroutine.
		select {
		case <-t.stopped:
		default:
			t.app.QueueUpdateDraw(func() { t.replay(w.Flush(time.Now())) })
		}
	})
	t.wedge = w // capture hands it every key
}

// replay hands keys the wedge released to the focused widget, as if typed.
func (t *Terminal) replay(keys []scanner.Key) {
	for _, k := range keys {
		ev, ok := k.Event.(*tcell.EventKey)
		if !ok {
			continue
		}
		if p := t.app.GetFocus(); p != nil {
			if h := p.InputHandler(); h != nil {
				h(ev, func(p tview.Primitive) { t.app.SetFocus(p) })
			}
		}
	}
}

// wedgeKey is a tcell key as the wedge sees it.
func wedgeKey(ev *tcell.EventKey) scanner.Key {
	k := scanner.Key{Code: scanner.KeyOther, At: ev.When(), Event: ev, Alt: ev.Modifiers()&tcell.ModAlt != 0}
	switch ev.Key() {
	case tcell.KeyEnter:
		k.Code = scanner.KeyEnter
	case tcell.KeyTab:
		k.Code = scanner.KeyTab
	case tcell.KeyCtrlRightSq: // Ctrl+] is GS (0x1D)
		k.Code = scanner.KeyGS
	case tcell.KeyRune:
		k.Code, k.Rune = scanner.KeyRune, ev.Rune()
	}
	return k
}
