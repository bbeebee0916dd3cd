package session_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

// bolPrinted reports whether the printer received load id's bill of lading.
func bolPrinted(fp *fakeprinter.Printer, id string) bool {
	return slices.ContainsFunc(fp.Formats(), func(f fakeprinter.Format) bool {
		z := string(f.ZPL)
		return strings.Contains(z, "BILL OF LADING") && strings.Contains(z, id)
	})
}

// TestBillOfLadingPrintsOnceTheHubHasTheClose: a dock terminal with a
// printer closes LD-0002 while the hub is unreachable; the screen says its
// bill of lading prints when online, and it still waits after the loader
// logged out and in again (it is saved with the close). Back online, once
// the close reaches the hub, the hub's bill of lading prints on the real
// (fake) printer through the spool, once.
func TestBillOfLadingPrintsOnceTheHubHasTheClose(t *testing.T) {
	var fp *fakeprinter.Printer
	d := newDockRig(t, func(r *rig, cfg *session.Config) {
		fp, cfg.Printer = attachPrinter(t, r)
		cfg.Dock.Docs = r.dev.Client
	})
	so9 := d.ship.Ship("SO-10009", 1) // DEMO Express: LD-0002 at DOOR-02
	s := d.s
	send(t, s, text("U1001"))
	send(t, s, text("11"))
	send(t, s, text("DOOR-02"))
	v := send(t, s, text(so9[0]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	assert.Equal(t, "All loaded: C to close", v.Prompt.Ask)

	require.NoError(t, d.hub.Stop())
	require.True(t, eventually(func() bool { return !s.View().Status.Online }), "the session never saw the hub go")
	send(t, s, act(flow.ActClose))
	v = send(t, s, text("SEAL-0042"))
	require.Equal(t, "LOAD CLOSED", v.Prompt.Title, "%+v", v.Prompt.Problem)
	assert.Equal(t, "prints when online", fieldOf(v.Prompt, "BOL"))
	v = send(t, s, text(""))
	assert.Equal(t, "LOAD", v.Prompt.Title)

	send(t, s, act(session.ActMenu))
	send(t, s, text(session.KeyLogout))
	send(t, s, text("U1001"))
	v = send(t, s, text("11"))
	require.Equal(t, "LOAD", v.Prompt.Title, "%+v", v.Prompt.Problem)
	assert.Equal(t, "prints when online", fieldOf(v.Prompt, "BOL"), "the bill waits across a new login")
	assert.False(t, bolPrinted(fp, "LD-0002"), "printed before the hub had the close")

	require.NoError(t, d.hub.Start())
	d.dev.Sender.Kick()
	require.True(t, eventually(func() bool { return bolPrinted(fp, "LD-0002") }), "the bill of lading never printed")
	require.True(t, eventually(func() bool { return fieldOf(s.View().Prompt, "BOL") == "LD-0002 printed" }),
		"the screen says the bill printed once the printer took it: %+v", s.View().Prompt)
	d.delivered()
	n := 0
	for _, f := range fp.Formats() {
		if strings.Contains(string(f.ZPL), "BILL OF LADING") {
			n++
		}
	}
	assert.Equal(t, 1, n, "printed once")
}
