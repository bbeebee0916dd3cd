package unitfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	u, err := Parse(strings.NewReader(`# a comment
[Unit]
Description = the hub
; another comment

[Service]
ExecStart=/usr/local/bin/orderhub --listen :8443 \
  --db /var/lib/orderhub/hub.db
LoadCredential=a:/etc/a
LoadCredential=b:/etc/b
Restart=always
Restart=on-failure
`))
	require.NoError(t, err)
	assert.Equal(t, "the hub", u.Get("Unit", "Description"))
	assert.Equal(t, "/usr/local/bin/orderhub --listen :8443  --db /var/lib/orderhub/hub.db", u.Get("Service", "ExecStart"))
	assert.Equal(t, []string{"a:/etc/a", "b:/etc/b"}, u["Service"]["LoadCredential"])
	assert.Equal(t, "on-failure", u.Get("Service", "Restart"), "the last assignment wins")
	assert.Equal(t, "", u.Get("Service", "User"))
	assert.Equal(t, "", u.Get("Install", "WantedBy"))

	words, err := Words(u.Get("Service", "ExecStart"))
	require.NoError(t, err)
	assert.Equal(t, []string{"/usr/local/bin/orderhub", "--listen", ":8443", "--db", "/var/lib/orderhub/hub.db"}, words)
	_, err = Words(`/bin/sh -c "echo hi"`)
	assert.Error(t, err)
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{
		"Key=value before any section\n",
		"[Service\nKey=value\n",
		"[Service]\nno equals sign\n",
		"[Service]\nExecStart=/bin/true \\\n",
	} {
		_, err := Parse(strings.NewReader(bad))
		assert.Error(t, err, "%q", bad)
	}
}

// TestVerify: systemd's own checks catch what the parser lets through: a
// misspelt key, a bad value, and a service that is not sandboxed enough.
func TestVerify(t *testing.T) {
	const tight = `[Service]
ExecStart=/usr/local/bin/prog --flag
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateNetwork=yes
PrivateUsers=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
ProcSubset=pid
RestrictAddressFamilies=none
RestrictNamespaces=yes
RestrictRealtime=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
CapabilityBoundingSet=
IPAddressDeny=any
DevicePolicy=closed
UMask=0077
`
	cases := []struct {
		name, unit string
		ok         bool
		complaint  string
	}{
		{"sandboxed", tight, true, ""},
		{"a misspelt key", tight + "ProtectSytem=full\n", false, "ProtectSytem"},
		{"a bad value", tight + "Restart=sometimes\n", false, "sometimes"},
		{"not sandboxed", "[Service]\nExecStart=/usr/local/bin/prog\n", false, "exposure over 2.5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			unit := filepath.Join(dir, "prog.service")
			require.NoError(t, os.WriteFile(unit, []byte(tc.unit), 0o644))
			err := Verify(filepath.Join(dir, "root"), []string{unit}, []string{"prog.service"}, 25)
			if errors.Is(err, ErrNoSystemdAnalyze) {
				t.Skip(err)
			}
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.complaint)
		})
	}
}

// TestUsers: a sysusers.d file makes its users and memberships; a broken
// one is refused.
func TestUsers(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.conf")
	require.NoError(t, os.WriteFile(good, []byte("u svc - \"a service\" /var/lib/svc\nm svc dialout\n"), 0o644))
	passwd, group, err := Users(filepath.Join(dir, "a"), good)
	if errors.Is(err, ErrNoSysusers) {
		t.Skip(err)
	}
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^svc:x:\d+:\d+:a service:/var/lib/svc:`, passwd)
	assert.Regexp(t, `(?m)^dialout:x:\d+:svc$`, group)

	bad := filepath.Join(dir, "bad.conf")
	require.NoError(t, os.WriteFile(bad, []byte("u svc user\n"), 0o644))
	_, _, err = Users(filepath.Join(dir, "b"), bad)
	assert.Error(t, err)
}
