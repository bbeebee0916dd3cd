package session_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/flow"
)

// TestRefusedScanIsShownBeforeItIsSaved: a wrong scan's problem and its
// acknowledgement move no work, so the session shows them without waiting
// for the disk; the saved pick stays the step the work is at, and the next
// step that moves the work saves the whole state.
func TestRefusedScanIsShownBeforeItIsSaved(t *testing.T) {
	r := newRig(t)
	s := r.session()
	t.Cleanup(s.Close)
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	v = send(t, s, text(v.Prompt.Scan)) // the tote
	loc := v.Prompt.Scan
	saved := func() flow.Pick {
		t.Helper()
		var p flow.Pick
		found, err := r.dev.Store.LoadWork("pick/u1001", &p)
		require.NoError(t, err)
		require.True(t, found)
		return p
	}

	v = send(t, s, text("Z-99-99-9"))
	require.NotNil(t, v.Prompt.Problem, "the wrong location is refused on screen")
	p := saved()
	assert.Nil(t, p.Problem, "the problem is not waited for on disk")
	assert.Equal(t, flow.StepLocation, p.Step)

	v = send(t, s, text("")) // acknowledge
	require.Nil(t, v.Prompt.Problem)
	v = send(t, s, text(loc))
	assert.Equal(t, flow.StepItem, saved().Step, "the step that moved the work is saved")
	assert.Nil(t, saved().Problem)
}
