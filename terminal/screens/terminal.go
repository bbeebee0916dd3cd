package screens

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
)

// Terminal is the one view of a terminal session: title bar, prompt body (or
// the problem in red), the instruction, the value expected, the demo hint,
// the input line, the key hints and the status line.
type Terminal struct {
	app    *tview.Application
	screen *drawScreen // the screen given, sent only the cells that changed
	sess   *session.Session
	table  []KeyAction

	title, body, problem, ask, expect, demo, keys, status *tview.TextView
	printer                                               *tview.TextView
	help                                                  *tview.TextView
	input                                                 *tview.InputField
	pages                                                 *tview.Pages // body or problem
	root                                                  *tview.Pages // the screen, or the help over all of it
	layout                                                *tview.Flex

	view     session.View // the last one rendered; touched only on the UI goroutine
	controls []Control
	redraw   chan struct{}
	stopped  chan struct{} // closed when Run returns
	width    int           // the screen size the view was laid out for
	// keyConflicts lists prompts that offered two live actions on one key
	// (a bug the key tests catch); touched only on the UI goroutine.
	keyConflicts []string
	bodyRows     int // the rows the body had at the last render: a page
	height       int
	inputFull    bool // the input line reached MaxInput: the expect line says so
	// wedge is the keyboard-wedge decoder in the key path, if any (UseWedge).
	wedge *scanner.Wedge
	// held says the last key went to the wedge and it held it back (the
	// start of what may be a scan): nothing shown changed, so the frame
	// tview draws after it is skipped. Touched only on the UI goroutine.
	held bool
	// quit ends Run (Ctrl+C). Only Run's own goroutine stops the
	// application: an application that stopped by itself would leave a
	// redraw queued to it waiting for ever (one goroutine per connection
	// on a server).
	quit context.CancelFunc
}

// MaxInput is the most characters the input line takes: more than anything
// typed by hand (scans reach the session through the scanner source, and a
// keyboard-wedge scan up to scanner.DefaultWedgeMaxLength never types into
// the line). Typing or pasting past it is refused with a message (the line
// stays as it is, and Enter still submits it), so a key held down or a
// runaway paste cannot freeze the terminal: drawing the line costs as much
// as the text is long, on every key.
const MaxInput = 256

// inputFullText is the message on the expect line when the input line is
// full: 20 columns, the width of a gun.
func inputFullText() string { return fmt.Sprintf("Line full (%d max)", MaxInput) }

// Control is a key the program around the session adds, always live (the
// demo's "stop the hub"). Run is called on the UI goroutine and must not block.
type Control struct {
	Key     tcell.Key
	Command string
	Label   string
	Run     func()
}

// AddControl binds a control key; it shows on the hint bar and in the help.
func (t *Terminal) AddControl(c Control) {
	t.controls = append(t.controls, c)
	t.requestRedraw()
}

// showHelp puts the keys that work now on the whole screen.
func (t *Terminal) showHelp() {
	t.help.SetText(escapeLines(helpText(t.liveNow(), t.controls, t.sess.Menu())))
	t.root.SwitchToPage("help")
}

// NewTerminal builds the view of sess on screen (a real terminal, or a
// tcell.SimulationScreen in tests).
func NewTerminal(sess *session.Session, screen tcell.Screen) *Terminal {
	t := &Terminal{
		app: tview.NewApplication(), screen: newDrawScreen(screen), sess: sess, table: KeyActions(),
		redraw: make(chan struct{}, 1), stopped: make(chan struct{}),
	}
	line := func() *tview.TextView {
		return tview.NewTextView().SetDynamicColors(true).SetWrap(false)
	}
	t.title = line()
	t.title.SetBackgroundColor(tcell.ColorNavy)
	t.body = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(true) // long values wrap rather than vanish at 20 columns
	t.problem = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(true)
	t.problem.SetBackgroundColor(tcell.ColorMaroon)
	t.problem.SetTextColor(tcell.ColorWhite)
	t.help = tview.NewTextView().SetWrap(true).SetDynamicColors(true)
	t.help.SetInputCapture(func(*tcell.EventKey) *tcell.EventKey { // any key: back
		t.root.SwitchToPage("main")
		t.app.SetFocus(t.input)
		return nil
	})
	t.ask = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(true)
	t.expect = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(true) // a long expected value wraps
	t.demo = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(false)  // barcodes break anywhere
	t.keys = tview.NewTextView().SetDynamicColors(true).SetWrap(true).SetWordWrap(true)
	t.status = line()
	t.printer = tview.NewTextView().SetDynamicColors(true).SetWrap(true)
	t.input = tview.NewInputField().SetLabel("> ").SetFieldBackgroundColor(tcell.ColorDefault)
	t.input.SetInputCapture(t.onKey)

	t.pages = tview.NewPages().
		AddPage("body", t.body, true, true).
		AddPage("problem", t.problem, true, false)
	t.layout = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(t.title, 1, 0, false).
		AddItem(t.pages, 0, 1, false).
		AddItem(t.ask, 1, 0, false).
		AddItem(t.expect, 1, 0, false).
		AddItem(t.demo, 0, 0, false).
		AddItem(t.input, 1, 0, true).
		AddItem(t.keys, 2, 0, false).
		AddItem(t.printer, 0, 0, false).
		AddItem(t.status, 1, 0, false)
	t.app.SetScreen(t.screen)
	t.root = tview.NewPages().AddPage("main", t.layout, true, true).AddPage("help", t.help, true, false)
	t.app.SetRoot(t.root, true).SetFocus(t.input)
	t.app.SetInputCapture(t.capture)
	t.app.SetBeforeDrawFunc(t.beforeDraw)
	sess.OnView(t.requestRedraw)
	t.render(sess.View())
	return t
}

// capture sees every key first, on the UI goroutine: Ctrl+C quits, Ctrl+L
// repaints the whole terminal, and with a keyboard wedge every other key
// goes through it.
func (t *Terminal) capture(ev *tcell.EventKey) *tcell.EventKey {
	switch ev.Key() {
	case tcell.KeyCtrlC:
		t.stop() // quitting is never held back
		return nil
	case tcell.KeyCtrlL:
		t.screen.Sync()
		return nil
	}
	if t.wedge == nil {
		return ev
	}
	released := t.wedge.Key(wedgeKey(ev))
	t.held = len(released) == 0
	t.replay(released)
	return nil
}

// beforeDraw runs before tview draws a frame, on the UI goroutine. A new
// size re-lays the view out (the hint bar and the wrapped rows depend on
// the width); a key the wedge held back skips the frame.
func (t *Terminal) beforeDraw(screen tcell.Screen) bool {
	held := t.held
	t.held = false
	if w, h := screen.Size(); w != t.width || h != t.height {
		t.width, t.height = w, h
		t.render(t.view)
		return false
	}
	if held {
		t.screen.skipFrame()
		return true
	}
	return false
}

// App is the tview application, for tests that wait on it.
func (t *Terminal) App() *tview.Application { return t.app }

// requestRedraw is the session's listener: it never blocks, and bursts of
// changes coalesce into one redraw.
func (t *Terminal) requestRedraw() {
	select {
	case t.redraw <- struct{}{}:
	default:
	}
}

// Run shows the terminal until ctx is done or the application stops.
func (t *Terminal) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t.quit = cancel
	defer close(t.stopped)
	if !t.awaitWedge(ctx) {
		return ctx.Err()
	}
	go func() {
		// The status line's queue age ("Q3 40s") grows while nothing
		// changes: redraw it every second while events wait.
		age := time.NewTicker(time.Second)
		defer age.Stop()
		for {
			select {
			case <-ctx.Done():
				t.app.Stop()
				return
			case <-age.C:
				if t.sess.View().Status.Queued > 0 {
					t.requestRedraw()
				}
			case <-t.redraw:
				v := t.sess.View() // outside the UI goroutine: the session may touch disk
				t.app.QueueUpdateDraw(func() { t.render(v) })
			}
		}
	}()
	return t.app.Run()
}

// awaitWedge waits until the keyboard wedge (if any) takes scans: keys that
// come before pass through as typing, and a gun that scans its badge at the
// first screen would have its first character typed and the rest scanned.
// It reports false if ctx ended first.
func (t *Terminal) awaitWedge(ctx context.Context) bool {
	if t.wedge == nil || t.wedge.Running() {
		return true
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !t.wedge.Running() {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
	return true
}

// stop ends Run (on the UI goroutine: Ctrl+C).
func (t *Terminal) stop() {
	if t.quit != nil {
		t.quit()
	}
}

// onKey is the input line's key handler: Enter submits, F-keys act, the rest types.
func (t *Terminal) onKey(ev *tcell.EventKey) *tcell.EventKey {
	at := time.Now()
	switch ev.Key() {
	case tcell.KeyF1:
		t.showHelp()
		return nil
	case tcell.KeyDown, tcell.KeyPgDn:
		t.pageBody(true)
		return nil
	case tcell.KeyUp, tcell.KeyPgUp:
		t.pageBody(false)
		return nil
	case tcell.KeyRune:
		if utf8.RuneCountInString(t.input.GetText()) >= MaxInput {
			if !t.inputFull {
				t.inputFull = true
				t.expect.SetText("[red::b]" + inputFullText())
				t.screen.Beep()
			}
			return nil
		}
	case tcell.KeyBackspace, tcell.KeyBackspace2, tcell.KeyDelete, tcell.KeyCtrlU:
		t.clearInputFull()
	case tcell.KeyEnter:
		t.clearInputFull()
		text := t.input.GetText()
		t.input.SetText("")
		if text == "?" {
			t.showHelp()
			return nil
		}
		for _, c := range t.controls {
			if strings.EqualFold(strings.TrimSpace(text), c.Command) {
				c.Run()
				return nil
			}
		}
		if a, ok := byCommand(t.liveNow(), text); ok {
			t.submit(flow.ActionInput(a, at))
		} else {
			t.submit(flow.TextInput(text, at))
		}
		t.mask(t.sess.View().Secret) // keys typed before the next redraw are masked too
		return nil
	}
	for _, c := range t.controls {
		if c.Key == ev.Key() {
			c.Run()
			return nil
		}
	}
	if a, ok := byKey(t.liveNow(), ev.Key()); ok {
		t.input.SetText("")
		t.submit(flow.ActionInput(a, at))
		return nil
	}
	return ev
}

// clearInputFull takes the input-full message away: a key made room, or
// the line was submitted.
func (t *Terminal) clearInputFull() {
	if t.inputFull {
		t.inputFull = false
		t.render(t.view)
	}
}

// liveNow is the actions on offer now. Keys can arrive before the last change
// is drawn, so dispatch asks the session rather than the screen.
func (t *Terminal) liveNow() []KeyAction {
	return live(t.table, t.sess.View().Prompt.Actions)
}

func (t *Terminal) submit(in flow.Input) {
	t.sess.Handle(in) // the view follows through the listener
}

func (t *Terminal) bodyPage() string {
	if t.view.Prompt.Problem != nil {
		return "problem"
	}
	return "body"
}
