package screens

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// beepScreen counts the terminal bell.
type beepScreen struct {
	tcell.SimulationScreen
	beeps atomic.Int32
}

func (b *beepScreen) Beep() error { b.beeps.Add(1); return nil }

// driver runs a real terminal against a real embedded hub on a simulated
// screen, lazygit style: press, type, expect. Every expectation waits for the
// screen to show it, with a deadline; nothing sleeps.
type driver struct {
	t       *testing.T
	sim     *beepScreen
	term    *Terminal
	hub     *demo.Hub
	dev     *device.Device
	sess    *session.Session
	printer *demo.Printer
	spool   *spool.Spool
	site    domain.Site
	cancel  context.CancelFunc
	done    chan error
	seen    seenViews // every state the session went through: checked at every size
}

// newDriver starts a terminal at w×h; each option may change the demo site
// before the hub is seeded, and the session's configuration.
// setup is what a test may change before its driver starts.
type setup struct {
	site    *domain.Site
	session *session.Config
	sender  *sender.SenderConfig
	screen  *tcell.SimulationScreen
	dock    *bool // a dock terminal, as the demo's: staging and loading on the menu
}

// dockTerminal makes the driver's terminal a dock terminal.
func dockTerminal(s setup) { *s.dock = true }

func newDriver(t *testing.T, w, h int, opts ...func(setup)) *driver {
	t.Helper()
	site, err := demodata.Site()
	require.NoError(t, err)
	scfg := session.Config{}
	sendCfg := sender.SenderConfig{Backoff: sender.Backoff{Base: 20 * time.Millisecond, Max: 200 * time.Millisecond}, Probe: 100 * time.Millisecond}
	simBase := tcell.NewSimulationScreen("UTF-8")
	dock := false
	for _, o := range opts {
		o(setup{site: &site, session: &scfg, sender: &sendCfg, screen: &simBase, dock: &dock})
	}
	rules, err := demodata.Rules()
	require.NoError(t, err)
	dir := t.TempDir()
	log := testLogger(t)
	hub, err := demo.StartHub(filepath.Join(dir, "hub.db"), site, log)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	dev, err := device.Open(ctx, filepath.Join(dir, "device.db"), "gun-t", hub.URL(), site.EnrollKey, sendCfg, log)
	require.NoError(t, err)
	go dev.Sender.Run(ctx)
	// The station's printer, as in the demo: a fake Zebra on loopback and the spool.
	fp, err := demo.StartPrinter(ctx, filepath.Join(dir, "labels"), log)
	require.NoError(t, err)
	sp, err := spool.Open(dev.Store.DB(), printer.New(fp.Addr()), nil, log)
	require.NoError(t, err)
	go sp.Run(ctx)
	// The pack station, as in the demo: SSCCs from blocks reserved for the device.
	ssccs := sscc.NewSSCCs(dev.Store, dev.Client, sscc.SSCCConfig{}, log)
	station := &session.PackStation{Hub: dev.Client, SSCCs: ssccs, Carrier: "Demo Freight", Service: "Ground",
		ShipFrom: domain.Address{Name: site.Name, Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}}
	scfg.Rules, scfg.Notices, scfg.Cluster, scfg.Demo, scfg.DemoBadge, scfg.Log = rules, dev.Puller, dev.Hub, true, "U1001", log
	scfg.Printer, scfg.Pack, scfg.Inventory, scfg.Lead = sp, station, dev.Client, session.LeadClient(dev.Client)
	if dock {
		scfg.Dock = &session.DockStation{Hub: dev.Client, Cache: dev.Store.Cache, Events: dev.Store.Store, Updates: dev.Puller}
	}
	sess := session.New(ctx, scfg, dev.Hub, dev.Store, dev.Sender)
	go dev.Puller.Run(ctx)

	sim := &beepScreen{SimulationScreen: simBase}
	term := NewTerminal(sess, sim)
	sim.SetSize(w, h) // after SetScreen, which initialises the screen at 80×25
	// Keys arrive through the keyboard wedge, as from a scanner in a TE client.
	// Injected keys are meant as instantaneous bursts, but a loaded machine
	// running the race detector can space them by seconds: the gap is unbounded
	// here (every injected line ends with Enter, which decides), so barcodes
	// (4+ characters) stay scans and quantities and one-letter commands stay
	// typing, by their length alone.
	wedge, err := scanner.NewWedge(scanner.WedgeConfig{MaxKeyGap: scanner.Duration(time.Hour)}, log)
	require.NoError(t, err)
	term.UseWedge(wedge)
	go wedge.Run(ctx, sess)
	// Until the wedge runs, keys pass through as typing: a test typing at once
	// would have its first key typed and the rest scanned.
	require.True(t, waitFor(5*time.Second, wedge.Running), "the wedge never started")
	d := &driver{t: t, sim: sim, term: term, hub: hub, dev: dev, sess: sess, site: site, printer: fp, spool: sp, cancel: cancel, done: make(chan error, 1)}
	go func() { d.done <- term.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-d.done:
			require.Empty(t, term.keyConflicts, "a prompt offered two live actions on one key")
			checkFit(t, &d.seen)
		case <-time.After(5 * time.Second):
			t.Error("terminal did not stop")
		}
		fp.Close()
		ssccs.Close()
		dev.Close()
		hub.Shutdown(context.Background())
	})
	return d
}

// screen returns the screen's text, one string per row, read on the UI goroutine.
func (d *driver) screen() []string {
	rows := make(chan []string, 1)
	d.term.App().QueueUpdate(func() {
		cells, w, h := d.sim.GetContents()
		out := make([]string, h)
		for y := 0; y < h; y++ {
			var b strings.Builder
			for x := 0; x < w; x++ {
				r := cells[y*w+x].Runes
				if len(r) == 0 {
					b.WriteRune(' ')
				} else {
					b.WriteRune(r[0])
				}
			}
			out[y] = b.String()
		}
		rows <- out
	})
	select {
	case r := <-rows:
		return r
	case <-time.After(5 * time.Second):
		d.t.Fatal("UI goroutine did not answer")
		return nil
	}
}

// expect waits until the screen shows every text, each within one row.
func (d *driver) expect(texts ...string) {
	d.t.Helper()
	var last []string
	ok := waitFor(5*time.Second, func() bool {
		last = d.screen()
		joined := strings.Join(last, "\n")
		for _, s := range texts {
			if !strings.Contains(joined, s) {
				return false
			}
		}
		return true
	})
	if !ok {
		d.t.Fatalf("screen never showed %q; it shows:\n%s", texts, strings.Join(last, "\n"))
	}
}

// expectGone waits until no row of the screen shows text.
func (d *driver) expectGone(text string) {
	d.t.Helper()
	var last []string
	if !waitFor(5*time.Second, func() bool { last = d.screen(); return !strings.Contains(strings.Join(last, "\n"), text) }) {
		d.t.Fatalf("screen still shows %q:\n%s", text, strings.Join(last, "\n"))
	}
}

// typeLine types text and presses Enter, as a keyboard-wedge scanner or a
// person would, and waits until the session has taken it.
func (d *driver) typeLine(text string) {
	d.t.Helper()
	before := d.sess.View().Handled
	for _, r := range text {
		d.sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	d.sim.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	d.idle(before)
}

// press presses a function key that the session takes as an action.
func (d *driver) press(k tcell.Key) {
	d.t.Helper()
	before := d.sess.View().Handled
	d.sim.InjectKey(k, 0, tcell.ModNone)
	d.idle(before)
}

// idle waits until the session has taken one more input than before and is
// not waiting on the hub.
func (d *driver) idle(before int) {
	d.t.Helper()
	ok := waitFor(5*time.Second, func() bool {
		v := d.sess.View()
		return v.Handled > before && v.Mode != session.ModeBusy
	})
	require.True(d.t, ok, "the session never took the input")
	d.seen.add(d.sess.View())
}

// scanHint reads the demo hint line and types what it says: the newcomer's way.
func (d *driver) scanHint() {
	d.t.Helper()
	hint := d.sess.View().Prompt.Scan
	require.NotEmpty(d.t, hint, "no hint on screen")
	d.expect("Try " + hint[:min(len(hint), 10)])
	d.typeLine(hint)
}

func waitFor(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
	return true
}
