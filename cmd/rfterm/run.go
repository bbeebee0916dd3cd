package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/scale"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// runTerminal is `rfterm run --config FILE`: the terminal on a real device,
// against the site's order hub, reading the configured scanner.
func runTerminal(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(s.err)
	path := fs.String("config", "rfterm.json", "the terminal's configuration file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		fmt.Fprintln(s.err, "rfterm run:", err)
		return 2
	}
	log, closeLog, err := openLog(cfg.Log)
	if err != nil {
		fmt.Fprintln(s.err, "rfterm run:", err)
		return 1
	}
	defer closeLog()
	if err := runMain(ctx, cfg, log); err != nil {
		fmt.Fprintln(s.err, "rfterm run:", err)
		return 1
	}
	return 0
}

func runMain(ctx context.Context, cfg terminalConfig, log *slog.Logger) error {
	rules, err := barcode.NewRules(cfg.BarcodeRules)
	if err != nil {
		return err
	}
	src, err := scanner.Open(cfg.Scanner, log.With("part", "scanner"))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dev, err := device.Open(ctx, cfg.DB, cfg.DeviceID, cfg.Hub, cfg.EnrollKey, sender.SenderConfig{}, log.With("part", "sync"),
		api.TransportConfig{CAFile: cfg.HubCAFile, PlainHTTP: cfg.HubPlainHTTP})
	if err != nil {
		return err
	}
	defer dev.Close()
	go dev.Sender.Run(ctx)
	go dev.Puller.Run(ctx)
	scfg := session.Config{Rules: rules, Notices: dev.Puller, Log: log.With("part", "session"), PrinterDPI: cfg.Printer.DPI, Inventory: dev.Client, Lead: session.LeadClient(dev.Client),
		Recovered: dev.Recovered, PlainHTTP: plainHTTPOffLoopback(cfg.Hub)}
	if cfg.Printer.Address != "" {
		sp, err := spool.Open(dev.Store.DB(), printer.New(cfg.Printer.Address), nil, log.With("part", "spool"))
		if err != nil {
			return err
		}
		go sp.Run(ctx)
		scfg.Printer = sp
	}
	if cfg.Pack != nil {
		station, closeStation, err := packStation(ctx, *cfg.Pack, dev, log)
		if err != nil {
			return err
		}
		defer closeStation()
		scfg.Pack = station
	}
	if cfg.ClusterPick {
		scfg.Cluster = dev.Hub
	}
	if cfg.Dock {
		scfg.Dock = dockStation(dev)
	}
	sess := session.New(ctx, scfg, dev.Hub, dev.Store, dev.Sender)
	return showTerminal(ctx, sess, src, log)
}

// packStation sets a pack station up: SSCCs from blocks reserved for this
// device, and the scale when there is one.
func packStation(ctx context.Context, cfg packConfig, dev *device.Device, log *slog.Logger) (*session.PackStation, func(), error) {
	ssccs := sscc.NewSSCCs(dev.Store, dev.Client, sscc.SSCCConfig{}, log.With("part", "sscc"))
	go func() {
		if err := ssccs.Refill(ctx); err != nil {
			log.Warn("sscc refill", "err", err)
		}
	}()
	station := &session.PackStation{Hub: dev.Client, SSCCs: ssccs, ShipFrom: cfg.ShipFrom, Carrier: cfg.Carrier, Service: cfg.Service, Incoterm: cfg.Incoterm,
		Config: flow.PackConfig{Tolerance: cfg.Tolerance, FillFactor: cfg.FillFactor}}
	if cfg.Scale != nil {
		sc, err := scale.Open(*cfg.Scale, log.With("part", "scale"))
		if err != nil {
			ssccs.Close()
			return nil, nil, err
		}
		go sc.Run(ctx, func(st scanner.Status) { log.Info("scale", "connected", st.Connected, "reason", st.Reason) })
		station.Scale = device.ScaleReader{Scale: sc}
	}
	return station, ssccs.Close, nil
}

// dockStation makes the terminal a dock terminal: the dock list from the
// hub, kept in the device store and refreshed by the puller on load changes,
// and a load's bill of lading from the hub for the station's printer.
func dockStation(dev *device.Device) *session.DockStation {
	return &session.DockStation{Hub: dev.Client, Cache: dev.Store.Cache, Events: dev.Store.Store, Updates: dev.Puller, Docs: dev.Client}
}

// plainHTTPOffLoopback reports whether the hub is reached over plain HTTP
// on a host off loopback (allowed by hub_plain_http): the status line says
// so, as tokens and badges cross the network in clear.
func plainHTTPOffLoopback(hubURL string) bool {
	u, err := url.Parse(hubURL)
	return err == nil && strings.EqualFold(u.Scheme, "http") && !api.IsLoopback(u.Hostname())
}
