//go:build !windows

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/scanner"
)

// TestConsoleUnitRunsTheTerminal: rfterm@.service's command line, started
// as systemd starts it on a console (StandardInput=tty, TTYPath=/dev/%I):
// in a session of its own with the console, here a pseudo-terminal, as its
// controlling terminal, stdin and stdout, stderr elsewhere (the journal),
// and TERM=linux, which systemd sets on a virtual console. The terminal
// draws its login screen there and takes a badge typed on the console.
func TestConsoleUnitRunsTheTerminal(t *testing.T) {
	u, args := unitCommand(t, "rfterm@.service")
	for key, want := range map[string]string{"StandardInput": "tty", "StandardOutput": "tty", "StandardError": "journal", "TTYPath": "/dev/%I"} {
		require.Equal(t, want, u.Get("Service", key), key)
	}
	h := hubtest.StartDemo(t)
	cfgPath, cfg := writeRunConfig(t, h, scanner.Config{Kind: "wedge"})
	replaced := false
	for i, a := range args {
		if strings.HasPrefix(a, "/etc/rfterm/") {
			args[i], replaced = cfgPath, true
		}
	}
	require.True(t, replaced, "the unit names its configuration in /etc/rfterm: %q", args)

	cmd := exec.Command(os.Args[0], args...)
	var journal ttyOutput
	cmd.Stderr = &journal
	tty, out := startOnTTY(t, cmd, "linux", cfg.Log)
	out.waitScreen(t, []string{"RFTERM LOGIN", "Scan your badge", "ONLINE"})
	_, err := tty.Write([]byte("U1001\r"))
	require.NoError(t, err)
	out.waitScreen(t, []string{"MENU", "1 Pick", "Ana Ruiz"})
	assert.Empty(t, journal.String(), "nothing on stderr")
}
