//go:build linux

package scanner

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"unsafe"

	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvdevRunNoGrab runs the source on a FIFO carrying a recorded stream.
func TestEvdevRunNoGrab(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "event0")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	src, err := Open(Config{Kind: "evdev", Evdev: EvdevConfig{Device: fifo, NoGrab: true}}, nil)
	require.NoError(t, err)
	w, err := os.OpenFile(fifo, os.O_RDWR, 0) // a writer from the start: no EOF before the stream
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, rec) }()
	assert.True(t, rec.nextStatus(t).Connected)
	km, _ := newKeymap("us")
	var s eventStream
	s.typeText(t, km, "U1001\r")
	_, err = w.Write(s.b)
	require.NoError(t, err)
	assert.Equal(t, "U1001", rec.nextScan(t).Raw)
	require.NoError(t, w.Close()) // unplugged
	st := rec.nextStatus(t)
	assert.False(t, st.Connected)
	assert.Contains(t, st.Reason, "scanner disconnected")
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(waitTimeout):
		t.Fatal("evdev source did not stop")
	}
}

func TestEvdevGrabRefusesNonInputDevice(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-device")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	src, err := NewEvdev(EvdevConfig{Device: file}, 0, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	_, err = src.open(context.Background())
	assert.ErrorContains(t, err, "not an input device")
}

// uinput ioctls (linux/uinput.h).
const (
	uiSetEvBit   = 0x40045564 // _IOW('U', 100, int)
	uiSetKeyBit  = 0x40045565 // _IOW('U', 101, int)
	uiDevSetup   = 0x405c5503 // _IOW('U', 3, struct uinput_setup)
	uiDevCreate  = 0x5501     // _IO('U', 1)
	uiDevDestroy = 0x5502     // _IO('U', 2)
)

// virtualKeyboard creates a uinput keyboard and returns its uinput file and
// its event device path. It skips the test when the machine cannot.
func virtualKeyboard(t *testing.T) (*os.File, string) {
	t.Helper()
	u, err := os.OpenFile("/dev/uinput", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no uinput on this machine (%v): the virtual-device test needs the uinput module", err)
	}
	t.Cleanup(func() { _ = u.Close() })
	fd := int(u.Fd())
	if err := unix.IoctlSetInt(fd, uiSetEvBit, evKey); err != nil {
		t.Skipf("uinput UI_SET_EVBIT: %v", err)
	}
	for code := 1; code < 128; code++ {
		if err := unix.IoctlSetInt(fd, uiSetKeyBit, code); err != nil {
			t.Skipf("uinput UI_SET_KEYBIT: %v", err)
		}
	}
	setup := make([]byte, 92)                      // struct uinput_setup: input_id, name[80], ff_effects_max
	binary.LittleEndian.PutUint16(setup[0:], 0x03) // BUS_USB
	binary.LittleEndian.PutUint16(setup[2:], 0x1234)
	binary.LittleEndian.PutUint16(setup[4:], 0x5678)
	name := fmt.Sprintf("rfterm test scanner %d", os.Getpid())
	copy(setup[8:87], name)
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uiDevSetup, uintptr(unsafe.Pointer(&setup[0]))); errno != 0 {
		t.Skipf("uinput UI_DEV_SETUP: %v", errno)
	}
	if err := unix.IoctlSetInt(fd, uiDevCreate, 0); err != nil {
		t.Skipf("uinput UI_DEV_CREATE: %v", err)
	}
	t.Cleanup(func() { _ = unix.IoctlSetInt(fd, uiDevDestroy, 0) })
	// find the event device by name in sysfs; make its node if udev does not
	var dev string
	require.Eventually(t, func() bool {
		names, _ := filepath.Glob("/sys/class/input/event*/device/name")
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil && strings.TrimSpace(string(b)) == name {
				dev = filepath.Dir(filepath.Dir(n))
				return true
			}
		}
		return false
	}, waitTimeout, 10*time.Millisecond, "the virtual device did not appear in sysfs")
	path := filepath.Join("/dev/input", filepath.Base(dev))
	if _, err := os.Stat(path); err != nil {
		numbers, err := os.ReadFile(filepath.Join(dev, "dev"))
		require.NoError(t, err)
		var major, minor uint32
		_, err = fmt.Sscanf(strings.TrimSpace(string(numbers)), "%d:%d", &major, &minor)
		require.NoError(t, err)
		path = filepath.Join(t.TempDir(), filepath.Base(dev))
		if err := unix.Mknod(path, unix.S_IFCHR|0o600, int(unix.Mkdev(major, minor))); err != nil {
			t.Skipf("no /dev/input node and cannot make one: %v", err)
		}
	}
	return u, path
}

// TestEvdevUinput types on a real (virtual) input device: the source grabs
// it, reads the scan, and notices when the device goes away.
func TestEvdevUinput(t *testing.T) {
	u, path := virtualKeyboard(t)
	src, err := Open(Config{Kind: "evdev", Evdev: EvdevConfig{Device: path}}, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := newRecorder()
	go func() { _ = src.Run(ctx, rec) }()
	require.True(t, rec.nextStatus(t).Connected)
	km, _ := newKeymap("us")
	var s eventStream
	s.typeText(t, km, "]C10104006381333931\x1d10LOT7\r")
	_, err = u.Write(s.b)
	require.NoError(t, err)
	assert.Equal(t, "]C10104006381333931\x1d10LOT7", rec.nextScan(t).Raw)
	require.NoError(t, unix.IoctlSetInt(int(u.Fd()), uiDevDestroy, 0)) // unplugged
	assert.False(t, rec.nextStatus(t).Connected)
}
