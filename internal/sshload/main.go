// Command sshload is the load driver of `make bench` for hosted mode. It
// builds rfterm and orderhub, starts the demo hub and `rfterm serve` on
// loopback as child processes, opens N concurrent SSH sessions (x/crypto/ssh
// client), and in each scans a barcode every 3 s, timing scan → screen: the
// last byte of the scan sent → the screen update received. It reports p50
// and p99, the server's RSS per session and its CPU, for each N, against a
// bare SSH echo server measured the same way in the same run (the ratio).
// It is bounded: each N runs for -duration, and everything stops by itself.
//
//	go run ./internal/sshload -n 100,500,1000 -duration 20s
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gliderlabs/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/internal/vtscreen"
)

func main() {
	ns := flag.String("n", "100,500,1000", "session counts, comma-separated")
	dur := flag.Duration("duration", 20*time.Second, "how long each count scans")
	profile := flag.String("profile", "", "save the server's CPU, block and mutex profiles and its goroutines for each N in this directory")
	flag.Parse()
	if err := run(*ns, *dur, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

func run(ns string, dur time.Duration, profile string) error {
	dir, err := os.MkdirTemp("", "sshload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", bin+"/", "./cmd/rfterm", "./cmd/orderhub")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return err
	}
	fmt.Printf("%-6s %-22s %-22s %-8s %-12s %-10s\n", "N", "rfterm p50 / p99", "echo p50 / p99", "p99 ×", "RSS/session", "CPU (1 core = 100%)")
	for _, f := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return err
		}
		if err := one(dir, bin, signer, n, dur, profile); err != nil {
			return fmt.Errorf("N=%d: %w", n, err)
		}
	}
	return nil
}

// one measures N sessions against a fresh hub and server, then the echo
// reference. With profile set, the server's profiles over the scanning are
// saved there.
func one(dir, bin string, signer gossh.Signer, n int, dur time.Duration, profile string) error {
	ctx, cancel := context.WithTimeout(context.Background(), dur+5*time.Minute)
	defer cancel()
	run := filepath.Join(dir, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(run, 0o700); err != nil {
		return err
	}
	site, err := demodata.Site()
	if err != nil {
		return err
	}
	rules, err := demodata.BarcodeRules()
	if err != nil {
		return err
	}
	hubAddr, sshAddr := freeAddr(), freeAddr()
	hub := exec.CommandContext(ctx, filepath.Join(bin, "orderhub"), "--listen", hubAddr, "--db", filepath.Join(run, "hub.db"), "--seed", "demo", "--log", filepath.Join(run, "hub.log"))
	if err := hub.Start(); err != nil {
		return err
	}
	defer func() { _ = hub.Process.Kill(); _ = hub.Wait() }()
	if err := waitListening(ctx, hubAddr); err != nil { // the guns enrol with it when they connect
		return fmt.Errorf("hub: %w", err)
	}
	type gun struct {
		Device         string   `json:"device"`
		AuthorizedKeys []string `json:"authorized_keys"`
	}
	guns := make([]gun, n)
	for i := range guns {
		guns[i] = gun{Device: fmt.Sprintf("load-%04d", i), AuthorizedKeys: []string{string(gossh.MarshalAuthorizedKey(signer.PublicKey()))}}
	}
	cfg, err := json.Marshal(map[string]any{"hub": "http://" + hubAddr, "enroll_key": site.EnrollKey, "dir": filepath.Join(run, "serve"),
		"log": filepath.Join(run, "serve.log"), "barcode_rules": rules, "ssh": sshAddr, "guns": guns})
	if err != nil {
		return err
	}
	cfgPath := filepath.Join(run, "serve.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		return err
	}
	args := []string{"serve", "--config", cfgPath}
	pprofAddr := ""
	if profile != "" {
		pprofAddr = freeAddr()
		args = append(args, "--pprof", pprofAddr)
	}
	srv := exec.CommandContext(ctx, filepath.Join(bin, "rfterm"), args...)
	srv.Stderr = os.Stderr
	out, err := srv.StdoutPipe()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Signal(os.Interrupt); _ = srv.Wait() }()
	line := make([]byte, 256)
	if _, err := out.Read(line); err != nil { // "listening on …"
		return fmt.Errorf("server did not start: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	rss0 := rss(srv.Process.Pid)

	user := func(i int) string { return fmt.Sprintf("load-%04d", i) }
	var ticks0 int64
	var t0 time.Time
	var profiled sync.WaitGroup
	lat, err := drive(ctx, sshAddr, signer, n, dur, user, "T10001\r", "NOT A BADGE", "\r", "Scan your badge", func() {
		ticks0, t0 = cpuTicks(srv.Process.Pid), time.Now()
		if profile != "" {
			profiled.Add(1)
			go func() { defer profiled.Done(); saveProfiles(ctx, pprofAddr, profile, n, dur) }()
		}
	})
	profiled.Wait()
	if err != nil {
		return err
	}
	cpu := float64(cpuTicks(srv.Process.Pid)-ticks0) / time.Since(t0).Seconds() // clock ticks are 1/100 s: this is % of one core
	rss1 := rss(srv.Process.Pid)

	// The reference: a bare SSH echo server, the same clients, the same scans.
	ref, err := echoReference(ctx, signer, n, dur)
	if err != nil {
		return err
	}
	p50, p99 := pct(lat, 50), pct(lat, 99)
	r50, r99 := pct(ref, 50), pct(ref, 99)
	fmt.Printf("%-6d %-22s %-22s %-8.1f %-12s %-10s\n", n, fmt.Sprintf("%v / %v", p50, p99), fmt.Sprintf("%v / %v", r50, r99),
		float64(p99)/float64(max(r99, 1)), fmt.Sprintf("%.2f MB", float64(rss1-rss0)/float64(n)/1e6), fmt.Sprintf("%.0f%%", cpu))
	return nil
}

// drive opens n sessions, waits for each to show ready, then scans every
// 3 s for dur in each (starts spread over the 3 s), timing scan → marker,
// then sends ack and waits for ready again.
func drive(ctx context.Context, addr string, signer gossh.Signer, n int, dur time.Duration, user func(int) string,
	scan, marker, ack, ready string, started func()) ([]time.Duration, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	connected := make(chan struct{}, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := session(ctx, addr, signer, user(i), scan, marker, ack, ready, connected, start, time.Duration(i)*3*time.Second/time.Duration(n), dur)
			mu.Lock()
			lat = append(lat, got...)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}()
	}
	for range n {
		select {
		case <-connected:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	started()
	close(start)
	wg.Wait()
	if len(lat) == 0 {
		return nil, errors.Join(errors.New("no samples"), firstErr)
	}
	return lat, firstErr
}

// session is one gun: connect, wait for ready, then scan every 3 s.
func session(ctx context.Context, addr string, signer gossh.Signer, user, scan, marker, ack, ready string,
	connected chan<- struct{}, start <-chan struct{}, offset, dur time.Duration) ([]time.Duration, error) {
	fail := func(err error) ([]time.Duration, error) { connected <- struct{}{}; return nil, err }
	cl, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: time.Minute})
	if err != nil {
		return fail(err)
	}
	defer cl.Close()
	s, err := cl.NewSession()
	if err != nil {
		return fail(err)
	}
	if err := s.RequestPty("vt220", 16, 20, gossh.TerminalModes{}); err != nil {
		return fail(err)
	}
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.Shell(); err != nil {
		return fail(err)
	}
	chunks := make(chan []byte, 64)
	go func() { // the client's side of the connection, read all along
		defer close(chunks)
		for {
			buf := make([]byte, 8192)
			k, err := out.Read(buf)
			if k > 0 {
				chunks <- buf[:k]
			}
			if err != nil {
				return
			}
		}
	}()
	scr := vtscreen.New(20, 16)
	wait := func(text string) error {
		timeout := time.After(30 * time.Second)
		for !strings.Contains(scr.Text(), text) {
			select {
			case c, ok := <-chunks:
				if !ok {
					return fmt.Errorf("%s: the connection ended", user)
				}
				scr.Write(c)
			case <-timeout:
				return fmt.Errorf("%s: no %q on the screen", user, text)
			}
		}
		return nil
	}
	if err := wait(ready); err != nil {
		return fail(err)
	}
	connected <- struct{}{}
	<-start
	time.Sleep(offset) // spread the scans over the 3 s, as guns do
	var lat []time.Duration
	end := time.Now().Add(dur)
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for time.Now().Before(end) {
		for drained := false; !drained; { // what the last acknowledgement drew
			select {
			case <-chunks:
			default:
				drained = true
			}
		}
		scr = vtscreen.New(20, 16) // only what is drawn after the scan counts
		if _, err := io.WriteString(in, scan); err != nil {
			return lat, err
		}
		t0 := time.Now()
		if err := wait(marker); err != nil {
			return lat, err
		}
		lat = append(lat, time.Since(t0))
		if _, err := io.WriteString(in, ack); err != nil {
			return lat, err
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return lat, ctx.Err()
		}
	}
	return lat, nil
}

// echoReference serves SSH sessions that echo what they read and shows
// nothing else, and drives them as the guns are driven.
func echoReference(ctx context.Context, signer gossh.Signer, n int, dur time.Duration) ([]time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &ssh.Server{Handler: func(s ssh.Session) {
		_, _ = io.WriteString(s, "ready\r\n")
		_, _ = io.Copy(s, s)
	}, PublicKeyHandler: func(ssh.Context, ssh.PublicKey) bool { return true }}
	srv.AddHostKey(signer)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	return drive(ctx, ln.Addr().String(), signer, n, dur, func(int) string { return "echo" }, "T10001\r", "T10001", "\r", "ready", func() {})
}

// saveProfiles saves the server's CPU profile over most of the scanning,
// then its block and mutex profiles and its goroutines, as PREFIX-N.pprof.
func saveProfiles(ctx context.Context, addr, dir string, n int, dur time.Duration) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "sshload: profile:", err)
		return
	}
	secs := max(1, int((dur-2*time.Second)/time.Second))
	for _, p := range []struct{ name, query string }{{"cpu", fmt.Sprintf("profile?seconds=%d", secs)}, {"block", "block"}, {"mutex", "mutex"}, {"goroutine", "goroutine"}} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/pprof/"+p.query, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sshload: profile:", err)
			return
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sshload: profile:", err)
			return
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", p.name, n)), raw, 0o600)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "sshload: profile:", err)
		}
	}
}

// waitListening returns once addr accepts a connection (at most 30 s).
func waitListening(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			return c.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s never listened: %w", addr, err)
		case <-tick.C:
		}
	}
}

// freeAddr is a loopback address with a port free now.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// rss is a process's resident set in bytes.
func rss(pid int) int64 {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for l := range bytes.Lines(raw) {
		if f := strings.Fields(string(l)); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// cpuTicks is a process's user+system time in clock ticks.
func cpuTicks(pid int) int64 {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return u + k
}

// pct is the p-th percentile.
func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(10 * time.Microsecond)
}
