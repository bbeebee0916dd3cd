package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/scale"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/zpl"
)

// terminalConfig is the terminal's configuration file (`rfterm run --config FILE`).
type terminalConfig struct {
	DeviceID     string         `json:"device_id"`      // this device's id, as the hub knows it
	Hub          string         `json:"hub"`            // the hub's base URL
	EnrollKey    string         `json:"enroll_key"`     // presented once, to get the device token
	HubCAFile    string         `json:"hub_ca_file"`    // PEM CA of the hub's certificate; empty: the system roots
	HubPlainHTTP bool           `json:"hub_plain_http"` // allow http:// to a hub off loopback (tokens in clear)
	DB           string         `json:"db"`             // the device's bbolt file
	Log          string         `json:"log"`            // the log file (never the terminal)
	BarcodeRules []barcode.Rule `json:"barcode_rules"`  // the site's barcode nomenclature
	Scanner      scanner.Config `json:"scanner"`        // which scanner; default the keyboard wedge
	Printer      printerConfig  `json:"printer,omitzero"`
	Pack         *packConfig    `json:"pack,omitempty"`         // present on a pack station
	ClusterPick  bool           `json:"cluster_pick,omitempty"` // the picker has a cart: offer cluster picking
	Dock         bool           `json:"dock,omitempty"`         // a dock terminal: offer staging and loading
}

// packConfig makes the terminal a pack station.
type packConfig struct {
	ShipFrom   domain.Address         `json:"ship_from"`
	Carrier    string                 `json:"carrier"`
	Service    string                 `json:"service"`
	Tolerance  domain.WeightTolerance `json:"tolerance"`             // default 50 g or 5 %
	FillFactor float64                `json:"fill_factor,omitempty"` // default 0.8
	Scale      *scale.Config          `json:"scale,omitempty"`       // none: the packer keys weights
	Incoterm   string                 `json:"incoterm,omitempty"`    // on commercial invoices; default DAP
}

// printerConfig is the station's label printer, raw TCP 9100.
type printerConfig struct {
	Address string  `json:"address"` // "10.0.0.5:9100"; empty: no printer
	DPI     zpl.DPI `json:"dpi"`     // 203 (default), 300 or 600
}

// loadConfig reads and checks a configuration file.
func loadConfig(path string) (terminalConfig, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return terminalConfig{}, err
	}
	var c terminalConfig
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if c.Scanner.Kind == "" {
		c.Scanner.Kind = "wedge"
	}
	if c.Log == "" {
		c.Log = "rfterm.log"
	}
	var missing []error
	for _, f := range []struct{ name, value string }{{"device_id", c.DeviceID}, {"hub", c.Hub}, {"db", c.DB}} {
		if f.value == "" {
			missing = append(missing, fmt.Errorf("%q is required", f.name))
		}
	}
	if len(c.BarcodeRules) == 0 {
		missing = append(missing, errors.New(`"barcode_rules" is required: the site's badge, tote and location patterns`))
	}
	if c.Printer.DPI == 0 {
		c.Printer.DPI = zpl.DPI203
	}
	if err := c.Printer.DPI.Validate(); err != nil {
		missing = append(missing, fmt.Errorf("printer: %w", err))
	}
	if err := errors.Join(missing...); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
