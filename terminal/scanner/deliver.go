package scanner

import (
	"log/slog"
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// delivery hands frames to a Handler as scans: dropped fragments become log
// lines, and a scan repeating the previous one within the debounce window
// (a scanner that floods several reads per trigger pull) is dropped with a
// log line. Owned by one source goroutine.
type delivery struct {
	h        Handler
	log      *slog.Logger
	source   string
	debounce time.Duration
	lastData string
	lastAt   time.Time
}

func (d *delivery) frame(f Frame) {
	if f.Dropped != "" {
		d.log.Warn("scanner: fragment dropped", "source", d.source, "reason", f.Dropped, "bytes", len(f.Data), "data", clipForLog(f.Data))
		return
	}
	if d.debounce > 0 && f.Data == d.lastData && f.At.Sub(d.lastAt) < d.debounce {
		d.log.Warn("scanner: repeated read dropped", "source", d.source, "data", clipForLog(f.Data), "after", f.At.Sub(d.lastAt))
		d.lastAt = f.At
		return
	}
	d.lastData, d.lastAt = f.Data, f.At
	d.h.HandleScan(barcode.NewScan(f.Data, f.At, d.source))
}

func (d *delivery) status(connected bool, reason string) {
	d.h.HandleStatus(Status{Source: d.source, Connected: connected, Reason: reason, At: time.Now()})
}

// clipForLog keeps log lines short and quoted.
func clipForLog(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return s
}
