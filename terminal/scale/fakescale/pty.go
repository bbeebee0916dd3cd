//go:build !windows

package fakescale

import (
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// OpenPTY opens a real pseudo-terminal pair for a fake scale: the master,
// for New, and the slave, whose Name is the path the code under test opens
// as its serial port. The master is non-blocking (in Go's poller), so
// closing it ends a read in progress — closing it unplugs the scale.
func OpenPTY() (master, slave *os.File, err error) {
	m, s, err := pty.Open()
	if err != nil {
		return nil, nil, err
	}
	fd, err := unix.Dup(int(m.Fd()))
	_ = m.Close()
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		_ = s.Close()
		return nil, nil, err
	}
	return os.NewFile(uintptr(fd), m.Name()), s, nil
}
