//go:build linux

package scanner

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/rfterm/rfterm/terminal/serialport"
)

// ioctl requests of linux/input.h.
const (
	eviocgrab = 0x40044590 // _IOW('E', 0x90, int)
	keyMax    = 0x2ff
)

// eviocgkey is EVIOCGKEY(len): the bitmap of keys held down.
func eviocgkey(n int) uint { return 0x80000000 | uint(n)<<16 | 'E'<<8 | 0x18 }

// evdevSupported is nil: Linux has evdev.
func evdevSupported() error { return nil }

// Run reads scans until ctx is done, reopening the device after an unplug.
// The device is grabbed, but never while a key is held (the held key would
// stay down for every other program).
func (e *Evdev) Run(ctx context.Context, h Handler) error {
	d := &delivery{h: h, log: e.log, source: e.Name(), debounce: e.debounce}
	keepConnected(ctx, d, e.open, func(f *os.File) error { return e.readEvents(f, d) })
	return nil
}

// open opens the device and grabs it once no key is held.
func (e *Evdev) open(ctx context.Context) (*os.File, error) {
	f, err := os.OpenFile(e.cfg.Device, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if e.cfg.NoGrab {
		return f, nil
	}
	for {
		held, err := keysHeld(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("%s is not an input device: %w", e.cfg.Device, err)
		}
		if !held {
			break
		}
		if !serialport.Sleep(ctx, 20*time.Millisecond) {
			_ = f.Close()
			return nil, ctx.Err()
		}
	}
	if err := ioctl(f, eviocgrab, 1); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("grab %s (another program has it?): %w", e.cfg.Device, err)
	}
	return f, nil
}

// keysHeld asks the device whether any key is down (EVIOCGKEY).
func keysHeld(f *os.File) (bool, error) {
	bitmap := make([]byte, keyMax/8+1) // on the heap: it does not move during the call
	err := ioctl(f, eviocgkey(len(bitmap)), uintptr(unsafe.Pointer(&bitmap[0])))
	runtime.KeepAlive(bitmap)
	if err != nil {
		return false, err
	}
	for _, b := range bitmap {
		if b != 0 {
			return true, nil
		}
	}
	return false, nil
}

func ioctl(f *os.File, req uint, arg uintptr) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno unix.Errno
	if cerr := rc.Control(func(fd uintptr) {
		_, _, errno = unix.Syscall(unix.SYS_IOCTL, fd, uintptr(req), arg)
	}); cerr != nil {
		return cerr
	}
	if errno != 0 {
		return errno
	}
	return nil
}
