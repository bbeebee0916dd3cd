package reliability

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// buildOrderhub builds the real hub program, cmd/orderhub, into t's
// temporary directory and returns its path. It builds with the race
// detector when this test binary has it: the hub's packages are then in
// the build cache already, and the hub's races are caught too.
func buildOrderhub(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "orderhub")
	args := []string{"build", "-o", out}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	cmd := exec.Command("go", append(args, "github.com/rfterm/rfterm/cmd/orderhub")...)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build orderhub: %s", msg)
	return out
}

// hubProcess is an orderhub child process serving on a loopback port.
type hubProcess struct {
	addr string // host:port it serves on
	cmd  *exec.Cmd
	done chan struct{} // closed once it has exited and its log is read

	mu  sync.Mutex
	log []string // its log lines
}

// listening finds the address in orderhub's "orderhub listening" log line.
var listening = regexp.MustCompile(`msg="orderhub listening" addr=(\S+)`)

// startOrderhub starts bin on a free loopback port with args (--db …) and
// returns once it serves. It is killed, if still running, when t ends.
func startOrderhub(t *testing.T, bin string, args ...string) *hubProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--listen", "127.0.0.1:0"}, args...)...)
	cmd.SysProcAttr = childAttrs()
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &hubProcess{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log = append(p.log, line)
			p.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		cmd.Wait()
	}()
	t.Cleanup(p.kill)
	select {
	case p.addr = <-addr:
	case <-p.done:
		t.Fatalf("orderhub exited before serving:\n%s", strings.Join(p.lines(), "\n"))
	case <-time.After(time.Minute):
		p.kill()
		t.Fatalf("orderhub did not start serving within a minute:\n%s", strings.Join(p.lines(), "\n"))
	}
	return p
}

// kill kills the hub with SIGKILL, as a crash or the OOM killer would, and
// waits until it has exited.
func (p *hubProcess) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// lines is its log so far.
func (p *hubProcess) lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.log...)
}
