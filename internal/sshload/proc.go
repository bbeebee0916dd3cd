package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

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

// diskReference is the floor the disk sets: n goroutines, as many as the
// guns, each making a bbolt-like commit (a 4 KiB page written and
// fdatasynced, then a meta page written and fdatasynced) every 1.5 s, the
// rate of the guns' two saves a scan (the refused scan's problem, then its
// acknowledgement), each in a file of its own in dir, as each gun has its
// own store. It returns how long each commit took.
func diskReference(ctx context.Context, dir string, n int, dur time.Duration) ([]time.Duration, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := commits(ctx, filepath.Join(dir, fmt.Sprintf("%d.db", i)), time.Duration(i)*1500*time.Millisecond/time.Duration(n), dur)
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, got...)
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}()
	}
	wg.Wait()
	if len(lat) == 0 {
		return nil, errors.Join(errors.New("no disk samples"), firstErr)
	}
	return lat, firstErr
}

// commits makes a bbolt-like commit in path every 1.5 s for dur, after
// offset, and times each.
func commits(ctx context.Context, path string, offset, dur time.Duration) ([]time.Duration, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	page := make([]byte, 4096)
	spread := time.NewTimer(offset)
	defer spread.Stop()
	select {
	case <-spread.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	tick := time.NewTicker(1500 * time.Millisecond)
	defer tick.Stop()
	var lat []time.Duration
	for end := time.Now().Add(dur); time.Now().Before(end); {
		t0 := time.Now()
		for _, at := range []int64{4096 * int64(1+len(lat)%64), 0} { // a data page, then the meta page
			if _, err := f.WriteAt(page, at); err != nil {
				return lat, err
			}
			if err := syscall.Fdatasync(int(f.Fd())); err != nil {
				return lat, err
			}
		}
		lat = append(lat, time.Since(t0))
		select {
		case <-tick.C:
		case <-ctx.Done():
			return lat, ctx.Err()
		}
	}
	return lat, nil
}
