package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Finding 5: a zero-length hub file is refused with what to do, even with
// --seed demo, and never silently reseeded.
func TestZeroLengthHubFileIsNotReseeded(t *testing.T) {
	backendtest.SkipOnPostgres(t, "a zero-length bbolt file")
	path := filepath.Join(t.TempDir(), "hub.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	var out bytes.Buffer
	code := run(context.Background(), []string{"--listen", "127.0.0.1:0", "--db", path, "--seed", "demo"}, &out)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "empty (0 bytes)")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "not reseeded")

	out.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{"db", "check", "--db", path}, &out))
	assert.Contains(t, out.String(), "empty (0 bytes)")
}

// `orderhub db check` passes a sound file.
func TestDBCheck(t *testing.T) {
	backendtest.SkipOnPostgres(t, "orderhub db check reads a bbolt file")
	path := filepath.Join(t.TempDir(), "hub.db")
	_, stop, _ := start(t, "--db", path, "--seed", "demo")
	require.Equal(t, 0, stop())
	var out bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"db", "check", "--db", path}, &out), out.String())
	assert.Contains(t, out.String(), "ok")
	assert.Equal(t, 2, run(context.Background(), []string{"db", "nothing"}, &out))
}
