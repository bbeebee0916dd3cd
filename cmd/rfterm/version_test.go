package main

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/version/versiontest"
)

// TestVersionCommand builds the real program with the version and the
// commit stamped by the linker, as make release stamps them, and runs
// `rfterm version`; the help lists the command.
func TestVersionCommand(t *testing.T) {
	bin := versiontest.Check(t, "rfterm")
	help, err := exec.Command(bin, "help").Output()
	require.NoError(t, err)
	assert.Contains(t, string(help), "  version ")
}
