package serve

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/vtscreen"
	"github.com/rfterm/rfterm/terminal/telnet"
)

// telnetClient connects a raw socket that speaks the negotiation as a TE
// client does: it agrees to TERMINAL-TYPE and NAWS and sends VT220 and its
// window size.
func (r *rig) telnetClient(cols, rows int) (*client, net.Conn) {
	r.t.Helper()
	nc, err := net.Dial("tcp", r.telnet)
	require.NoError(r.t, err)
	c := &client{t: r.t, w: nc, closer: nc, screen: vtscreen.New(cols, rows), done: make(chan struct{})}
	r.t.Cleanup(func() { nc.Close() })
	pr, pw := net.Pipe()
	go c.read(pr)
	go func() { // the client's telnet layer: answer, and pass the data on
		defer pw.Close()
		var d telnet.Decoder
		buf := make([]byte, 4096)
		for {
			n, err := nc.Read(buf)
			data, cmds := d.Decode(buf[:n], nil)
			for _, cmd := range cmds {
				switch {
				case cmd.Verb == telnet.DO && cmd.Option == telnet.OptTermType:
					nc.Write([]byte{telnet.IAC, telnet.WILL, telnet.OptTermType})
				case cmd.Verb == telnet.DO && cmd.Option == telnet.OptNAWS:
					nc.Write([]byte{telnet.IAC, telnet.WILL, telnet.OptNAWS, telnet.IAC, telnet.SB, telnet.OptNAWS, 0, byte(cols), 0, byte(rows), telnet.IAC, telnet.SE})
				case cmd.Verb == telnet.SB && cmd.Option == telnet.OptTermType:
					nc.Write(append(append([]byte{telnet.IAC, telnet.SB, telnet.OptTermType, telnet.TermTypeIS}, "VT220"...), telnet.IAC, telnet.SE))
				}
			}
			if len(data) > 0 {
				if _, werr := pw.Write(data); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return c, nc
}

// TestTelnetAt40x8: a TE client over telnet at 40×8 keys its device id,
// logs in and picks; its model's F5 (CSI 35~, which tcell does not decode),
// split across two packets, skips the line.
func TestTelnetAt40x8(t *testing.T) {
	r := newRig(t, nil)
	c, _ := r.telnetClient(40, 8)
	require.True(t, waitFor(10*time.Second, func() bool { return strings.Contains(c.received(), "Device id: ") }), c.received())
	c.send("gun-03\r\n")
	c.expect("RFTERM LOGIN")
	s, ok := r.session("gun-03")
	require.True(t, ok)
	assert.Equal(t, "telnet", s.Via)
	for _, row := range strings.Split(c.text(), "\n") {
		assert.LessOrEqual(t, len([]rune(row)), 40)
	}
	c.send("U1002\r\x00")
	c.expect("1 Pick")
	c.send("1\r\x00")
	c.expect("Scan tote")
	c.scanHint()
	c.expect("Scan location")
	loc := c.hint()
	c.send("\x1b[3") // two packets, as over Wi-Fi
	c.send("5~")
	require.True(t, waitFor(10*time.Second, func() bool { return !strings.Contains(c.text(), "Try "+loc) }),
		"F5 as CSI 35~ did not skip the line at %s:\n%s", loc, c.text())
	c.expect("Scan location")
	s, _ = r.session("gun-03")
	assert.Equal(t, "location", s.Step)
}

// TestHostedDockGun: a hosted gun of a dock (serve's Dock) offers Stage and
// Load, and Load asks for the door from the hub's dock list.
func TestHostedDockGun(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Dock = true })
	c, _ := r.telnetClient(80, 24)
	require.True(t, waitFor(10*time.Second, func() bool { return strings.Contains(c.received(), "Device id: ") }), c.received())
	c.send("gun-03\r\n")
	c.expect("RFTERM LOGIN")
	c.send("U1002\r\x00")
	c.expect("11 Load")
	c.send("11\r\x00")
	c.expect("Scan door or load")
	c.expect("Try DOOR-01")
}

// TestTelnetRefusesUnknownDevices: a device id not configured for telnet
// is told so and closed.
func TestTelnetRefusesUnknownDevices(t *testing.T) {
	r := newRig(t, nil)
	c, _ := r.telnetClient(40, 8)
	require.True(t, waitFor(10*time.Second, func() bool { return strings.Contains(c.received(), "Device id: ") }))
	c.send("gun-01\r\n") // an SSH-only gun
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		t.Fatal("not closed")
	}
	assert.Contains(t, c.received(), "may not sign in")
	_, ok := r.session("gun-01")
	assert.False(t, ok)
}
