package screens

import (
	"context"
	"io"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"

	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// idleSync is a sender that has nothing to send, for rendering alone.
type idleSync struct{}

func (idleSync) Kick()                     {}
func (idleSync) Status() sender.SyncStatus { return sender.SyncStatus{Online: true} }
func (idleSync) OnChange(func()) func()    { return func() {} }

// pickView is a pick step as a gun shows it.
func pickView() session.View {
	return session.View{Mode: session.ModePick, Demo: true, Prompt: flow.Prompt{
		Title: "PICK 2/5 SO-10003", Ask: "Scan next or key qty", Expect: "19 more", Scan: "5401230052473",
		Fields: []flow.Field{{Label: "Loc", Value: "A-04-04"}, {Label: "SKU", Value: "MK-0100"},
			{Label: "Item", Value: "Permanent marker black chisel tip"}, {Label: "Qty", Value: "1 of 20"}, {Label: "Tote", Value: "T10003"}},
		Actions: []flow.Action{flow.ActShort, session.ActMenu},
	}, Status: session.Status{Online: true, User: "Ana Ruiz"}}
}

// drawFrame draws one frame as the application does after an event: the
// whole tree into the frame, then the cells that changed to the screen.
func (t *Terminal) drawFrame() {
	w, h := t.screen.Size()
	t.root.SetRect(0, 0, w, h)
	t.screen.Clear()
	t.root.Draw(t.screen)
	t.screen.Show()
}

// BenchmarkRenderPick is the screen's share of a scan: render a pick view
// and draw it on a 20×16 screen.
func BenchmarkRenderPick(b *testing.B) {
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	sim := tcell.NewSimulationScreen("UTF-8")
	term := NewTerminal(sess, sim)
	sim.SetSize(20, 16)
	sim.Show() // the simulation takes its new size at Show
	v := pickView()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		v.Handled = i
		term.render(v)
		term.drawFrame()
	}
}

// discardTty is a tcell.Tty that takes every byte and has no input: the
// terminfo screen's output path as on a server connection, with no network.
// Read waits for Drain, as tcell expects when it stops.
type discardTty struct {
	w, h    int
	written int
	drain   chan struct{}
}

func (d *discardTty) Start() error                { d.drain = make(chan struct{}); return nil }
func (d *discardTty) Stop() error                 { return nil }
func (d *discardTty) Drain() error                { close(d.drain); return nil }
func (d *discardTty) NotifyResize(func())         {}
func (d *discardTty) Close() error                { return nil }
func (d *discardTty) Read([]byte) (int, error)    { <-d.drain; return 0, io.EOF }
func (d *discardTty) Write(p []byte) (int, error) { d.written += len(p); return len(p), nil }
func (d *discardTty) WindowSize() (tcell.WindowSize, error) {
	return tcell.WindowSize{Width: d.w, Height: d.h}, nil
}

// vt220Terminal is a terminal on a vt220 terminfo screen of w×h writing to
// a discardTty, as `rfterm serve` draws for a gun.
func vt220Terminal(b testing.TB, w, h int) (*Terminal, *discardTty) {
	ti, err := terminfo.LookupTerminfo("vt220")
	if err != nil {
		b.Fatal(err)
	}
	tty := &discardTty{w: w, h: h}
	scr, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
	if err != nil {
		b.Fatal(err)
	}
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	b.Cleanup(sess.Close)
	term := NewTerminal(sess, scr) // the application initialises the screen
	b.Cleanup(scr.Fini)
	return term, tty
}

// benchDraw draws a frame per iteration through a vt220 terminfo screen;
// change alters what the frame shows (or not). -benchmem gives the
// allocations per draw; bytes/frame is what goes to the connection.
func benchDraw(b *testing.B, w, h int, change func(v *session.View, i int)) {
	term, tty := vt220Terminal(b, w, h)
	v := pickView()
	term.render(v)
	term.drawFrame()
	tty.written = 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		change(&v, i)
		term.render(v)
		term.drawFrame()
	}
	b.ReportMetric(float64(tty.written)/float64(b.N), "bytes/frame")
}

// BenchmarkDrawVT220 is one frame after a scan as `rfterm serve` sends it to
// a 20×16 gun: the pick view rendered with one field changed, drawn through
// tview, the changed cells encoded for the connection.
func BenchmarkDrawVT220(b *testing.B) {
	benchDraw(b, 20, 16, func(v *session.View, i int) {
		v.Handled = i
		v.Prompt.Expect = []string{"19 more", "18 more"}[i%2] // what a scan changes
	})
}

// BenchmarkDrawVT220Unchanged is a frame that shows nothing new (a view
// equal to the one shown): drawn, compared, nothing sent.
func BenchmarkDrawVT220Unchanged(b *testing.B) {
	benchDraw(b, 20, 16, func(v *session.View, i int) { v.Handled = i })
}

// BenchmarkDrawVT220Station is BenchmarkDrawVT220 on an 80×24 station.
func BenchmarkDrawVT220Station(b *testing.B) {
	benchDraw(b, 80, 24, func(v *session.View, i int) {
		v.Handled = i
		v.Prompt.Expect = []string{"19 more", "18 more"}[i%2]
	})
}
