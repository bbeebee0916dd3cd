package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
)

// loadSKU is the item every generated order picks; its location is where
// each gun is sent, and wrongLocation is the location it scans instead.
const (
	loadSKU       = "HX-4411"
	wrongLocation = "ZZ-99-99"
)

// badge, tote and device name gun i's user badge, tote and device id. The
// demo site's barcode rules take badges as U and four digits and totes as
// T and five, so a site holds at most 8,000 generated users.
func badge(i int) string  { return fmt.Sprintf("U%04d", 2000+i) }
func tote(i int) string   { return fmt.Sprintf("T%05d", 20000+i) }
func device(i int) string { return fmt.Sprintf("load-%04d", i) }

// writeSite writes a site JSON for `orderhub --seed FILE`: the demo site
// with n more users (one a gun, badges U2000 on) and n more one-line orders
// (one for each user to claim, least urgent after the demo's own), so that
// every gun logs in and works a real pick.
func writeSite(path string, n int) error {
	if n > 8000 {
		return fmt.Errorf("at most 8,000 guns (badges U2000 to U9999), not %d", n)
	}
	site, err := demodata.Site()
	if err != nil {
		return err
	}
	for i := range n {
		site.Users = append(site.Users, domain.User{ID: fmt.Sprintf("load%04d", i), Name: fmt.Sprintf("Load %04d", i),
			Badge: badge(i), Role: domain.RoleOperator})
		site.Orders = append(site.Orders, domain.Order{ID: fmt.Sprintf("SO-L%05d", i), Customer: "Load Test Ltd", Priority: 9,
			Status: domain.OrderOpen, Lines: []domain.OrderLine{{Line: 1, SKU: loadSKU, Qty: 1}},
			ShipTo: domain.Address{Name: "Load Test Ltd", Street: "1 Test Road", City: "Leeds", Postal: "LS1 1AA", Country: "GB"}})
	}
	raw, err := json.Marshal(site)
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o600)
}
