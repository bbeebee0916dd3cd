package serve

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rfterm/rfterm/internal/vtscreen"
)

// TestResizeRelays: the client's window goes from 80×24 to 20×16, then
// 40×8; each time the server re-lays the whole screen at the new size.
func TestResizeRelays(t *testing.T) {
	r := newRig(t, nil)
	c := r.keyClient("gun-01", 80, 24, "vt220")
	c.expect("RFTERM LOGIN")
	c.send("U1001\r")
	wide := c.expect("MENU", "1 Pick", "Ana Ruiz")
	f := c.w.(*os.File)
	for _, size := range []struct{ cols, rows int }{{20, 16}, {40, 8}} {
		c.mu.Lock()
		c.screen = vtscreen.New(size.cols, size.rows) // a blank glass: what shows now was drawn after the resize
		c.mu.Unlock()
		require.NoError(t, pty.Setsize(f, &pty.Winsize{Cols: uint16(size.cols), Rows: uint16(size.rows)}))
		text := c.expect("MENU", "1 Pick", "ONLINE") // the whole screen, down to the status line
		assert.NotEqual(t, wide, text)
		rows := strings.Split(text, "\n")
		assert.Len(t, rows, size.rows)
		assert.Contains(t, rows[len(rows)-1], "ONLINE", "the status line is the last row at %dx%d", size.cols, size.rows)
	}
}

// TestIdleAndKeep: a user idle past the limit is logged out (the work
// stays saved); a session detached past the keep time is ended, and the
// next connection starts at the login.
func TestIdleAndKeep(t *testing.T) {
	// Idle long enough that a loaded machine shows the menu before it ends.
	r := newRig(t, func(c *Config) { c.Idle = 2 * time.Second; c.Keep = 300 * time.Millisecond })
	c := r.keyClient("gun-01", 80, 24, "vt220")
	c.expect("RFTERM LOGIN")
	c.send("U1001\r")
	c.expect("1 Pick")
	c.expect("LOGGED OUT", "No key for")
	s, _ := r.session("gun-01")
	assert.Empty(t, s.User)
	c.kill()
	require.True(t, waitFor(10*time.Second, func() bool { _, ok := r.session("gun-01"); return !ok }), "the detached session was never ended")
	log, err := os.ReadFile(r.logFile)
	require.NoError(t, err)
	assert.Contains(t, string(log), "serve: idle logout")
	assert.Contains(t, string(log), "serve: session ended")
}

// TestStatusListing: the status endpoint lists each gun's session.
func TestStatusListing(t *testing.T) {
	r := newRig(t, nil)
	c := r.keyClient("gun-01", 80, 24, "vt220")
	c.expect("RFTERM LOGIN")
	c.send("U1001\r")
	c.expect("1 Pick")
	rec := httptest.NewRecorder()
	r.srv.StatusHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/sessions", nil))
	body := rec.Body.String()
	assert.Contains(t, body, "DEVICE")
	assert.Regexp(t, `gun-01\s+Ana Ruiz\s+menu\s+\S+\s+connected ssh 127\.0\.0\.1`, body)
}

// TestConnectDropCycles: 200 connections that sign in, see the screen and
// drop leave no goroutine and no file descriptor behind.
func TestConnectDropCycles(t *testing.T) {
	leakCheck := goleak.IgnoreCurrent()
	r := newRig(t, nil)
	cfg := &gossh.ClientConfig{User: "gun-01", Auth: []gossh.AuthMethod{gossh.PublicKeys(r.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
	cycle := func() {
		t.Helper()
		cl, err := gossh.Dial("tcp", r.sshAddr, cfg)
		require.NoError(t, err)
		defer cl.Close()
		sess, err := cl.NewSession()
		require.NoError(t, err)
		require.NoError(t, sess.RequestPty("vt100", 16, 20, gossh.TerminalModes{}))
		out, err := sess.StdoutPipe()
		require.NoError(t, err)
		// Keep stdin open: with none the client sends EOF at once, and the
		// server rightly ends the session, maybe before its first screen.
		in, err := sess.StdinPipe()
		require.NoError(t, err)
		defer in.Close()
		require.NoError(t, sess.Shell())
		// Read as the gun's screen shows it: only cells that change are
		// sent, so the bytes alone need not hold the words.
		scr := vtscreen.New(20, 16)
		buf := make([]byte, 1024)
		for !strings.Contains(scr.Text(), "RFTERM LOGIN") {
			n, err := out.Read(buf)
			scr.Write(buf[:n])
			if err == io.EOF {
				t.Fatalf("ended before the screen:\n%s", scr.Text())
			}
			require.NoError(t, err)
		}
	}
	detached := func() bool { s, ok := r.session("gun-01"); return ok && !s.Connected }
	cycle() // the gun's store, sender, puller and session exist from here
	require.True(t, waitFor(10*time.Second, detached))
	fd0, g0 := fds(t), runtime.NumGoroutine()
	for range 200 {
		cycle()
	}
	require.True(t, waitFor(10*time.Second, detached))
	if !waitFor(10*time.Second, func() bool { return fds(t) <= fd0+2 && runtime.NumGoroutine() <= g0+4 }) {
		buf := make([]byte, 1<<20)
		t.Fatalf("after 200 cycles: %d fds (were %d), %d goroutines (were %d)\n%s", fds(t), fd0, runtime.NumGoroutine(), g0, buf[:runtime.Stack(buf, true)])
	}
	r.close()
	goleak.VerifyNone(t, leakCheck)
}
