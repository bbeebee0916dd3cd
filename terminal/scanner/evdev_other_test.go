//go:build !linux

package scanner

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvdevRefusedOffLinux: an evdev scanner is refused when the terminal
// opens its scanner, saying why and what to use instead.
func TestEvdevRefusedOffLinux(t *testing.T) {
	_, err := Open(Config{Kind: "evdev", Evdev: EvdevConfig{Device: "/dev/input/event0"}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not supported on "+runtime.GOOS)
	assert.Contains(t, err.Error(), "serial scanner")
}
