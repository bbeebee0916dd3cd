package screens

import (
	"context"
	"testing"

	"github.com/gdamore/tcell/v2"

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
	v := session.View{Mode: session.ModePick, Demo: true, Prompt: flow.Prompt{
		Title: "PICK 2/5 SO-10003", Ask: "Scan next or key qty", Expect: "19 more", Scan: "5401230052473",
		Fields: []flow.Field{{Label: "Loc", Value: "A-04-04"}, {Label: "SKU", Value: "MK-0100"},
			{Label: "Item", Value: "Permanent marker black chisel tip"}, {Label: "Qty", Value: "1 of 20"}, {Label: "Tote", Value: "T10003"}},
		Actions: []flow.Action{flow.ActShort, session.ActMenu},
	}, Status: session.Status{Online: true, User: "Ana Ruiz"}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v.Handled = i
		term.render(v)
		term.layout.SetRect(0, 0, 20, 16)
		term.layout.Draw(sim)
		sim.Show()
	}
}
