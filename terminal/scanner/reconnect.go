package scanner

import (
	"context"
	"fmt"
	"io"

	"github.com/rfterm/rfterm/terminal/serialport"
)

// keepConnected keeps a scanner device open (serialport.KeepConnected),
// telling the handler "scanner disconnected" once per outage and
// "connected" when the device is back.
func keepConnected[T io.Closer](ctx context.Context, d *delivery, open func(context.Context) (T, error), read func(T) error) {
	serialport.KeepConnected(ctx, open, read, func(connected bool, err error) {
		if connected {
			d.log.Info("scanner: connected", "source", d.source)
			d.status(true, "")
			return
		}
		d.log.Warn("scanner: disconnected", "source", d.source, "err", err)
		d.status(false, fmt.Sprintf("scanner disconnected: %v", err))
	})
}
