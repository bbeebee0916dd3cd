package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/session"
)

// TestRecoveredStoreShownAtLogin: the wiring's account of a replaced store
// is the first screen, and the session waits for it to be acknowledged.
func TestRecoveredStoreShownAtLogin(t *testing.T) {
	r := newRig(t)
	notice := "Store damaged, replaced. Unsent seq 3-7: 3 recovered. LOST: seq 4, 6: redo them."
	s := session.New(r.ctx, session.Config{Rules: r.rules, Log: r.log, Recovered: notice, Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)
	v := s.View()
	assert.Equal(t, session.ModeLogin, v.Mode)
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "STORE RECOVERED", v.Prompt.Problem.Title)
	assert.Equal(t, notice, v.Prompt.Problem.Detail)
	assert.True(t, s.Handle(text("U1001")).Refused, "a badge waits for the acknowledgement")
	v = send(t, s, text(""))
	assert.Nil(t, v.Prompt.Problem)
	v = send(t, s, text("U1001"))
	assert.Equal(t, session.ModeMenu, v.Mode, "%+v", v.Prompt.Problem)
}

// TestRevokedDeviceIsNotEnrolledNotOffline: a device the hub revoked says
// DEVICE NOT ENROLLED at login and on the status line, never OFFLINE.
func TestRevokedDeviceIsNotEnrolledNotOffline(t *testing.T) {
	r := newRig(t)
	s := r.session()
	require.NoError(t, api.NewClient(r.hub.URL(), nil).WithToken(r.site.APIKey).RevokeDevice(context.Background(), "gun-s"))
	v := send(t, s, text("U1001"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "DEVICE NOT ENROLLED", v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, "Ask the lead")
	assert.True(t, v.Status.NotEnrolled)
}
