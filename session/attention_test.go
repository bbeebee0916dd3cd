package session_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/flow"
	"github.com/rfterm/rfterm/session"
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

	refused := domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1002", domain.TaskStarted{TaskID: v.TaskID, Tote: "T09999"})
	_, err := r.dev.Store.Commit("", nil, []domain.Draft{refused})
	require.NoError(t, err)
	r.dev.Sender.Kick()

	require.True(t, eventually(func() bool { return s.View().Prompt.Problem != nil }), "the picker is told")
	v = s.View()
	assert.True(t, strings.HasPrefix(v.Prompt.Problem.Title, "Task reassigned: TOTE T"), v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, "Hand the tote to the lead")
	assert.Greater(t, v.Alarms, alarms, "with the error tone")
	assert.Equal(t, 1, v.Status.Attention)

	v = send(t, s, text(""))
	require.Equal(t, session.ModeMenu, v.Mode, "the pick is over")
	assert.Contains(t, v.Prompt.Menu, "1 Pick")
	assert.Contains(t, v.Prompt.Menu, "3 Attention (1)")

	v = send(t, s, text("3"))
	assert.Equal(t, "ATTENTION 1/1", v.Prompt.Title)
	assert.Contains(t, v.Prompt.Fields, flow.Field{Label: "Why", Value: "Task reassigned"})
	v = send(t, s, text("2"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "LEAD ONLY", v.Prompt.Problem.Title)
	send(t, s, text(""))
	send(t, s, flow.ActionInput(flow.ActBack, time.Now()))
	send(t, s, text("9"))

	send(t, s, text("U1003")) // the lead
	send(t, s, text("3"))
	v = send(t, s, text("2"))
	assert.Equal(t, "Nothing needs attention", v.Prompt.Ask)
	assert.True(t, eventually(func() bool { return s.View().Status.Attention == 0 }))
}
