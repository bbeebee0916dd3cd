//go:build !linux

package scanner

import (
	"context"
	"fmt"
	"runtime"
)

// evdevSupported says that evdev (/dev/input/event*) is Linux only, and
// what to use instead.
func evdevSupported() error {
	return fmt.Errorf("evdev scanner: not supported on %s (Linux only): use a serial scanner, or the keyboard wedge", runtime.GOOS)
}

// Run fails: evdev is Linux only.
func (e *Evdev) Run(ctx context.Context, h Handler) error {
	return evdevSupported()
}
