package pgtest

import "syscall"

// procAttr runs a child as cred (nil: as ourselves). The server also gets
// SIGQUIT, PostgreSQL's immediate shutdown, if the test binary dies first
// (a test timeout's panic, a kill), so no server outlives its tests.
func procAttr(cred *syscall.Credential, server bool) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Credential: cred}
	if server {
		a.Pdeathsig = syscall.SIGQUIT
	}
	return a
}
