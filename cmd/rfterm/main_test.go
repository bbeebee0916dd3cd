package main

import (
	"context"
	"os"
	"testing"

	"github.com/rfterm/rfterm/hub/backend/backendtest"
)

// TestMain lets the test binary stand in for rfterm: with RFTERM_AS_MAIN set
// it runs the command line in its arguments instead of the tests, so tests
// can start the real program as a child process (and kill it). The tests
// run their hubs on the store RFTERM_HUB_STORE names (package backendtest).
func TestMain(m *testing.M) {
	if os.Getenv("RFTERM_AS_MAIN") != "" {
		os.Exit(dispatch(context.Background(), os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
	}
	backendtest.Main(m)
}
