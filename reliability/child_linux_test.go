package reliability

import "syscall"

// childAttrs are a child process's attributes: it gets SIGKILL when the
// test binary dies, so a killed test leaves no hub running.
func childAttrs() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
