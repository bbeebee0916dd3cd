//go:build !windows

// The fake scale talks over a pseudo-terminal, which Windows does not have.

package session_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/scale"
	"github.com/rfterm/rfterm/terminal/scale/fakescale"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
)

// TestPackWithAScale: at a station with a Mettler Toledo scale (MT-SICS, a
// fake on a real pseudo-terminal), closing the carton reads the scale: an
// unsteady reading first, then the stable one closes the carton, marked as
// weighed, not keyed.
func TestPackWithAScale(t *testing.T) {
	r := newRig(t)
	master, slave, err := fakescale.OpenPTY()
	require.NoError(t, err)
	t.Cleanup(func() { master.Close(); slave.Close() })
	fake := fakescale.New(master)
	sc, err := scale.Open(scale.Config{Port: slave.Name(), ReplyTimeout: scanner.Duration(200 * time.Millisecond)}, r.log)
	require.NoError(t, err)
	connected := make(chan struct{}, 1)
	go sc.Run(r.ctx, func(st scanner.Status) {
		if st.Connected {
			connected <- struct{}{}
		}
	})
	<-connected

	_, sp := attachPrinter(t, r)
	ssccs := sscc.NewSSCCs(r.dev.Store, r.dev.Client, sscc.SSCCConfig{}, r.log)
	t.Cleanup(ssccs.Close)
	station := &session.PackStation{Hub: r.dev.Client, SSCCs: ssccs, Scale: device.ScaleReader{Scale: sc}, Carrier: "Demo Freight"}
	s := session.New(r.ctx, session.Config{Rules: r.rules, Demo: true, Log: r.log, Printer: sp, Pack: station, Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)

	v := pickThenPack(t, s)
	v = send(t, s, text(v.Prompt.Scan)) // one unit
	v = send(t, s, flow.ActionInput(flow.ActClose, time.Now()))
	require.Equal(t, "Enter or scan carton", v.Prompt.Ask)

	// The scale is asked once the carton is on it. It does not answer at
	// first (the screen says so, and it is asked again), then it is moving,
	// then stable at the expected weight.
	fake.Reply("S") // no answer
	var expected int
	send(t, s, text("")) // the suggested carton
	require.True(t, eventually(func() bool { return hasField(s.View().Prompt, "Scale", "Scale: scale did not answer") }), "%+v", s.View().Prompt)
	fake.Reply("S", "S D      0.001 kg")
	require.True(t, eventually(func() bool {
		return hasField(s.View().Prompt, "Scale", "Scale: weight not stable") || len(fake.Commands()) > 3
	}))
	for _, f := range s.View().Prompt.Fields {
		if f.Label == "Expect" {
			fmt.Sscanf(f.Value, "%d g", &expected)
		}
	}
	require.Positive(t, expected)
	fake.Reply("S", fmt.Sprintf("S S %10.3f kg", float64(expected)/1000)) // settled
	require.True(t, eventually(func() bool { v = s.View(); return v.Prompt.Title == "PACK SO-10003 C2" }), "the scale's stable weight closes the carton: %+v", s.View().Prompt)
	assert.Contains(t, fake.Commands(), "S")
	var saved flow.Pack
	found, err := r.dev.Store.LoadWork("pack/u1001", &saved)
	require.NoError(t, err)
	require.True(t, found)
	require.Len(t, saved.Cartons, 1)
	assert.Equal(t, expected, saved.Cartons[0].WeightGrams, "the scale's weight")
	assert.False(t, saved.Cartons[0].Manual, "weighed, not keyed")
}

func hasField(p flow.Prompt, label, prefix string) bool {
	for _, f := range p.Fields {
		if f.Label == label && strings.HasPrefix(f.Value, prefix) {
			return true
		}
	}
	return false
}
