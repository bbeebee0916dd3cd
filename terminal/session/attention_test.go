package session_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
)

// TestRefusedStepInterruptsAndIsListed: the hub refuses a step for the task
// in hand (it is not held by that user: reassigned). The picker is told at
// once, with what to do, and the pick ends; the refusal waits on the
// needs-attention list until a lead marks it dealt with.
func TestRefusedStepInterruptsAndIsListed(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	send(t, s, text(v.Prompt.Scan)) // tote
	v = s.View()
	require.Equal(t, flow.StepLocation, v.Step)
	alarms := v.Alarms

	// The hub gives the task to someone else once it has the tote; the
	// picker's next step is refused.
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }))
	_, err := r.hub.Store().ReassignTask(t.Context(), v.TaskID, "u1002")
	require.NoError(t, err)
	refused := domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1001", domain.TaskStarted{TaskID: v.TaskID, Tote: "T09999"})
	_, err = r.dev.Store.Commit("", nil, []domain.Draft{refused})
	require.NoError(t, err)
	r.dev.Sender.Kick()

	require.True(t, eventually(func() bool { return s.View().Prompt.Problem != nil }), "the picker is told")
	v = s.View()
	assert.Equal(t, "TASK REASSIGNED", v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, "Tote T")
	assert.Contains(t, v.Prompt.Problem.Detail, "Hand the tote to the lead")
	assert.Greater(t, v.Alarms, alarms, "with the error tone")
	assert.Equal(t, 1, v.Status.Attention)

	v = send(t, s, text(""))
	require.Equal(t, session.ModeMenu, v.Mode, "the pick is over")
	assert.Contains(t, v.Prompt.Menu, "1 Pick")
	assert.Contains(t, v.Prompt.Menu, "7 Attention (1)")

	v = send(t, s, text("7"))
	assert.Equal(t, "ATTENTION 1/1", v.Prompt.Title)
	assert.Contains(t, v.Prompt.Fields, flow.Field{Label: "Why", Value: "Task reassigned"})
	v = send(t, s, text("2"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "LEAD ONLY", v.Prompt.Problem.Title)
	send(t, s, text(""))
	send(t, s, flow.ActionInput(flow.ActBack, time.Now()))
	send(t, s, text("0"))

	send(t, s, text("U1003")) // the lead
	send(t, s, text("7"))
	v = send(t, s, text("2"))
	assert.Equal(t, "Nothing needs attention", v.Prompt.Ask)
	assert.True(t, eventually(func() bool { return s.View().Status.Attention == 0 }))
}

// TestCancelledOrderStopsThePick: the customer cancels while the picker is
// at it; the change feed brings the news, and the pick stops at once with
// what to do with the tote.
func TestCancelledOrderStopsThePick(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	send(t, s, text(v.Prompt.Scan)) // tote
	v = s.View()
	require.Equal(t, flow.StepLocation, v.Step)
	// The tote's event first: otherwise the hub refuses it for the cancelled
	// order, and the refusal (not the notice) stops the pick.
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }))

	_, err := r.hub.Store().CancelOrder(t.Context(), v.OrderID, "customer called")
	require.NoError(t, err)
	r.dev.Puller.Kick()
	require.True(t, eventually(func() bool { return s.View().Prompt.Problem != nil }), "the picker is told")
	v = s.View()
	assert.Equal(t, "ORDER CANCELLED", v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, "customer called")
	assert.Contains(t, v.Prompt.Problem.Detail, "Tote T")
	assert.Contains(t, v.Prompt.Problem.Detail, "Return the items in the tote")
	v = send(t, s, text(""))
	assert.Equal(t, session.ModeMenu, v.Mode)
	assert.Contains(t, v.Prompt.Menu, "1 Pick", "the cancelled pick is gone")
}

// TestCancelledWhileOffline is the demo's story: the hub goes away, the
// picker picks on, the order is cancelled at the hub meanwhile; when the hub
// is back the queue drains and the steps for the cancelled order wait on the
// needs-attention list, never retried.
func TestCancelledWhileOffline(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	order := v.OrderID
	send(t, s, text(v.Prompt.Scan)) // tote, delivered
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }))

	require.NoError(t, r.hub.Stop())
	followHints(t, s)
	_, err := r.hub.Store().CancelOrder(t.Context(), order, "customer called")
	require.NoError(t, err)
	queued := s.View().Status.Queued
	require.Greater(t, queued, 1)

	require.NoError(t, r.hub.Start())
	r.dev.Sender.Kick()
	require.True(t, eventually(func() bool { st := s.View().Status; return st.Online && st.Queued == 0 }), "the queue drains")
	require.True(t, eventually(func() bool { return s.View().Prompt.Problem != nil }), "the picker is told")
	v = s.View()
	assert.Equal(t, queued, v.Status.Attention, "every step for the cancelled order is refused and listed")
	assert.Equal(t, "ORDER CANCELLED", v.Prompt.Problem.Title)
	rejected, err := r.dev.Store.Attention()
	require.NoError(t, err)
	for _, rej := range rejected {
		assert.Equal(t, "order_cancelled", rej.Code)
	}
}

// TestCancelledWhileLoggedOut: the order of a saved pick is cancelled while
// its picker is logged out; at the next login the picker is told, and the
// pick is gone.
func TestCancelledWhileLoggedOut(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	order := v.OrderID
	send(t, s, text(v.Prompt.Scan)) // tote
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }))
	send(t, s, flow.ActionInput(session.ActMenu, time.Now()))
	require.Equal(t, session.ModeLogin, send(t, s, text("0")).Mode)

	_, err := r.hub.Store().CancelOrder(t.Context(), order, "customer called")
	require.NoError(t, err)
	_, err = r.dev.Puller.Pull(r.ctx) // the notice waits on the device for its user
	require.NoError(t, err)

	s.Handle(text("U1001"))
	require.True(t, eventually(func() bool { v = s.View(); return v.Mode != session.ModeBusy }), "login never finished")
	require.NotNil(t, v.Prompt.Problem, "the picker is told at login")
	assert.Equal(t, "ORDER CANCELLED", v.Prompt.Problem.Title)
	v = send(t, s, text(""))
	assert.Equal(t, session.ModeMenu, v.Mode)
	assert.NotContains(t, v.Prompt.Menu, "1 Pick "+order)
}
