//go:build !linux

package scanner

import (
	"context"
	"errors"
)

// Run fails: evdev is Linux only.
func (e *Evdev) Run(ctx context.Context, h Handler) error {
	return errors.New("evdev scanner: Linux only")
}
