// Package demodata is the demo site embedded in the binaries: item master,
// locations, users, open orders, carton types and the site's barcode rules.
// It lives in a normal package (not testdata/) so that go:embed can ship it.
package demodata

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

//go:embed site.json
var siteJSON []byte

//go:embed barcodes.json
var barcodesJSON []byte

//go:embed lots.json
var lotsJSON []byte

// Site decodes the demo site. Each call returns a fresh copy.
func Site() (domain.Site, error) {
	var s domain.Site
	if err := json.Unmarshal(siteJSON, &s); err != nil {
		return domain.Site{}, fmt.Errorf("demo site: %w", err)
	}
	return s, nil
}

// WithLots is the demo site with the lots held at each lot-tracked item's
// location (two a location, the first to expire first), as `rfterm demo`
// runs it: a picked lot must then be one of them. The tests' site has none,
// so their flows may pick any lot.
func WithLots() (domain.Site, error) {
	s, err := Site()
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(lotsJSON, &s.Lots); err != nil {
		return domain.Site{}, fmt.Errorf("demo lots: %w", err)
	}
	return s, nil
}

// BarcodeRules decodes the demo site's barcode nomenclature, in match order.
// Each call returns a fresh copy.
func BarcodeRules() ([]barcode.Rule, error) {
	var r []barcode.Rule
	if err := json.Unmarshal(barcodesJSON, &r); err != nil {
		return nil, fmt.Errorf("demo barcode rules: %w", err)
	}
	return r, nil
}

// Rules is the demo site's barcode nomenclature, compiled for classifying scans.
func Rules() (*barcode.Rules, error) {
	list, err := BarcodeRules()
	if err != nil {
		return nil, err
	}
	return barcode.NewRules(list)
}
