package shipdocs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl/label"
)

// MaxControl is the largest control number an interchange carries (nine
// digits: ISA13, and the limit the hub keeps for every counter).
const MaxControl = 999999999

// asnDoc is an ASN checked and laid out in the hierarchy both standards
// send: the shipment, its order, each carton that went on the load, and
// each carton's items.
type asnDoc struct {
	// ShipmentID is the load id and the order id ("LD-0001-SO-10003"): an
	// order shipped on several loads has one ASN per load. When the two are
	// over the 856's 30 characters (BSN02), the order id alone.
	ShipmentID string
	Shipped    time.Time
	Cartons    []asnCarton
	Grams      int // gross weight of the cartons
}

// asnCarton is one carton that went on the load.
type asnCarton struct {
	SSCC  string
	Grams int
	Items []asnItem
}

// asnItem is one order line in a carton, split by lot: a lot-tracked line
// with two lots in the carton is two items; a serial-tracked line is one
// item with its serials.
type asnItem struct {
	Line        int
	SKU, GTIN   string
	Description string
	Qty         int
	Lot         string
	Serials     []string
}

// inputErr makes an error wrapping ErrInput.
func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// checkControls refuses control numbers outside 1…MaxControl.
func checkControls(c Controls) error {
	for _, n := range []struct {
		name string
		v    int64
	}{{"interchange", c.Interchange}, {"group", c.Group}, {"set", c.Set}} {
		if n.v < 1 || n.v > MaxControl {
			return inputErr("%s control number %d is not in 1…%d", n.name, n.v, MaxControl)
		}
	}
	return nil
}

// checkSCAC refuses a carrier without a 2- to 4-letter SCAC.
func checkSCAC(c domain.Carrier) error {
	s := c.SCAC
	if len(s) < 2 || len(s) > 4 || strings.IndexFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return inputErr("carrier %q has SCAC %q: want 2 to 4 capital letters", c.Code, s)
	}
	return nil
}

// checkClosed refuses a load that is not closed.
func checkClosed(l domain.Load) error {
	switch {
	case strings.TrimSpace(l.ID) == "":
		return inputErr("the load has no id")
	case l.Status != domain.LoadStatusClosed:
		return inputErr("load %s is %s, not closed", l.ID, l.Status)
	case l.ClosedAt.IsZero():
		return inputErr("load %s has no closing time", l.ID)
	}
	return nil
}

// loadedCartons are the shipment's cartons that went on the load, in the
// shipment's order (carton N of Of). A carton left short is not among them.
func loadedCartons(l domain.Load, s Shipment) []domain.PackCarton {
	on := map[string]bool{}
	for _, c := range l.Loaded {
		if c.OrderID == s.Order.ID {
			on[c.SSCC] = true
		}
	}
	var out []domain.PackCarton
	for _, c := range s.Shipment.Cartons {
		if on[c.SSCC] {
			out = append(out, c)
		}
	}
	return out
}

// prepareASN checks what both ASN formats need and lays the shipment out.
func prepareASN(a ASN) (asnDoc, error) {
	if err := checkControls(a.Controls); err != nil {
		return asnDoc{}, err
	}
	if err := checkClosed(a.Load); err != nil {
		return asnDoc{}, err
	}
	if err := checkSCAC(a.Carrier); err != nil {
		return asnDoc{}, err
	}
	if a.IssuedAt.IsZero() {
		return asnDoc{}, inputErr("the ASN has no issue time")
	}
	o := a.Shipment.Order
	switch {
	case strings.TrimSpace(o.ID) == "":
		return asnDoc{}, inputErr("the shipment's order has no id")
	case strings.TrimSpace(a.ShipFrom.Name) == "":
		return asnDoc{}, inputErr("the ship-from has no name")
	case strings.TrimSpace(o.ShipTo.Name) == "":
		return asnDoc{}, inputErr("order %s: the ship-to has no name", o.ID)
	case strings.TrimSpace(o.PO) == "":
		return asnDoc{}, inputErr("order %s has no PO", o.ID)
	case a.Shipment.Shipment.OrderID != "" && a.Shipment.Shipment.OrderID != o.ID:
		return asnDoc{}, inputErr("shipment of order %s given for order %s", a.Shipment.Shipment.OrderID, o.ID)
	case !slices.ContainsFunc(a.Load.Loaded, func(c domain.LoadedCarton) bool { return c.OrderID == o.ID }):
		return asnDoc{}, inputErr("order %s has no carton on load %s", o.ID, a.Load.ID)
	}
	doc := asnDoc{ShipmentID: a.Load.ID + "-" + o.ID, Shipped: a.Load.ClosedAt.UTC()}
	if len(doc.ShipmentID) > maxShipmentID {
		doc.ShipmentID = o.ID
	}
	for _, c := range loadedCartons(a.Load, a.Shipment) {
		ac, err := prepareCarton(c, a.Shipment.Items)
		if err != nil {
			return asnDoc{}, err
		}
		doc.Cartons = append(doc.Cartons, ac)
		doc.Grams += ac.Grams
	}
	if len(doc.Cartons) == 0 {
		return asnDoc{}, inputErr("order %s: no carton of the shipment is among the load's", o.ID)
	}
	return doc, nil
}

// prepareCarton checks one carton and splits its contents into items.
func prepareCarton(c domain.PackCarton, items map[string]domain.Item) (asnCarton, error) {
	sscc, err := label.NormalizeSSCC(c.SSCC)
	if err != nil {
		return asnCarton{}, fmt.Errorf("%w: %w", ErrInput, err)
	}
	if c.WeightGrams < 0 || c.WeightGrams > maxGrams {
		return asnCarton{}, inputErr("carton %s weighs %d g", sscc, c.WeightGrams)
	}
	if len(c.Contents) == 0 {
		return asnCarton{}, inputErr("carton %s is empty", sscc)
	}
	out := asnCarton{SSCC: sscc, Grams: c.WeightGrams}
	for _, cc := range c.Contents {
		its, err := prepareContent(sscc, cc, items)
		if err != nil {
			return asnCarton{}, err
		}
		out.Items = append(out.Items, its...)
	}
	return out, nil
}

// maxGrams bounds a weight: 100 t, far above any carton or trailer.
const maxGrams = 100_000_000

// maxQty bounds a quantity to what every format's numeric element holds.
const maxQty = 99_999_999

// prepareContent checks one order line of a carton against the item
// master and splits it by lot.
func prepareContent(sscc string, cc domain.CartonContent, items map[string]domain.Item) ([]asnItem, error) {
	it, ok := items[cc.SKU]
	if !ok {
		return nil, inputErr("carton %s: SKU %q is not in the item master given", sscc, cc.SKU)
	}
	gtin, ok := barcode.NormalizeGTIN(it.GTIN)
	if !ok {
		return nil, inputErr("SKU %s has GTIN %q", cc.SKU, it.GTIN)
	}
	if cc.Qty < 1 || cc.Qty > maxQty || cc.Line < 1 || cc.Line > maxQty {
		return nil, inputErr("carton %s: line %d of SKU %s has quantity %d", sscc, cc.Line, cc.SKU, cc.Qty)
	}
	base := asnItem{Line: cc.Line, SKU: cc.SKU, GTIN: gtin, Description: it.Description, Qty: cc.Qty}
	switch {
	case it.Tracking == domain.TrackLot && len(cc.Lots) == 0:
		return nil, inputErr("carton %s: lot-tracked SKU %s has no lot", sscc, cc.SKU)
	case it.Tracking == domain.TrackSerial && len(cc.Serials) != cc.Qty:
		return nil, inputErr("carton %s: serial-tracked SKU %s ships %d with %d serials", sscc, cc.SKU, cc.Qty, len(cc.Serials))
	case len(cc.Serials) > 0 && len(cc.Serials) != cc.Qty:
		return nil, inputErr("carton %s: SKU %s ships %d with %d serials", sscc, cc.SKU, cc.Qty, len(cc.Serials))
	case len(cc.Serials) > 0 && len(cc.Lots) > 0:
		return nil, inputErr("carton %s: SKU %s has both lots and serials", sscc, cc.SKU)
	}
	if len(cc.Lots) == 0 {
		base.Serials = cc.Serials
		return []asnItem{base}, nil
	}
	var out []asnItem
	sum := 0
	for _, l := range cc.Lots {
		if l.Qty < 1 || l.Qty > cc.Qty || strings.TrimSpace(l.Lot) == "" {
			return nil, inputErr("carton %s: SKU %s lot %q quantity %d", sscc, cc.SKU, l.Lot, l.Qty)
		}
		sum += l.Qty
		lot := base
		lot.Lot, lot.Qty = l.Lot, l.Qty
		out = append(out, lot)
	}
	if sum != cc.Qty {
		return nil, inputErr("carton %s: SKU %s ships %d but its lots hold %d", sscc, cc.SKU, cc.Qty, sum)
	}
	return out, nil
}

// pounds is grams in pounds (1 lb = 453.59237 g) with two decimals, the
// trailing zeros dropped.
func pounds(grams int) string {
	return trimZeros(strconv.FormatFloat(float64(grams)/453.59237, 'f', 2, 64))
}

// kilograms is grams in kilograms with up to three decimals.
func kilograms(grams int) string {
	return trimZeros(fmt.Sprintf("%d.%03d", grams/1000, grams%1000))
}

// trimZeros drops a decimal number's trailing zeros (and a bare point).
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// maxShipmentID is the longest shipment id both ASNs carry: the 856's
// BSN02 takes 30 characters (the DESADV's BGM 35).
const maxShipmentID = 30
