package session_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

// TestInternationalShipmentPrintsItsInvoice: a parcel from the Netherlands to
// Great Britain gets a commercial invoice printed once the shipment is
// complete, and the hub keeps it with the shipment once confirmed. Its
// labels name the order's carrier, not the station's.
func TestInternationalShipmentPrintsItsInvoice(t *testing.T) {
	r := newRig(t)
	fp, sp := attachPrinter(t, r)
	ssccs := sscc.NewSSCCs(r.dev.Store, r.dev.Client, sscc.SSCCConfig{}, r.log)
	t.Cleanup(ssccs.Close)
	station := &session.PackStation{Hub: r.dev.Client, SSCCs: ssccs, Carrier: "Station Freight", Service: "Station",
		ShipFrom: domain.Address{Name: "Demo DC", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}}
	s := session.New(r.ctx, session.Config{Rules: r.rules, Demo: true, Log: r.log, Printer: sp, Pack: station, Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)

	v := pickThenPack(t, s)
	o, err := r.hub.Store().Order(t.Context(), v.OrderID)
	require.NoError(t, err)
	require.Equal(t, "DEMO", o.Carrier, "the demo's first order ships with Demo Freight")
	order := v.OrderID
	for i := 0; i < 200 && !strings.HasPrefix(v.Prompt.Title, "PACKED "); i++ {
		require.Nil(t, v.Prompt.Problem, "at %q", v.Prompt.Ask)
		v = send(t, s, text(v.Prompt.Scan)) // the hint, or Enter where there is none
	}
	require.True(t, strings.HasPrefix(v.Prompt.Title, "PACKED "), "%+v", v.Prompt)
	require.True(t, eventually(func() bool {
		for _, f := range fp.Formats() {
			if strings.Contains(string(f.ZPL), "COMMERCIAL INVOICE") {
				return true
			}
		}
		return false
	}), "the invoice reaches the printer")
	for _, f := range fp.Formats() {
		assert.NotContains(t, string(f.ZPL), "Station Freight", "a label names the station's carrier")
	}
	require.True(t, slices.ContainsFunc(fp.Formats(), func(f fakeprinter.Format) bool { return strings.Contains(string(f.ZPL), "Demo Freight") }),
		"no label names the order's carrier")
	send(t, s, text("")) // ship it
	require.True(t, eventually(func() bool {
		sh, err := r.hub.Store().Shipment(t.Context(), order)
		return err == nil && sh.Invoice != nil
	}), "the hub keeps the invoice with the shipment")
	sh, err := r.hub.Store().Shipment(t.Context(), order)
	require.NoError(t, err)
	assert.Equal(t, "CI-"+order, sh.Invoice.Number)
	assert.NotEmpty(t, sh.Invoice.Lines)
}

// pickThenPack logs U1001 in, picks the first task by its hints, and opens
// the pack station on its tote once the picks are at the hub (the station
// finds what was picked there).
func pickThenPack(t *testing.T, s *session.Session) session.View {
	t.Helper()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	for i := 0; i < 100 && v.Step != flow.StepDone; i++ {
		v = send(t, s, text(v.Prompt.Scan))
	}
	tote := v.Prompt.Expect
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }), "the picks never reached the hub")
	send(t, s, flow.ActionInput(session.ActMenu, time.Now()))
	send(t, s, text("3"))
	v = send(t, s, text(tote))
	require.Equal(t, session.ModePack, v.Mode, "%+v", v.Prompt.Problem)
	return v
}

// TestPackHintOffersTotesNotPackedYet: the pack station's demo hint is the
// tote picked here last and not packed here yet; once it is packed, the one
// before it.
func TestPackHintOffersTotesNotPackedYet(t *testing.T) {
	r := newRig(t)
	_, sp := attachPrinter(t, r)
	ssccs := sscc.NewSSCCs(r.dev.Store, r.dev.Client, sscc.SSCCConfig{}, r.log)
	t.Cleanup(ssccs.Close)
	station := &session.PackStation{Hub: r.dev.Client, SSCCs: ssccs,
		ShipFrom: domain.Address{Name: "Demo DC", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}}
	s := session.New(r.ctx, session.Config{Rules: r.rules, Demo: true, Log: r.log, Printer: sp, Pack: station, Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)

	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	var totes []string
	for range 2 {
		for i := 0; i < 200 && v.Step != flow.StepDone; i++ {
			v = send(t, s, text(v.Prompt.Scan))
		}
		require.Equal(t, flow.StepDone, v.Step)
		totes = append(totes, v.Prompt.Expect)
		v = send(t, s, text("")) // the next task
	}
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }), "the picks never reached the hub")
	send(t, s, flow.ActionInput(session.ActMenu, time.Now()))
	v = send(t, s, text("3"))
	require.Equal(t, totes[1], v.Prompt.Scan, "the tote picked last is offered first")
	v = send(t, s, text(v.Prompt.Scan))
	for i := 0; i < 400 && !strings.HasPrefix(v.Prompt.Title, "DONE "); i++ {
		require.Nil(t, v.Prompt.Problem, "at %q", v.Prompt.Ask)
		if v.Prompt.Scan == "C" { // the hint's close key, as the screen turns it into the action
			v = send(t, s, flow.ActionInput(flow.ActClose, time.Now()))
			continue
		}
		v = send(t, s, text(v.Prompt.Scan))
	}
	require.True(t, strings.HasPrefix(v.Prompt.Title, "DONE "), "%+v", v.Prompt)
	v = send(t, s, text(""))
	require.Equal(t, totes[0], v.Prompt.Scan, "a packed tote is not offered again")
}
