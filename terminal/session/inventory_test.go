package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
)

func inventorySession(r *rig) *session.Session {
	s := session.New(r.ctx, session.Config{Rules: r.rules, Notices: r.dev.Puller, Demo: true, Log: r.log, Inventory: r.dev.Client, Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)
	return s
}

// follow answers each step with the demo hint until the view says done.
func follow(t *testing.T, s *session.Session, done func(session.View) bool) session.View {
	t.Helper()
	v := s.View()
	for i := 0; i < 200 && !done(v); i++ {
		require.Nil(t, v.Prompt.Problem, "at %s", v.Prompt.Title)
		require.NotEmpty(t, v.Prompt.Scan, "no hint at %+v", v.Prompt)
		v = send(t, s, text(v.Prompt.Scan))
	}
	require.True(t, done(v), "never done: %+v", v.Prompt)
	return v
}

// TestCountFromTheMenu: a lead asks for a count of two locations; a
// counter claims it from the menu, counts blind (no expected quantity on
// screen), and the hub gets both locations' counts.
func TestCountFromTheMenu(t *testing.T) {
	r := newRig(t)
	locs := []string{r.site.Locations[0].Code, r.site.Locations[1].Code}
	made, err := r.asLead().CreateCounts(context.Background(), api.CreateCountsRequest{UserID: "u1003", By: domain.CountByLocations, Locations: locs})
	require.NoError(t, err)
	require.Len(t, made.Tasks, 1)

	s := inventorySession(r)
	send(t, s, text("U1001"))
	v := send(t, s, text("4"))
	require.Equal(t, session.ModeCount, v.Mode, "%+v", v.Prompt.Problem)
	for loc := 0; loc < 2; loc++ {
		v = send(t, s, text(v.Prompt.Scan)) // the location
		for i := 0; i < 3; i++ {
			v = send(t, s, text(v.Prompt.Scan)) // an item
		}
		require.Contains(t, v.Prompt.Fields, flow.Field{Label: "Counted", Value: "3"})
		v = send(t, s, flow.ActionInput(flow.ActSubmit, time.Now()))
	}
	require.Equal(t, "COUNT DONE", v.Prompt.Title)
	v = send(t, s, text(""))
	assert.Equal(t, session.ModeMenu, v.Mode)
	assert.Equal(t, "Count "+made.Tasks[0].ID+" sent.", v.Prompt.Ask)

	require.True(t, eventually(func() bool {
		ct, err := r.hub.Store().CountTask(t.Context(), made.Tasks[0].ID)
		return err == nil && len(ct.Counted) == 2
	}), "both counts reached the hub")
}

// TestReturnFromTheMenu receives a demo RMA by the hints; the hub records
// the receipt.
func TestReturnFromTheMenu(t *testing.T) {
	r := newRig(t)
	s := inventorySession(r)
	send(t, s, text("U1002"))
	v := send(t, s, text("5"))
	require.Equal(t, session.ModeReturn, v.Mode, "%+v", v.Prompt.Problem)
	rma := v.Prompt.Scan
	v = follow(t, s, func(v session.View) bool {
		return v.Prompt.Title == "SENT "+rma || len(v.Prompt.Actions) > 0 && v.Prompt.Actions[0] == flow.ActSubmit && v.Prompt.Scan == ""
	})
	if v.Prompt.Title != "SENT "+rma {
		v = send(t, s, flow.ActionInput(flow.ActSubmit, time.Now()))
	}
	require.Equal(t, "SENT "+rma, v.Prompt.Title, "%+v", v.Prompt)
	v = send(t, s, text(""))
	assert.Equal(t, session.ModeMenu, v.Mode)
	require.True(t, eventually(func() bool {
		d, err := r.hub.Store().Return(t.Context(), rma)
		return err == nil && d.Receipt != nil
	}), "the receipt reached the hub")
}

// TestLeadMakesACount: a lead asks for a location to be counted from the
// count figures screen; an operator cannot see that screen.
func TestLeadMakesACount(t *testing.T) {
	r := newRig(t)
	s := session.New(r.ctx, session.Config{Rules: r.rules, Log: r.log, Inventory: r.dev.Client, Lead: session.LeadClient(r.dev.Client), Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)
	send(t, s, text("U1001"))
	v := send(t, s, text("9"))
	require.NotNil(t, v.Prompt.Problem, "an operator has no lead screens")
	send(t, s, text(""))
	send(t, s, text("0"))

	send(t, s, text("U1003"))
	v = send(t, s, text("9"))
	require.Equal(t, session.ModePIN, v.Mode, "a lead screen asks for the PIN first")
	v = send(t, s, text(demoLeadPIN))
	require.Equal(t, session.ModeKPIs, v.Mode, "%+v", v.Prompt.Problem)
	assert.Contains(t, v.Prompt.Menu, "1 Count a location")
	send(t, s, text("1"))
	v = send(t, s, text("B-01-01"))
	assert.Contains(t, v.Prompt.Ask, "made for B-01-01")
	tasks, err := r.hub.Store().CountTasks(t.Context())
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, []string{"B-01-01"}, tasks[0].Locations)
}
