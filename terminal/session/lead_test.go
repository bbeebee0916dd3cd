package session_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
)

// demoLeadPIN is the demo lead's (U1003, Grace) PIN, in demodata/site.json.
const demoLeadPIN = "4242"

// asLead is the rig's hub client with a lead session of the demo lead, for
// tests that set work up as a lead would.
func (r *rig) asLead() *api.Client {
	r.t.Helper()
	ls, err := r.dev.Client.LeadLogin(context.Background(), "U1003", demoLeadPIN)
	require.NoError(r.t, err)
	return r.dev.Client.WithLeadSession(ls.Token)
}

func leadSession(r *rig) *session.Session {
	return session.New(r.ctx, session.Config{Rules: r.rules, Log: r.log, Inventory: r.dev.Client, Lead: session.LeadClient(r.dev.Client), Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)
}

// TestLeadScreensAskForThePIN: every lead row of the registry asks for the
// PIN, masked, before its screen; a wrong PIN is refused clearly; the lead
// session then serves every lead screen until the lead logs out; the PIN is
// never logged.
func TestLeadScreensAskForThePIN(t *testing.T) {
	r := newRig(t)
	s := leadSession(r)
	send(t, s, text("U1003"))
	var leadKeys []string
	for _, row := range session.Rows() {
		if row.Role != "" {
			leadKeys = append(leadKeys, row.Key)
		}
	}
	require.Len(t, leadKeys, 3, "approvals, count figures and floor figures")

	v := send(t, s, text(leadKeys[0]))
	require.Equal(t, session.ModePIN, v.Mode)
	assert.True(t, v.Secret, "the PIN is masked")
	assert.Equal(t, "LEAD PIN", v.Prompt.Title)
	v = send(t, s, text("9731"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "WRONG PIN", v.Prompt.Problem.Title)
	v = send(t, s, text(""))
	require.Equal(t, session.ModePIN, v.Mode, "the prompt stays for another try")
	v = send(t, s, text(demoLeadPIN))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	assert.Equal(t, session.ModeApprovals, v.Mode)

	// The other lead screen: the lead session serves it without the PIN.
	send(t, s, flow.ActionInput(flow.ActBack, time.Now()))
	v = send(t, s, text(leadKeys[1]))
	assert.Equal(t, session.ModeKPIs, v.Mode, "%+v", v.Prompt.Problem)
	send(t, s, flow.ActionInput(flow.ActBack, time.Now()))

	// Logged out, the lead session is gone: the PIN again.
	send(t, s, text(session.KeyLogout))
	send(t, s, text("U1003"))
	v = send(t, s, text(leadKeys[1]))
	assert.Equal(t, session.ModePIN, v.Mode)
	v = send(t, s, flow.ActionInput(flow.ActBack, time.Now()))
	assert.Equal(t, session.ModeMenu, v.Mode, "back from the PIN prompt to the menu")

	raw, err := os.ReadFile(filepath.Join(r.dir, "test.log"))
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "9731", "a PIN is never logged")
	assert.NotContains(t, string(raw), demoLeadPIN, "a PIN is never logged")
}

// TestLeadPINRateLimited: after the hub's allowance of wrong PINs, the
// terminal says when to try again, and the right PIN waits for it too.
func TestLeadPINRateLimited(t *testing.T) {
	r := newRig(t)
	s := leadSession(r)
	send(t, s, text("U1003"))
	send(t, s, text("9"))
	var v session.View
	for i := 0; i < 10; i++ {
		v = send(t, s, text("0000"))
		require.NotNil(t, v.Prompt.Problem)
		if v.Prompt.Problem.Title != "WRONG PIN" {
			break
		}
		send(t, s, text(""))
	}
	assert.Equal(t, "TOO MANY TRIES", v.Prompt.Problem.Title)
	assert.Regexp(t, `Try again in \d+ (s|min)\.`, v.Prompt.Problem.Detail)
	send(t, s, text(""))
	v = send(t, s, text(demoLeadPIN))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "TOO MANY TRIES", v.Prompt.Problem.Title)
}

// TestLeadSessionExpires: once the lead session ends (the terminal's clock
// past its end), the next lead screen asks for the PIN again.
func TestLeadSessionExpires(t *testing.T) {
	r := newRig(t)
	var offset time.Duration
	now := func() time.Time { return time.Now().Add(offset) }
	s := session.New(r.ctx, session.Config{Rules: r.rules, Log: r.log, Now: now, Lead: session.LeadClient(r.dev.Client), Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)
	send(t, s, text("U1003"))
	send(t, s, text("9"))
	v := send(t, s, text(demoLeadPIN))
	require.Equal(t, session.ModeKPIs, v.Mode, "%+v", v.Prompt.Problem)
	send(t, s, flow.ActionInput(flow.ActBack, time.Now()))
	offset = 9 * time.Hour // lead sessions last 8 h
	v = send(t, s, text("9"))
	assert.Equal(t, session.ModePIN, v.Mode)
}
