package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/unitfile"
)

const unitDir = "../../deploy/systemd"

// unitCommand reads a unit in deploy/systemd and returns it with its
// ExecStart's arguments (after the program, which must be rfterm's
// installed path).
func unitCommand(t *testing.T, name string) (unitfile.Unit, []string) {
	t.Helper()
	u, err := unitfile.Read(filepath.Join(unitDir, name))
	require.NoError(t, err)
	words, err := unitfile.Words(u.Get("Service", "ExecStart"))
	require.NoError(t, err)
	require.Equal(t, "/usr/local/bin/rfterm", words[0], name)
	return u, words[1:]
}

// TestSystemdUnits: rfterm-serve.service and rfterm@.service start
// subcommands that exist with flags they take, as the rfterm user (which
// rfterm.sysusers creates), sandboxed, writing only their state and log
// directories; systemd-analyze finds nothing wrong with them.
func TestSystemdUnits(t *testing.T) {
	for _, tc := range []struct{ unit, subcommand string }{
		{"rfterm-serve.service", "serve"},
		{"rfterm@.service", "run"},
	} {
		t.Run(tc.unit, func(t *testing.T) {
			u, args := unitCommand(t, tc.unit)
			require.NotEmpty(t, args)
			assert.Equal(t, tc.subcommand, args[0])
			var help bytes.Buffer
			dispatch(context.Background(), []string{args[0], "-h"}, stdio{in: strings.NewReader(""), out: &help, err: &help})
			for _, a := range args[1:] {
				if name, ok := strings.CutPrefix(a, "--"); ok {
					name, _, _ = strings.Cut(name, "=")
					assert.Regexp(t, `(?m)^  -`+regexp.QuoteMeta(name)+`\b`, help.String(), "rfterm %s has no flag %s", args[0], a)
				}
			}
			svc := func(key string) string { return u.Get("Service", key) }
			assert.Equal(t, "rfterm", svc("User"))
			writable := strings.Fields(svc("ReadWritePaths"))
			assert.Contains(t, writable, "/var/lib/"+svc("StateDirectory"))
			assert.Contains(t, writable, "/var/log/"+svc("LogsDirectory"))
			for key, want := range map[string]string{"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes"} {
				assert.Equal(t, want, svc(key), key)
			}
		})
	}

	// The rfterm user exists, and reads serial devices and input devices
	// (rfterm@.service on a device) through its groups.
	passwd, group, err := unitfile.Users(t.TempDir(), filepath.Join(unitDir, "rfterm.sysusers"))
	if !errors.Is(err, unitfile.ErrNoSysusers) {
		require.NoError(t, err)
		assert.Regexp(t, `(?m)^rfterm:x:\d+:\d+:[^:]*:/var/lib/rfterm:/usr/sbin/nologin$`, passwd)
		assert.Regexp(t, `(?m)^dialout:x:\d+:rfterm$`, group)
		assert.Regexp(t, `(?m)^input:x:\d+:rfterm$`, group)
	}

	err = unitfile.Verify(t.TempDir(),
		[]string{filepath.Join(unitDir, "rfterm-serve.service"), filepath.Join(unitDir, "rfterm@.service")},
		[]string{"rfterm-serve.service", "rfterm@tty1.service"}, 25)
	if errors.Is(err, unitfile.ErrNoSystemdAnalyze) {
		t.Skip(err)
	}
	assert.NoError(t, err)
}
