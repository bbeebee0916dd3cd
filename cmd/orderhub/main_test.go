package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// start runs orderhub until the returned stop is called; stop returns the exit code.
func start(t *testing.T, args ...string) (client *api.Client, stop func() int, logs *syncBuffer) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"--listen", addr}, args...), logs) }()
	client = api.NewClient("http://"+addr, nil)
	require.Eventually(t, func() bool {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return client.Health(c) == nil
	}, 10*time.Second, 20*time.Millisecond, "orderhub did not come up: %s", logs)
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(15 * time.Second):
			t.Fatal("orderhub did not shut down")
			return -1
		}
	}
	return client, stop, logs
}

// orderhub serves a seeded database, and serves it again after a restart,
// on the store the tests run on (a bbolt file, or PostgreSQL: see package
// backendtest).
func TestServeDemoAndRestart(t *testing.T) {
	db := backendtest.NewDatabase(t)
	logFile := filepath.Join(t.TempDir(), "hub.log")
	c, stop, _ := start(t, "--db", db, "--seed", "demo", "--log", logFile)
	ctx := context.Background()
	reg, err := c.Register(ctx, api.RegisterRequest{DeviceID: "gun-1", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	claim, err := c.WithToken(reg.Token).ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	assert.Equal(t, 0, stop(), "graceful shutdown exits 0")
	logged, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(logged), "orderhub listening")
	assert.Contains(t, string(logged), "op=claimTask")

	// Without --seed, a seeded database serves what it holds.
	c, stop, _ = start(t, "--db", db)
	again, err := c.WithToken(reg.Token).ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	assert.Equal(t, claim.Task.ID, again.Task.ID)
	assert.Equal(t, 0, stop())
}

func TestSeedFromFile(t *testing.T) {
	dir := t.TempDir()
	site := `{"name":"Tiny","enroll_key":"k","items":[{"sku":"A-1","gtin":"05401230041002","description":"a","weight_g":1,"length_mm":1,"width_mm":1,"height_mm":1}],
	"locations":[{"code":"A-01-01","zone":"A","sequence":1,"check":"11"}],"users":[{"id":"u1","name":"U","badge":"U0001","role":"operator"}],
	"orders":[{"id":"O1","customer":"C","ship_to":{"name":"n","street":"s","city":"c","postal":"p","country":"GB"},"priority":1,"status":"open","lines":[{"line":1,"sku":"A-1","qty":2}]}],
	"stock":{"A-1":"A-01-01"}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "site.json"), []byte(site), 0o644))
	c, stop, _ := start(t, "--db", backendtest.NewDatabase(t), "--seed", filepath.Join(dir, "site.json"))
	reg, err := c.Register(context.Background(), api.RegisterRequest{DeviceID: "d", EnrollKey: "k"})
	require.NoError(t, err)
	orders, err := c.WithToken(reg.Token).Orders(context.Background())
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.Equal(t, "O1", orders[0].ID)
	assert.Equal(t, 0, stop())
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"name": "x", "items": [`), 0o644))
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no db", []string{}, 2, "--db is required"},
		{"empty db, no seed", []string{"--db", filepath.Join(dir, "a.db")}, 1, "the database is empty"},
		{"missing seed file", []string{"--db", filepath.Join(dir, "b.db"), "--seed", filepath.Join(dir, "nope.json")}, 1, "no such file"},
		{"broken seed file", []string{"--db", filepath.Join(dir, "c.db"), "--seed", bad}, 1, "bad.json"},
		{"stray argument", []string{"--db", filepath.Join(dir, "d.db"), "extra"}, 2, "unexpected arguments"},
		{"bad listen address", []string{"--db", filepath.Join(dir, "e.db"), "--seed", "demo", "--listen", "256.0.0.1:1", "--plain-http"}, 1, "listen"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(context.Background(), tc.args, &out)
			assert.Equal(t, tc.code, code)
			assert.True(t, strings.Contains(out.String(), tc.msg), "%q lacks %q", out.String(), tc.msg)
		})
	}
}
