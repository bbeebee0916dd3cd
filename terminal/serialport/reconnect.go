package serialport

import (
	"context"
	"io"
	"time"
)

// Reconnect backoff bounds: the first retry comes after MinBackoff, each
// next one waits twice as long, up to MaxBackoff.
const (
	MinBackoff = 100 * time.Millisecond
	MaxBackoff = 5 * time.Second
)

// KeepConnected opens a device and hands it to use until use fails, again
// and again with backoff, until ctx is done. report hears connected=true
// each time the device opens, and connected=false with the error once per
// outage (a failed reopen during an outage is not reported again). The
// device is closed when ctx is done, which ends use.
func KeepConnected[T io.Closer](ctx context.Context, open func(context.Context) (T, error), use func(T) error, report func(connected bool, err error)) {
	backoff := MinBackoff
	connected := true // so the first failure is reported
	for ctx.Err() == nil {
		dev, err := open(ctx)
		if err == nil {
			connected = true
			report(true, nil)
			stop := context.AfterFunc(ctx, func() { _ = dev.Close() })
			opened := time.Now()
			err = use(dev)
			stop()
			_ = dev.Close()
			if ctx.Err() != nil {
				return
			}
			if time.Since(opened) > MaxBackoff {
				backoff = MinBackoff // it worked for a while: retry soon
			}
		}
		if connected {
			report(false, err)
			connected = false
		}
		if !Sleep(ctx, backoff) {
			return
		}
		backoff = min(backoff*2, MaxBackoff)
	}
}

// Sleep waits for d or ctx; false when ctx is done.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
