package printer_test

import (
	"bytes"
	"errors"
	"net"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl/printer"
)

// rawPrinter answers every command on a loopback port with answer(), until
// the client hangs up.
func rawPrinter(t *testing.T, answer func(net.Conn)) *printer.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 16)
				if _, err := c.Read(buf); err != nil {
					return
				}
				answer(c)
			}()
		}
	}()
	c := printer.New(ln.Addr().String())
	c.StatusTimeout = 10 * time.Second // the cap, not the clock, must end the read
	return c
}

// Finding 7: a printer (or anything on port 9100) that streams bytes is a
// bad reply once its answer passes the cap; the client does not read on.
func TestPrinterAnswersAreCapped(t *testing.T) {
	for name, answer := range map[string][]byte{
		"no ETX ever":       bytes.Repeat([]byte("A"), 1024), // sent again and again
		"one 64 KiB string": append(append([]byte("\x02"), bytes.Repeat([]byte("9"), 64<<10)...), "\x03\r\n"...),
	} {
		c := rawPrinter(t, func(nc net.Conn) {
			for {
				if _, err := nc.Write(answer); err != nil {
					return
				}
			}
		})
		start := time.Now()
		_, err := c.Info(t.Context())
		require.ErrorIs(t, err, printer.ErrBadReply, name)
		assert.Contains(t, err.Error(), "over")
		_, err = c.Status(t.Context())
		require.ErrorIs(t, err, printer.ErrBadReply, name)
		assert.Less(t, time.Since(start), 5*time.Second, "%s: the cap ends the read, not the timeout", name)
	}
}

// Finding 10: control sequences in what a printer says about itself are
// stripped before anyone prints them.
func TestPrinterInfoHasNoControlCharacters(t *testing.T) {
	c := rawPrinter(t, func(nc net.Conn) {
		_, _ = nc.Write([]byte("\x02ZT410\x1b[2J\x1b]0;owned\x07,V75.19\x1b[31m,8,4096KB\x03\r\n"))
	})
	i, err := c.Info(t.Context())
	require.NoError(t, err)
	for _, s := range []string{i.Model, i.Firmware, i.Memory} {
		for _, r := range s {
			assert.False(t, unicode.IsControl(r), "control %U in %q", r, s)
		}
	}
	assert.Equal(t, "ZT410[2J]0;owned", i.Model)
	assert.Equal(t, 8, i.DotsPerMM)
}

// FuzzParseHostInfo: whatever a printer answers to ~HI, parsing never
// panics, and what it returns holds no control character.
func FuzzParseHostInfo(f *testing.F) {
	f.Add([]byte("\x02ZT410-203dpi,V75.19.15Z,8,4096KB\x03\r\n"))
	f.Add([]byte("\x02a\x1b[31m,b,12,c,opt1,opt2\x03"))
	f.Add([]byte("\x02,,,\x03"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		i, err := printer.ParseHostInfo(b)
		if err != nil {
			if !errors.Is(err, printer.ErrBadReply) {
				t.Fatalf("error %v is not ErrBadReply", err)
			}
			return
		}
		for _, s := range append([]string{i.Model, i.Firmware, i.Memory}, i.Options...) {
			for _, r := range s {
				if unicode.IsControl(r) {
					t.Fatalf("control %U in %q", r, s)
				}
			}
		}
	})
}
