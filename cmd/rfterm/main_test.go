package main

import (
	"context"
	"os"
	"testing"
)

// TestMain lets the test binary stand in for rfterm: with RFTERM_AS_MAIN set
// it runs the command line in its arguments instead of the tests, so tests
// can start the real program as a child process (and kill it).
func TestMain(m *testing.M) {
	if os.Getenv("RFTERM_AS_MAIN") != "" {
		os.Exit(dispatch(context.Background(), os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
	}
	os.Exit(m.Run())
}
