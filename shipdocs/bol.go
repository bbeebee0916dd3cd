package shipdocs

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/domain"
)

// FreightTerms says who pays the freight on the bill of lading.
type FreightTerms string

// Freight charge terms. The zero value is prepaid.
const (
	FreightPrepaid    FreightTerms = ""
	FreightCollect    FreightTerms = "collect"
	FreightThirdParty FreightTerms = "third_party"
)

// label is how the terms print.
func (t FreightTerms) label() (string, bool) {
	switch t {
	case FreightPrepaid, "prepaid":
		return "Prepaid", true
	case FreightCollect:
		return "Collect", true
	case FreightThirdParty:
		return "3rd Party", true
	}
	return "", false
}

// bolDoc is a load's bill of lading, checked and totalled, as both the PDF
// and the summary label print it.
type bolDoc struct {
	LoadID, Trailer, Seal, PRO, Door string
	Closed                           time.Time
	Carrier                          domain.Carrier
	Shipper                          domain.Address
	Terms                            string
	Orders                           []bolOrder // by order id
	Classes                          []bolClass // by freight class, unclassified last
	Short                            []domain.ShortCarton
	Cartons, Grams                   int
}

// bolOrder is one line of the customer order information.
type bolOrder struct {
	OrderID, PO    string
	Consignee      domain.Address
	Cartons, Grams int
}

// bolClass is one line of the carrier information: the cartons of one NMFC
// freight class. A carton takes the class of its heaviest item (unit
// weight × quantity from the item master); a carton whose items give no
// class is in the line with an empty Class.
type bolClass struct {
	Class          string
	Cartons, Grams int
	Hazmat         bool
	Commodities    []string // the item descriptions, sorted
}

// prepareBOL checks the papers and totals them.
func prepareBOL(p LoadPapers) (bolDoc, error) {
	if err := checkClosed(p.Load); err != nil {
		return bolDoc{}, err
	}
	if err := checkSCAC(p.Carrier); err != nil {
		return bolDoc{}, err
	}
	if strings.TrimSpace(p.Shipper.Name) == "" {
		return bolDoc{}, inputErr("the shipper has no name")
	}
	if len(p.Load.Loaded) == 0 {
		return bolDoc{}, inputErr("load %s has no carton loaded", p.Load.ID)
	}
	terms, ok := p.FreightTerms.label()
	if !ok {
		return bolDoc{}, inputErr("freight terms %q", p.FreightTerms)
	}
	d := bolDoc{
		LoadID: p.Load.ID, Trailer: p.Load.Trailer, Seal: p.Load.Seal, PRO: p.Load.PRO, Door: p.Load.Door,
		Closed: p.Load.ClosedAt.UTC(), Carrier: p.Carrier, Shipper: p.Shipper, Terms: terms, Short: p.Load.Short,
	}
	classes := map[string]*bolClass{}
	orders := map[string]*bolOrder{}
	for _, s := range p.Shipments {
		cartons := loadedCartons(p.Load, s)
		if len(cartons) == 0 {
			continue
		}
		o := &bolOrder{OrderID: s.Order.ID, PO: s.Order.PO, Consignee: s.Order.ShipTo}
		for _, c := range cartons {
			if c.WeightGrams < 0 || c.WeightGrams > maxGrams {
				return bolDoc{}, inputErr("carton %s weighs %d g", c.SSCC, c.WeightGrams)
			}
			o.Cartons++
			o.Grams += c.WeightGrams
			addToClass(classes, c, s.Items)
		}
		orders[o.OrderID] = o
		d.Cartons += o.Cartons
		d.Grams += o.Grams
	}
	for _, l := range p.Load.Loaded {
		if _, ok := orders[l.OrderID]; !ok {
			return bolDoc{}, inputErr("carton %s of order %s is loaded but its shipment is not given", l.SSCC, l.OrderID)
		}
	}
	if d.Cartons != len(p.Load.Loaded) {
		return bolDoc{}, inputErr("load %s lists %d cartons loaded, the shipments hold %d of them", p.Load.ID, len(p.Load.Loaded), d.Cartons)
	}
	if d.Grams > maxGrams {
		return bolDoc{}, inputErr("load %s weighs %d g", p.Load.ID, d.Grams)
	}
	for _, o := range orders {
		d.Orders = append(d.Orders, *o)
	}
	sort.Slice(d.Orders, func(i, j int) bool { return d.Orders[i].OrderID < d.Orders[j].OrderID })
	for _, c := range classes {
		sort.Strings(c.Commodities)
		d.Classes = append(d.Classes, *c)
	}
	sort.Slice(d.Classes, func(i, j int) bool { return classLess(d.Classes[i].Class, d.Classes[j].Class) })
	return d, nil
}

// addToClass counts carton c in the class of its heaviest item.
func addToClass(classes map[string]*bolClass, c domain.PackCarton, items map[string]domain.Item) {
	class, heaviest, hazmat := "", -1, false
	var descs []string
	for _, cc := range c.Contents {
		it := items[cc.SKU]
		if w := it.WeightGrams * cc.Qty; w > heaviest && it.FreightClass != "" {
			class, heaviest = it.FreightClass, w
		}
		hazmat = hazmat || it.Handling == "hazmat"
		descs = append(descs, firstNonEmpty(it.Description, cc.SKU))
	}
	bc := classes[class]
	if bc == nil {
		bc = &bolClass{Class: class}
		classes[class] = bc
	}
	bc.Cartons++
	bc.Grams += c.WeightGrams
	bc.Hazmat = bc.Hazmat || hazmat
	for _, s := range descs {
		if !slices.Contains(bc.Commodities, s) {
			bc.Commodities = append(bc.Commodities, s)
		}
	}
}

// classLess orders NMFC classes by number ("55" before "100", "77.5"
// before "85"), the unclassified line last.
func classLess(a, b string) bool {
	switch {
	case a == "":
		return false
	case b == "":
		return true
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil && fa != fb {
		return fa < fb
	}
	return a < b
}
