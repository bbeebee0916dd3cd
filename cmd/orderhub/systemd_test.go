package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/unitfile"
)

const unitDir = "../../deploy/systemd"

// TestSystemdUnit: deploy/systemd/orderhub.service starts the hub with flags
// it takes, serving HTTPS (it listens off loopback) with the certificate
// and key the unit loads as credentials, on a database in its state
// directory, the one directory its sandbox lets it write; it runs as its
// own user, which rfterm.sysusers creates.
func TestSystemdUnit(t *testing.T) {
	u, err := unitfile.Read(filepath.Join(unitDir, "orderhub.service"))
	require.NoError(t, err)
	svc := func(key string) string { return u.Get("Service", key) }
	words, err := unitfile.Words(svc("ExecStart"))
	require.NoError(t, err)
	require.Equal(t, "/usr/local/bin/orderhub", words[0])

	creds := t.TempDir() // $CREDENTIALS_DIRECTORY
	var args []string
	for _, w := range words[1:] {
		args = append(args, strings.ReplaceAll(w, "${CREDENTIALS_DIRECTORY}", creds))
	}
	var stderr bytes.Buffer
	cfg, err := parseFlags(args, &stderr)
	require.NoError(t, err, "the unit's flags: %s", stderr.String())

	loaded := map[string]bool{} // credential names LoadCredential= provides
	for _, c := range u["Service"]["LoadCredential"] {
		name, _, _ := strings.Cut(c, ":")
		loaded[name] = true
	}
	for _, file := range []string{cfg.tlsCert, cfg.tlsKey} {
		require.NotEmpty(t, file, "the hub serves HTTPS")
		assert.Equal(t, creds, filepath.Dir(file), "%s is a credential", file)
		assert.True(t, loaded[filepath.Base(file)], "LoadCredential= provides %s", filepath.Base(file))
	}
	plain := slices.DeleteFunc(slices.Clone(args), func(a string) bool { return strings.HasPrefix(a, "--tls-") || strings.HasPrefix(a, creds) })
	_, err = parseFlags(plain, &stderr)
	require.Error(t, err, "without TLS the unit's listen address is refused")
	assert.Contains(t, err.Error(), "off loopback")

	stateDir := "/var/lib/" + svc("StateDirectory")
	assert.Equal(t, stateDir, filepath.Dir(cfg.db), "the database is in the state directory")
	assert.Contains(t, strings.Fields(svc("ReadWritePaths")), stateDir)
	for key, want := range map[string]string{
		"User": "orderhub", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
		"PrivateTmp": "yes", "Restart": "on-failure",
	} {
		assert.Equal(t, want, svc(key), key)
	}
	passwd, _, err := unitfile.Users(t.TempDir(), filepath.Join(unitDir, "rfterm.sysusers"))
	if !errors.Is(err, unitfile.ErrNoSysusers) {
		require.NoError(t, err)
		assert.Regexp(t, `(?m)^orderhub:x:\d+:\d+:[^:]*:/var/lib/orderhub:/usr/sbin/nologin$`, passwd)
	}

	err = unitfile.Verify(t.TempDir(), []string{filepath.Join(unitDir, "orderhub.service")}, []string{"orderhub.service"}, 20)
	if errors.Is(err, unitfile.ErrNoSystemdAnalyze) {
		t.Skip(err)
	}
	assert.NoError(t, err)
}
