package scanner

import (
	"context"
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// Status is a change in a source's connection, for the status line.
type Status struct {
	Source    string
	Connected bool
	Reason    string // why it is disconnected, for people
	At        time.Time
}

// Handler receives what a source reads. Calls come from the source's goroutine
// (for the keyboard wedge: the TUI goroutine that calls Wedge.Key or Flush).
type Handler interface {
	HandleScan(barcode.Scan)
	HandleStatus(Status)
}

// Source is a scanner: serial port, evdev device or keyboard wedge.
type Source interface {
	// Name says which scanner this is, for logs and the status line.
	Name() string
	// Run reads scans and hands each, whole, to h until ctx is done. It
	// reconnects by itself; it returns only when ctx is done or the source
	// cannot work at all (bad configuration).
	Run(ctx context.Context, h Handler) error
}
