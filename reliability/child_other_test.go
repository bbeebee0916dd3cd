//go:build !linux

package reliability

import "syscall"

// childAttrs are a child process's attributes: nothing special off Linux,
// where the test's cleanup alone kills its children.
func childAttrs() *syscall.SysProcAttr { return nil }
