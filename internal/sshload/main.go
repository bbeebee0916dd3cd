// Command sshload is the load driver of `make bench` for hosted mode. It
// builds rfterm and orderhub, seeds the hub with a site of N users and N
// orders (the demo site and one user, badge and one-line order a gun),
// starts the hub and `rfterm serve` on loopback as child processes, and
// opens N concurrent SSH sessions (x/crypto/ssh client). Each gun logs in
// with its badge, starts a pick and scans its tote, and then, at the
// location step, scans a wrong location every 3 s: the scan goes through
// the keyboard wedge, the session and the pick workflow, is refused on
// screen (WRONG LOCATION) and acknowledged, so every scan is a screen
// update at a real work step and no work is used up. It times scan →
// screen (the last byte of the scan sent → the screen update received, read
// through a VT screen model), and reports p50 and p99, the server's RSS
// per session and its CPU, for each N, against a bare SSH echo server
// driven the same way in the same run (the ratio), and against the disk: a
// bbolt-like commit per gun at the rate the guns scan (what a scan that
// moves the work adds: it is saved with an fsync before the screen shows
// it; the refused scan measured here is not waited for). It is bounded: each N
// runs for -duration, -runs times, and everything stops by itself.
//
//	go run ./internal/sshload -n 100,500,1000 -duration 20s -runs 3
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/rfterm/rfterm/demodata"
)

func main() {
	ns := flag.String("n", "100,500,1000", "session counts, comma-separated")
	dur := flag.Duration("duration", 20*time.Second, "how long each count scans")
	runs := flag.Int("runs", 1, "how many times to measure each count (runs on a shared machine are noisy: the summary gives ranges)")
	profile := flag.String("profile", "", "save the server's CPU, block and mutex profiles and its goroutines for each N in this directory")
	flag.Parse()
	if err := run(*ns, *dur, *runs, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

// result is one measurement of one N.
type result struct {
	n                  int
	p50, p99, r50, r99 time.Duration
	d50, d99           time.Duration // the disk reference
	rssPerSession      float64       // bytes
	cpu                float64       // % of one core
}

func run(ns string, dur time.Duration, runs int, profile string) error {
	var counts []int
	for _, f := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return err
		}
		counts = append(counts, n)
	}
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
	fmt.Printf("%-4s %-6s %-22s %-22s %-8s %-22s %-12s %-10s %s\n", "run", "N", "rfterm p50 / p99", "echo p50 / p99", "p99 ×", "disk commit p50 / p99", "RSS/session", "CPU", "load average (machine)")
	var all []result
	for r := range runs {
		for _, n := range counts {
			res, err := one(filepath.Join(dir, fmt.Sprintf("r%d-n%d", r, n)), bin, signer, n, dur, profile)
			if err != nil {
				return fmt.Errorf("N=%d: %w", n, err)
			}
			fmt.Printf("%-4d %-6d %-22s %-22s %-8.1f %-22s %-12s %-10s %s\n", r+1, n, fmt.Sprintf("%v / %v", res.p50, res.p99), fmt.Sprintf("%v / %v", res.r50, res.r99),
				ratio(res.p99, res.r99), fmt.Sprintf("%v / %v", res.d50, res.d99), fmt.Sprintf("%.2f MB", res.rssPerSession/1e6), fmt.Sprintf("%.0f%%", res.cpu), loadAverage())
			all = append(all, res)
		}
	}
	if runs > 1 {
		summary(counts, all)
	}
	return nil
}

// one measures N sessions against a fresh hub and server in dir, then the
// echo reference. With profile set, the server's profiles over the
// scanning are saved there.
func one(dir, bin string, signer gossh.Signer, n int, dur time.Duration, profile string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dur+10*time.Minute)
	defer cancel()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return result{}, err
	}
	site, err := demodata.Site()
	if err != nil {
		return result{}, err
	}
	rules, err := demodata.BarcodeRules()
	if err != nil {
		return result{}, err
	}
	sitePath := filepath.Join(dir, "site.json")
	if err := writeSite(sitePath, n); err != nil {
		return result{}, err
	}
	hubAddr, sshAddr := freeAddr(), freeAddr()
	hub := exec.CommandContext(ctx, filepath.Join(bin, "orderhub"), "--listen", hubAddr, "--db", filepath.Join(dir, "hub.db"), "--seed", sitePath, "--log", filepath.Join(dir, "hub.log"))
	hub.Stderr = os.Stderr
	if err := hub.Start(); err != nil {
		return result{}, err
	}
	defer func() { _ = hub.Process.Kill(); _ = hub.Wait() }()
	if err := waitListening(ctx, hubAddr); err != nil { // the guns enrol with it when they connect
		return result{}, fmt.Errorf("hub: %w", err)
	}
	type gunConfig struct {
		Device         string   `json:"device"`
		AuthorizedKeys []string `json:"authorized_keys"`
	}
	guns := make([]gunConfig, n)
	for i := range guns {
		guns[i] = gunConfig{Device: device(i), AuthorizedKeys: []string{string(gossh.MarshalAuthorizedKey(signer.PublicKey()))}}
	}
	cfg, err := json.Marshal(map[string]any{"hub": "http://" + hubAddr, "enroll_key": site.EnrollKey, "dir": filepath.Join(dir, "serve"),
		"log": filepath.Join(dir, "serve.log"), "barcode_rules": rules, "ssh": sshAddr, "guns": guns})
	if err != nil {
		return result{}, err
	}
	cfgPath := filepath.Join(dir, "serve.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		return result{}, err
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
		return result{}, err
	}
	if err := srv.Start(); err != nil {
		return result{}, err
	}
	defer func() { _ = srv.Process.Signal(os.Interrupt); _ = srv.Wait() }()
	line := make([]byte, 256)
	if _, err := out.Read(line); err != nil { // "listening on …"
		return result{}, fmt.Errorf("server did not start: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	rss0 := rss(srv.Process.Pid)

	var ticks0 int64
	var t0 time.Time
	var profiled sync.WaitGroup
	sc := script{user: device, login: func(i int) []step {
		return []step{{want: "Scan your badge"}, {send: badge(i) + "\r", want: "1 Pick"}, {send: "1\r", want: "Scan tote"},
			{send: tote(i) + "\r", want: "Scan location"}}
	}, scan: wrongLocation + "\r", marker: "WRONG LOCATION", ack: "\r", ready: "Scan location"}
	lat, err := drive(ctx, sshAddr, signer, n, dur, sc, func() {
		ticks0, t0 = cpuTicks(srv.Process.Pid), time.Now()
		if profile != "" {
			profiled.Add(1)
			go func() { defer profiled.Done(); saveProfiles(ctx, pprofAddr, profile, n, dur) }()
		}
	})
	profiled.Wait()
	if err != nil {
		return result{}, err
	}
	cpu := float64(cpuTicks(srv.Process.Pid)-ticks0) / time.Since(t0).Seconds() // clock ticks are 1/100 s: this is % of one core
	rss1 := rss(srv.Process.Pid)

	// The reference: a bare SSH echo server, the same clients, the same scans.
	ref, err := echoReference(ctx, signer, n, dur)
	if err != nil {
		return result{}, err
	}
	// And the disk's: a bbolt-like commit per gun at the guns' rate.
	disk, err := diskReference(ctx, filepath.Join(dir, "disk"), n, dur)
	if err != nil {
		return result{}, err
	}
	return result{n: n, p50: pct(lat, 50), p99: pct(lat, 99), r50: pct(ref, 50), r99: pct(ref, 99), d50: pct(disk, 50), d99: pct(disk, 99),
		rssPerSession: float64(rss1-rss0) / float64(n), cpu: cpu}, nil
}

// summary prints, for each N, the range of each figure over the runs.
func summary(counts []int, all []result) {
	fmt.Printf("\nranges over the runs\n%-6s %-24s %-24s %-28s %-20s %-28s %-14s %-10s\n", "N", "rfterm p50", "rfterm p99", "echo p50 / p99", "p99 × echo", "disk commit p50 / p99", "RSS/session", "CPU")
	for _, n := range counts {
		var p50, p99, r50, r99, d50, d99, x, mem, cpu []float64
		for _, r := range all {
			if r.n != n {
				continue
			}
			p50, p99 = append(p50, ms(r.p50)), append(p99, ms(r.p99))
			r50, r99 = append(r50, ms(r.r50)), append(r99, ms(r.r99))
			d50, d99 = append(d50, ms(r.d50)), append(d99, ms(r.d99))
			x, mem, cpu = append(x, ratio(r.p99, r.r99)), append(mem, r.rssPerSession/1e6), append(cpu, r.cpu)
		}
		fmt.Printf("%-6d %-24s %-24s %-28s %-20s %-28s %-14s %-10s\n", n, span(p50, "ms"), span(p99, "ms"),
			span(r50, "")+" / "+span(r99, "ms"), span(x, "×"), span(d50, "")+" / "+span(d99, "ms"), span(mem, "MB"), span(cpu, "%"))
	}
}

// loadAverage is the machine's 1-minute load average: on a shared machine
// other work weighs on every figure.
func loadAverage() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// ratio is a/b, b at least a microsecond.
func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, time.Microsecond)) }

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// span is "lo–hi unit" over vs.
func span(vs []float64, unit string) string {
	lo, hi := vs[0], vs[0]
	for _, v := range vs {
		lo, hi = min(lo, v), max(hi, v)
	}
	return fmt.Sprintf("%.3g–%.3g %s", lo, hi, unit)
}
