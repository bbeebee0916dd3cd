package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/screens"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// runDemo is `rfterm demo`: the terminal against an embedded hub seeded with
// the demo site, in this terminal, with no setup and no hardware.
func runDemo(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(s.err)
	dir := fs.String("dir", "", "keep the demo's databases and log here (default: a new temporary directory)")
	deviceID := fs.String("device", "demo-gun-1", "device id")
	serveSSH := fs.Bool("serve", false, "serve the demo to RF guns over SSH on loopback instead of this terminal (ssh -p PORT gun-01@localhost)")
	port := fs.Int("port", 0, "with --serve: the SSH port (default: any free one)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "rfterm-demo-")
		if err != nil {
			fmt.Fprintln(s.err, "rfterm demo:", err)
			return 1
		}
		*dir = d
	} else if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(s.err, "rfterm demo:", err)
		return 1
	}
	logPath := filepath.Join(*dir, "rfterm.log")
	log, closeLog, err := openLog(logPath)
	if err != nil {
		fmt.Fprintln(s.err, "rfterm demo:", err)
		return 1
	}
	defer closeLog()
	if *serveSSH {
		if err := demoServe(ctx, *dir, *port, log, s); err != nil {
			fmt.Fprintln(s.err, "rfterm demo:", err)
			fmt.Fprintln(s.err, "log:", logPath)
			return 1
		}
		return 0
	}
	if err := demoMain(ctx, *dir, *deviceID, log, s); err != nil {
		fmt.Fprintln(s.err, "rfterm demo:", err)
		fmt.Fprintln(s.err, "log:", logPath)
		return 1
	}
	fmt.Fprintf(s.out, "Demo data, printed labels (labels/*.zpl) and log kept in %s (`rfterm demo --dir %s` carries on).\n", *dir, *dir)
	return 0
}

func demoMain(ctx context.Context, dir, deviceID string, log *slog.Logger, s stdio) error {
	site, rules, h, err := startDemoHub(dir, log)
	if err != nil {
		return err
	}
	defer h.Shutdown(context.Background())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dev, err := device.Open(ctx, filepath.Join(dir, "device.db"), deviceID, h.URL(), site.EnrollKey,
		sender.SenderConfig{Backoff: sender.Backoff{Base: 500 * time.Millisecond, Max: 5 * time.Second}, Probe: 2 * time.Second},
		log.With("part", "sync"))
	if err != nil {
		return err
	}
	defer dev.Close()
	go dev.Sender.Run(ctx)
	go dev.Puller.Run(ctx)

	// A fake Zebra printer on a loopback port: labels land in dir/labels as .zpl files.
	fp, err := demo.StartPrinter(ctx, filepath.Join(dir, "labels"), log.With("part", "printer"))
	if err != nil {
		return err
	}
	defer fp.Close()
	sp, err := spool.Open(dev.Store.DB(), printer.New(fp.Addr()), nil, log.With("part", "spool"))
	if err != nil {
		return err
	}
	go sp.Run(ctx)

	// The pack station: SSCCs from blocks reserved for this device (offline too),
	// labels to the fake printer, weights keyed (the demo has no scale).
	ssccs := sscc.NewSSCCs(dev.Store, dev.Client, sscc.SSCCConfig{}, log.With("part", "sscc"))
	defer ssccs.Close()
	go func() {
		if err := ssccs.Refill(ctx); err != nil {
			log.Warn("sscc refill", "err", err)
		}
	}()
	station := &session.PackStation{Hub: dev.Client, SSCCs: ssccs, Carrier: "Demo Freight", Service: "Ground",
		ShipFrom: site.ShipFrom} // the site's, as on its bill of lading and ASNs

	sess := session.New(ctx, session.Config{Rules: rules, Notices: dev.Puller, Cluster: dev.Hub, Demo: true, DemoBadge: site.Users[0].Badge, DemoLocation: site.Locations[0].Code, DemoPIN: demoLeadPIN(site), DemoLeadBadge: demoLead(site).Badge, Recovered: dev.Recovered, Log: log.With("part", "session"),
		Printer: sp, Pack: station, Inventory: dev.Client, Lead: session.LeadClient(dev.Client), Dock: dockStation(dev)}, dev.Hub, dev.Store, dev.Sender)
	// A USB scanner in keyboard mode types into this terminal: the wedge tells its scans from typing.
	wedge, err := scanner.NewWedge(scanner.WedgeConfig{}, log.With("part", "scanner"))
	if err != nil {
		return err
	}
	hubSwitch := screens.Control{Key: tcell.KeyF9, Command: "H", Label: "Hub on/off", Run: func() {
		go func() { // stopping waits on connections: off the UI goroutine
			var err error
			if h.Running() {
				err = h.Stop()
			} else {
				err = h.Start()
			}
			if err != nil {
				log.Error("demo hub switch", "err", err)
			}
			dev.Sender.Kick()
		}()
	}}
	cancelOrder := screens.Control{Key: tcell.KeyF11, Command: "O", Label: "Cancel order", Run: func() {
		// The customer cancels the order being picked, at the hub: with the hub
		// reachable the picker hears at once; offline, when the hub is back.
		order := sess.View().OrderID
		if order == "" {
			return
		}
		if _, err := h.Store().CancelOrder(ctx, order, "demo: the customer cancelled"); err != nil {
			log.Error("demo cancel order", "order", order, "err", err)
			return
		}
		log.Info("demo: order cancelled at the hub", "order", order)
		dev.Puller.Kick()
	}}
	printerFault := screens.Control{Key: tcell.KeyF8, Command: "P", Label: "Printer fault", Run: func() {
		log.Info("demo printer", "now", fp.NextFault())
		sp.RetryNow()
	}}
	if err := showTerminal(ctx, sess, wedge, log, hubSwitch, cancelOrder, printerFault); err != nil {
		return err
	}
	cancel()
	return demoSummary(context.WithoutCancel(ctx), h, s) // the summary is read after the demo, however it ended

}

// demoLeadPIN is the demo lead's PIN, which the PIN prompt offers as its demo
// hint: the demo's PINs are public (demodata/site.json, the README).
func demoLeadPIN(site domain.Site) string { return site.PINs[demoLead(site).ID] }

// demoLead is the demo site's first lead.
func demoLead(site domain.Site) domain.User {
	for _, u := range site.Users {
		if u.Role == domain.RoleLead {
			return u
		}
	}
	return domain.User{}
}

// startDemoHub starts the demo's hub in dir on the demo site (with its lots)
// and returns the site and its barcode rules with it.
// demoHubAddr is where the demo's hub listens when the port is free.
const demoHubAddr = "127.0.0.1:8080"

func startDemoHub(dir string, log *slog.Logger) (domain.Site, *barcode.Rules, *demo.Hub, error) {
	site, err := demodata.WithLots()
	if err != nil {
		return site, nil, nil, err
	}
	demodata.MoveDates(&site, time.Now()) // its loads are due today and tomorrow
	rules, err := demodata.Rules()
	if err != nil {
		return site, nil, nil, err
	}
	// The hub answers on a known port, so the README's calls reach it
	// (the bill of lading, the ASNs, the figures); another demo or program
	// on it: any free port. hub-url in the demo's directory names it.
	path, hlog := filepath.Join(dir, "hub.db"), log.With("part", "hub")
	h, err := demo.StartHubAt(path, demoHubAddr, site, hlog)
	if err != nil {
		log.Info("demo hub: its usual port is taken; any free port", "addr", demoHubAddr, "err", err)
		h, err = demo.StartHub(path, site, hlog)
	}
	if err != nil {
		return site, rules, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "hub-url"), []byte(h.URL()+"\n"), 0o644); err != nil {
		h.Shutdown(context.Background())
		return site, rules, nil, fmt.Errorf("note the hub's address: %w", err)
	}
	return site, rules, h, nil
}
