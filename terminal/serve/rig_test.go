package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/internal/vtscreen"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// testPassword is gun-02's password in the tests.
const testPassword = "correct horse"

// rig is an edge server on loopback against the demo hub: gun-01 signs in
// with a key, gun-02 with a password, gun-03 over telnet.
type rig struct {
	t       *testing.T
	srv     *Server
	hub     *demo.Hub
	dir     string
	keyFile string
	signer  gossh.Signer
	sshAddr string
	telnet  string
	logFile string
	close   func() // stops the server then the hub; once
}

func newRig(t *testing.T, tweak func(*Config)) *rig {
	t.Helper()
	site, err := demodata.Site()
	require.NoError(t, err)
	rules, err := demodata.Rules()
	require.NoError(t, err)
	dir := t.TempDir()
	logFile := filepath.Join(dir, "serve.log")
	lf, err := os.Create(logFile)
	require.NoError(t, err)
	t.Cleanup(func() { lf.Close() })
	log := slog.New(slog.NewTextHandler(lf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hub, err := demo.StartHub(filepath.Join(dir, "hub.db"), site, log.With("part", "hub"))
	require.NoError(t, err)

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	block, err := gossh.MarshalPrivateKey(priv, "test gun")
	require.NoError(t, err)
	keyFile := filepath.Join(dir, "gun_key")
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600))
	signer, err := gossh.NewSignerFromKey(priv)
	require.NoError(t, err)
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	require.NoError(t, err)

	cfg := Config{Dir: filepath.Join(dir, "serve"), Hub: hub.URL(), EnrollKey: site.EnrollKey, Rules: rules, Demo: true, DemoBadge: "U1001",
		Sender: sender.SenderConfig{Backoff: sender.Backoff{Base: 20 * time.Millisecond, Max: 200 * time.Millisecond}, Probe: 100 * time.Millisecond},
		// Keys injected by a test can be spaced by seconds under the race
		// detector: every scan here is one write ending in Enter, which decides.
		Wedge: scanner.WedgeConfig{MaxKeyGap: scanner.Duration(time.Hour)},
		Tick:  20 * time.Millisecond, Log: log,
		Profiles: map[string]KeyProfile{"sap": {"CSI 35~": "F5"}},
		Guns: []Gun{
			{Device: "gun-01", AuthorizedKeys: []string{string(gossh.MarshalAuthorizedKey(signer.PublicKey()))}, Profile: "sap"},
			{Device: "gun-02", PasswordHash: string(hash), AuthorizedKeys: []string{string(gossh.MarshalAuthorizedKey(signer.PublicKey()))}},
			{Device: "gun-03", Telnet: true, Profile: "sap"},
		}}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(context.Background(), cfg)
	require.NoError(t, err)
	r := &rig{t: t, srv: srv, hub: hub, dir: dir, keyFile: keyFile, signer: signer, logFile: logFile}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, srv.ServeSSH(ln))
	r.sshAddr = ln.Addr().String()
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv.ServeTelnet(tl)
	r.telnet = tl.Addr().String()
	srv.bg.Add(1)
	go srv.reap()
	r.close = sync.OnceFunc(func() {
		require.NoError(t, srv.Close())
		require.NoError(t, hub.Shutdown(context.Background()))
	})
	t.Cleanup(r.close)
	return r
}

// session is the status row of a device, or false.
func (r *rig) session(device string) (SessionInfo, bool) {
	for _, s := range r.srv.Sessions() {
		if s.Device == device {
			return s, true
		}
	}
	return SessionInfo{}, false
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not a wait for an event
	}
	return cond()
}

// client is a terminal someone reads: the real OpenSSH client in a
// pseudo-terminal, or a raw telnet socket, its output on a screen model.
type client struct {
	t      *testing.T
	w      io.Writer
	cmd    *exec.Cmd
	closer io.Closer
	mu     sync.Mutex
	screen *vtscreen.Screen
	raw    strings.Builder // everything received, for failure messages
	done   chan struct{}   // the output ended
}

// sshClient starts `ssh` for device in a pty of cols×rows with TERM term.
func (r *rig) sshClient(device string, cols, rows int, term string, extra ...string) *client {
	r.t.Helper()
	host, port, _ := net.SplitHostPort(r.sshAddr)
	args := append([]string{"-tt", "-p", port, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-o", "ServerAliveInterval=0", "-F", "/dev/null"}, extra...)
	args = append(args, device+"@"+host)
	cmd := exec.Command("ssh", args...)
	cmd.Env = append(os.Environ(), "TERM="+term)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	require.NoError(r.t, err)
	c := &client{t: r.t, w: f, cmd: cmd, closer: f, screen: vtscreen.New(cols, rows), done: make(chan struct{})}
	go c.read(f)
	r.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	})
	return c
}

// keyClient is ssh signing in with the rig's key.
func (r *rig) keyClient(device string, cols, rows int, term string) *client {
	return r.sshClient(device, cols, rows, term, "-i", r.keyFile, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "PreferredAuthentications=publickey")
}

func (c *client) read(r io.Reader) {
	defer close(c.done)
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		c.mu.Lock()
		c.screen.Write(buf[:n])
		c.raw.Write(buf[:n])
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// text is what the screen shows now.
func (c *client) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.screen.Text()
}

// received is everything received so far.
func (c *client) received() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.raw.String()
}

// expect waits for the screen to show every one of want.
func (c *client) expect(want ...string) string {
	c.t.Helper()
	var text string
	ok := waitFor(15*time.Second, func() bool {
		text = c.text()
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
	require.True(c.t, ok, "screen never showed %q; it shows:\n%s", want, text)
	return text
}

// send writes keys in one write: a scan when it is 4+ characters ending in CR.
func (c *client) send(keys string) {
	c.t.Helper()
	_, err := io.WriteString(c.w, keys)
	require.NoError(c.t, err)
}

var tryLine = regexp.MustCompile(`Try (\S+)`)

// hint is the barcode the demo's Try line offers now.
func (c *client) hint() string {
	c.t.Helper()
	m := tryLine.FindStringSubmatch(c.expect("Try "))
	require.NotNil(c.t, m)
	return m[1]
}

// scanHint scans the barcode the Try line offers and waits for the screen
// to change.
func (c *client) scanHint() {
	c.t.Helper()
	before := c.text()
	c.send(c.hint() + "\r")
	require.True(c.t, waitFor(15*time.Second, func() bool { return c.text() != before }), "no change after a scan:\n%s", before)
}

// kill ends the ssh client with SIGKILL, as a gun dropping off the network.
func (c *client) kill() {
	require.NoError(c.t, c.cmd.Process.Signal(syscall.SIGKILL))
	_ = c.cmd.Wait()
}

// fds counts this process's open file descriptors.
func fds(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

// itoa is strconv.Itoa, short.
func itoa(n int) string { return strconv.Itoa(n) }
