package scanner

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Reconnect backoff bounds for sources that open a device.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// keepConnected opens a device and reads it until it fails, again and again
// with backoff, until ctx is done. The handler hears "scanner disconnected"
// once per outage and "connected" when the device is back. The device is
// closed when ctx is done, which ends read.
func keepConnected[T io.Closer](ctx context.Context, d *delivery, open func(context.Context) (T, error), read func(T) error) {
	backoff := minBackoff
	connected := true // so the first failure is reported
	for ctx.Err() == nil {
		dev, err := open(ctx)
		if err == nil {
			connected = true
			d.log.Info("scanner: connected", "source", d.source)
			d.status(true, "")
			stop := context.AfterFunc(ctx, func() { _ = dev.Close() })
			opened := time.Now()
			err = read(dev)
			stop()
			_ = dev.Close()
			if ctx.Err() != nil {
				return
			}
			if time.Since(opened) > maxBackoff {
				backoff = minBackoff // it worked for a while: retry soon
			}
		}
		if connected {
			d.log.Warn("scanner: disconnected", "source", d.source, "err", err)
			d.status(false, fmt.Sprintf("scanner disconnected: %v", err))
			connected = false
		}
		if !sleepCtx(ctx, backoff) {
			return
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// sleepCtx waits for d or ctx; false when ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
