package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
)

// orderhub backup copies a running hub's bbolt file through the hub, while
// the integration keeps enrolling devices; a hub started from the copy
// serves what the original held when it was taken: the device's token,
// its held task, a cancelled order.
func TestBackupOfARunningHub(t *testing.T) {
	backendtest.SkipOnPostgres(t, "orderhub backup copies a bbolt file")
	dir := t.TempDir()
	db, copyPath := filepath.Join(dir, "hub.db"), filepath.Join(dir, "backup", "hub-copy.db")
	require.NoError(t, os.Mkdir(filepath.Dir(copyPath), 0o700))
	c, stop, logs := start(t, "--db", db, "--seed", "demo")
	ctx := context.Background()
	reg, err := c.Register(ctx, api.RegisterRequest{DeviceID: "gun-1", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	claim, err := c.WithToken(reg.Token).ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	admin := c.WithToken("demo-api-key-not-secret")
	_, err = admin.CancelOrder(ctx, "SO-10002", "customer called")
	require.NoError(t, err)

	// Writers keep going while the copy is taken.
	writing, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	enrolled := 0
	wg.Go(func() {
		for i := 0; writing.Err() == nil; i++ {
			if _, err := admin.Register(ctx, api.RegisterRequest{DeviceID: fmt.Sprintf("gun-w%d", i)}); err != nil {
				t.Errorf("enrol while the backup runs: %v", err)
				return
			}
			enrolled++
		}
	})
	var out bytes.Buffer
	code := run(ctx, []string{"backup", "--db", db, "--out", copyPath}, &out)
	cancel()
	wg.Wait()
	require.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "from the running hub")
	assert.Contains(t, logs.String(), "backup served")
	require.Equal(t, 0, stop())
	t.Logf("%s; %d devices enrolled meanwhile", bytes.TrimSpace(out.Bytes()), enrolled)

	fi, err := os.Stat(copyPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "a backup holds token hashes: its owner's only")
	leftovers, _ := filepath.Glob(copyPath + ".partial-*")
	assert.Empty(t, leftovers)

	// Restore: a hub started from the copy.
	c, stop, _ = start(t, "--db", copyPath)
	again, err := c.WithToken(reg.Token).ClaimTask(ctx, "u1001")
	require.NoError(t, err, "the device's token is in the copy")
	assert.Equal(t, claim.Task.ID, again.Task.ID, "the held task")
	o, err := c.WithToken(reg.Token).Order(ctx, "SO-10002")
	require.NoError(t, err)
	assert.Equal(t, domain.OrderCancelled, o.Status)
	require.Equal(t, 0, stop())
}

// With the hub stopped, backup copies the file itself; the copy replaces
// an older one.
func TestBackupOfAStoppedHub(t *testing.T) {
	backendtest.SkipOnPostgres(t, "orderhub backup copies a bbolt file")
	dir := t.TempDir()
	db, copyPath := filepath.Join(dir, "hub.db"), filepath.Join(dir, "copy.db")
	_, stop, _ := start(t, "--db", db, "--seed", "demo")
	require.Equal(t, 0, stop())
	_, err := os.Stat(backupSocket(db))
	require.ErrorIs(t, err, os.ErrNotExist, "the hub removes its socket when it stops")
	require.NoError(t, os.WriteFile(copyPath, []byte("an older backup"), 0o600))

	var out bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"backup", "--db", db, "--out", copyPath}, &out), out.String())
	assert.Contains(t, out.String(), "from the file")
	out.Reset()
	require.Equal(t, 0, run(context.Background(), []string{"db", "check", "--db", copyPath}, &out), out.String())
}

// A hub killed with SIGKILL leaves its socket behind: the next hub on the
// file replaces it. Something else in its place is left alone, and backup
// then says what is wrong instead of hanging or copying nothing.
func TestBackupSocketLeftBehind(t *testing.T) {
	backendtest.SkipOnPostgres(t, "orderhub backup copies a bbolt file")
	dir := t.TempDir()
	db, copyPath := filepath.Join(dir, "hub.db"), filepath.Join(dir, "copy.db")
	ln, err := net.Listen("unix", backupSocket(db))
	require.NoError(t, err)
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	require.NoError(t, ln.Close()) // a dead hub's socket

	_, stop, _ := start(t, "--db", db, "--seed", "demo")
	var out bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"backup", "--db", db, "--out", copyPath}, &out), out.String())
	assert.Contains(t, out.String(), "from the running hub")
	require.Equal(t, 0, stop())

	require.NoError(t, os.WriteFile(backupSocket(db), []byte("not a socket"), 0o600))
	_, stop, logs := start(t, "--db", db)
	assert.Contains(t, logs.String(), "no backup socket")
	out.Reset()
	began := time.Now()
	require.Equal(t, 1, run(context.Background(), []string{"backup", "--db", db, "--out", copyPath}, &out), out.String())
	assert.Contains(t, out.String(), "another process has")
	assert.Contains(t, out.String(), "nothing answers there")
	assert.Less(t, time.Since(began), 10*time.Second)
	require.Equal(t, 0, stop())
	raw, err := os.ReadFile(backupSocket(db))
	require.NoError(t, err)
	assert.Equal(t, "not a socket", string(raw))
}

func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"backup"}, 2, "usage"},
		{[]string{"backup", "--db", db}, 2, "usage"},
		{[]string{"backup", "--db", "postgres://hub@localhost/hub", "--out", "x"}, 2, "pg_dump --format=custom"},
		{[]string{"backup", "--db", db, "--out", db}, 2, "must not be the database"},
		{[]string{"backup", "--db", db, "--out", filepath.Join(dir, "copy.db")}, 1, "no such file"},
	} {
		var out bytes.Buffer
		assert.Equal(t, tc.code, run(context.Background(), tc.args, &out), "%q: %s", tc.args, out.String())
		assert.Contains(t, out.String(), tc.msg, "%q", tc.args)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing created, not even the database")
}
