package main

import (
	"testing"

	"github.com/rfterm/rfterm/internal/version/versiontest"
)

// TestVersionCommand builds the real program with the version and the
// commit stamped by the linker, as make release stamps them, and runs
// `orderhub version`.
func TestVersionCommand(t *testing.T) {
	versiontest.Check(t, "orderhub")
}
