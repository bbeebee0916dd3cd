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

// BenchmarkRenderPick is the screen's share of a scan: render a pick view
// and draw it on a 20×16 screen.
func BenchmarkRenderPick(b *testing.B) {
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	sim := tcell.NewSimulationScreen("UTF-8")
	term := NewTerminal(sess, sim)
	sim.SetSize(20, 16)
	v := pickView()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v.Handled = i
		term.render(v)
		term.layout.SetRect(0, 0, 20, 16)
		term.layout.Draw(term.screen)
		sim.Show()
	}
}

// pickView is a pick step as a gun shows it.
func pickView() session.View {
	return session.View{Mode: session.ModePick, Demo: true, Prompt: flow.Prompt{
		Title: "PICK 2/5 SO-10003", Ask: "Scan next or key qty", Expect: "19 more", Scan: "5401230052473",
		Fields: []flow.Field{{Label: "Loc", Value: "A-04-04"}, {Label: "SKU", Value: "MK-0100"},
			{Label: "Item", Value: "Permanent marker black chisel tip"}, {Label: "Qty", Value: "1 of 20"}, {Label: "Tote", Value: "T10003"}},
		Actions: []flow.Action{flow.ActShort, session.ActMenu},
	}, Status: session.Status{Online: true, User: "Ana Ruiz"}}
}

// discardTty is a tcell.Tty that takes every byte and has no input: the
// terminfo screen's output path as on a server connection, with no network.
// Read waits for Drain, as tcell expects when it stops.
type discardTty struct {
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
	return tcell.WindowSize{Width: 20, Height: 16}, nil
}

// BenchmarkDrawVT220 is one frame as `rfterm serve` sends it: the pick view
// rendered and drawn through tview onto a vt220 terminfo screen, the frame
// encoded for the connection. -benchmem gives the allocations per draw.
func BenchmarkDrawVT220(b *testing.B) {
	ti, err := terminfo.LookupTerminfo("vt220")
	if err != nil {
		b.Fatal(err)
	}
	tty := &discardTty{}
	scr, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
	if err != nil {
		b.Fatal(err)
	}
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	term := NewTerminal(sess, scr)
	defer scr.Fini()
	v := pickView()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v.Handled = i
		v.Status.Queued = i % 2 // something on screen changes every frame
		term.render(v)
		term.screen.begin(true)
		term.root.SetRect(0, 0, 20, 16)
		term.root.Draw(term.screen)
		term.screen.Show()
	}
	b.ReportMetric(float64(tty.written)/float64(b.N), "bytes/frame")
}
