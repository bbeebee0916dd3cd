package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/vtscreen"
)

// TestSSHPickResumeAndTakeover: the real OpenSSH client in a pty picks; it
// is killed mid-pick (SIGKILL) and a new client for the same gun gets the
// screen back at the same step; a second client for the gun takes the
// session over and the first is closed with a line saying why; the pick is
// then finished and reaches the hub.
func TestSSHPickResumeAndTakeover(t *testing.T) {
	r := newRig(t, nil)
	c := r.keyClient("gun-01", 80, 24, "vt220")
	c.expect("RFTERM LOGIN", "Scan your badge")
	c.send("U1001\r")
	c.expect("MENU", "1 Pick")
	c.send("1\r")
	c.expect("Scan tote")
	c.send(c.hint() + "\r")
	c.expect("Scan location")
	loc := c.hint()
	c.scanHint()
	c.expect("Scan item")
	require.True(t, waitFor(10*time.Second, func() bool { return c.hint() != loc }), "the hint line never moved on to the item")
	c.scanHint()                           // the first unit of the item
	screenBefore := c.expect("Qty   1 of") // the session has taken it
	before, _ := r.session("gun-01")
	require.Equal(t, "qty", before.Step, "mid-pick, at the quantity step")
	title := strings.SplitN(screenBefore, "\n", 2)[0]

	// The gun drops off the network mid-pick.
	c.kill()
	require.True(t, waitFor(10*time.Second, func() bool {
		s, ok := r.session("gun-01")
		return ok && !s.Connected
	}), "the server never saw the client go")

	// It comes back: the same screen, at the same step.
	c2 := r.keyClient("gun-01", 80, 24, "vt220")
	got := c2.expect(title, "Qty   1 of")
	assert.NotContains(t, got, "RFTERM LOGIN")
	after, _ := r.session("gun-01")
	assert.Equal(t, before.Step, after.Step)
	assert.Equal(t, before.User, after.User)
	assert.True(t, after.Connected)

	// A second client for the same gun takes over.
	c4 := r.sshClient("gun-01", 80, 24, "xterm-256color", "-i", r.keyFile, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes")
	c4.expect(title, "Qty   1 of")
	select {
	case <-c2.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the older connection was not closed")
	}
	assert.Contains(t, c2.received(), "taken over by a newer connection")
	require.True(t, waitFor(5*time.Second, func() bool {
		s, _ := r.session("gun-01")
		return s.Connected && s.Step == before.Step
	}))

	// The pick carries on from there and reaches the hub.
	for i := 0; i < 80 && !strings.Contains(c4.text(), "DONE"); i++ {
		c4.scanHint()
	}
	c4.expect("DONE")
	require.True(t, waitFor(10*time.Second, func() bool {
		s, _ := r.session("gun-01")
		return s.Queued == 0 && s.Online
	}), "the gun's outbox never drained to the hub")
}

// TestSSHPassword: a gun signs in with its password, typed at OpenSSH's
// prompt; a wrong one is refused.
func TestSSHPassword(t *testing.T) {
	r := newRig(t, nil)
	bad := r.sshClient("gun-02", 80, 24, "vt100", "-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1", "-o", "PubkeyAuthentication=no")
	require.True(t, waitFor(15*time.Second, func() bool { return strings.Contains(bad.received(), "password:") }), bad.received())
	bad.send("wrong\r")
	select {
	case <-bad.done:
	case <-time.After(15 * time.Second):
		t.Fatal("a wrong password was not refused")
	}
	assert.Contains(t, bad.received(), "Permission denied")

	good := r.sshClient("gun-02", 80, 24, "vt100", "-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1", "-o", "PubkeyAuthentication=no")
	require.True(t, waitFor(15*time.Second, func() bool { return strings.Contains(good.received(), "password:") }), good.received())
	good.send(testPassword + "\r")
	good.expect("RFTERM LOGIN")
}

// TestCtrlLRepaints: only cells that change are sent after a key, so a gun
// whose screen was garbled (a radio dropout mid-frame) needs a way back:
// Ctrl+L sends the whole screen again, and a blank glass shows all of it.
func TestCtrlLRepaints(t *testing.T) {
	r := newRig(t, nil)
	c := r.keyClient("gun-01", 20, 16, "vt220")
	c.expect("RFTERM LOGIN", "Scan your badge", "ONLINE")
	c.mu.Lock()
	c.screen = vtscreen.New(20, 16) // garbled: nothing of what was drawn
	c.mu.Unlock()
	c.send("\x0c")
	text := c.expect("RFTERM LOGIN", "Scan your badge", "ONLINE")
	rows := strings.Split(text, "\n")
	assert.Contains(t, rows[len(rows)-1], "ONLINE", "the status line is drawn again too")
}
