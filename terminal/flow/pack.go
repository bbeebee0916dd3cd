package flow

import (
	"fmt"
	"slices"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// PackStep is where a pack is.
type PackStep string

// Pack steps.
const (
	PackStepOrder     PackStep = "pack-order"     // scan a tote or an order
	PackStepItems     PackStep = "pack-items"     // scan items into the open carton
	PackStepLot       PackStep = "pack-lot"       // scan or key the lot of the unit scanned
	PackStepSerial    PackStep = "pack-serial"    // scan or key the serial of the unit scanned
	PackStepShort     PackStep = "pack-short"     // choose the line missing from the tote
	PackStepCarton    PackStep = "pack-carton"    // take the suggested carton or scan another
	PackStepWeigh     PackStep = "pack-weigh"     // put the carton on the scale (or key its weight)
	PackStepAudit     PackStep = "pack-audit"     // weight out of tolerance: recount, weigh again, exception lane
	PackStepException PackStep = "pack-exception" // choose why the order goes to the exception lane
	PackStepSSCC      PackStep = "pack-sscc"      // no SSCC could be had: Enter tries again
	PackStepConfirm   PackStep = "pack-confirm"   // all packed and labelled: confirm the shipment
	PackStepReprint   PackStep = "pack-reprint"   // choose the carton whose labels to print again
	PackStepUnpack    PackStep = "pack-unpack"    // choose the closed carton to open again
	PackStepTakeOut   PackStep = "pack-take-out"  // scan the unit to take out of the open carton
	PackStepDone      PackStep = "pack-done"      // shipped or held: Enter for the next order
)

// Pack station actions, besides ActShort, ActBack and ActAck.
const (
	ActClose   Action = "close"    // close the open carton
	ActUnpack  Action = "unpack"   // open a closed carton again (before ship confirm)
	ActReprint Action = "reprint"  // print one carton's labels again
	ActTakeOut Action = "take-out" // take a unit out of the open carton
)

// SSCCAllocator hands out SSCCs (18 digits: extension digit, GS1 company
// prefix, serial reference, check digit), each one once, also offline and
// across crashes. The device's
// implementation draws on blocks of serial references reserved from the
// hub.
type SSCCAllocator interface {
	NextSSCC() (string, error)
}

// PackConfig is the pack station's part of the site configuration.
type PackConfig struct {
	CartonTypes []domain.CartonType `json:"carton_types"`
	// FillFactor is the share of a carton's volume items may fill; 0:
	// domain.DefaultFillFactor.
	FillFactor float64 `json:"fill_factor,omitempty"`
	// Tolerance is how far a carton's weight may be off; zero: 50 g or 5%.
	Tolerance domain.WeightTolerance `json:"tolerance"`
	// Scale says a scale is configured: weights come from it (InWeight).
	// Without one the packer keys the weight, and the carton is marked
	// manual.
	Scale bool `json:"scale,omitempty"`
	// ManualUnit is the unit of a keyed weight without one, and the unit
	// the weigh prompt shows; default g. A bare number is in this unit.
	ManualUnit domain.WeightUnit `json:"manual_unit,omitempty"`
	// ScaleMaxGrams is the scale's range (its capacity): a weight above it,
	// read or keyed, is refused. 0: no range known.
	ScaleMaxGrams int `json:"scale_max_g,omitempty"`
}

// PackWork is what the session found for a scanned tote or order.
type PackWork struct {
	Order domain.Order
	Tote  string
	// Picked is what picking confirmed for the order's lines (quantities,
	// lots, serials). Lines without a record are expected in full, less
	// what the hub already knows is short.
	Picked []domain.PickLine
	Items  []domain.Item // every item on the order
	// Held are the closed cartons of the order's held shipment
	// (api.PackWorkResponse.HeldCartons): the pack resumes with them.
	Held []domain.PackCarton
	// Carrier names the order's carrier on the labels; Order.Service its
	// service. Empty: the station's own.
	Carrier string
}

// PackLine is one order line at the pack station.
type PackLine struct {
	Line     int    `json:"line"`
	SKU      string `json:"sku"`
	Ordered  int    `json:"ordered"`
	Expected int    `json:"expected"` // picked into the tote: what should be packed
	Packed   int    `json:"packed"`   // in cartons, closed or open
	Short    int    `json:"short"`    // recorded missing at the pack station
	// PickedLots and PickedSerials are what picking recorded; when known,
	// a lot or serial scanned at packing must be one of them.
	PickedLots    []string `json:"picked_lots,omitempty"`
	PickedSerials []string `json:"picked_serials,omitempty"`
}

// Remaining is how many units are still to pack.
func (l PackLine) Remaining() int { return max(l.Expected-l.Packed-l.Short, 0) }

// Carton is a carton at the pack station: the open one, or a closed one.
type Carton struct {
	Contents      []domain.CartonContent `json:"contents,omitempty"`
	Type          string                 `json:"type,omitempty"` // carton type code, once chosen
	Suggested     string                 `json:"suggested,omitempty"`
	WeightGrams   int                    `json:"weight_g,omitempty"`
	ExpectedGrams int                    `json:"expected_g,omitempty"`
	Manual        bool                   `json:"manual,omitempty"`
	SSCC          string                 `json:"sscc,omitempty"`
}

// Units counts the units in the carton.
func (c Carton) Units() int {
	n := 0
	for _, ct := range c.Contents {
		n += ct.Qty
	}
	return n
}

// Pack is the device-side state of one order at a pack station. Like Pick
// it is plain data, saved as JSON after every change.
type Pack struct {
	Config       PackConfig             `json:"config"`
	UserID       string                 `json:"user_id"`
	OrderID      string                 `json:"order_id,omitempty"`
	Customer     string                 `json:"customer,omitempty"`
	ShipTo       domain.Address         `json:"ship_to"`
	ShipComplete bool                   `json:"ship_complete,omitempty"`
	Carrier      string                 `json:"carrier,omitempty"` // the order's carrier and service, for the labels; empty: the station's
	Service      string                 `json:"service,omitempty"`
	Tote         string                 `json:"tote,omitempty"`
	Lines        []PackLine             `json:"lines,omitempty"`
	Items        map[string]domain.Item `json:"items,omitempty"`   // by SKU
	Cartons      []Carton               `json:"cartons,omitempty"` // closed, in order
	Open         Carton                 `json:"open"`              // the carton being packed
	Of           int                    `json:"of,omitempty"`      // the carton count, once the order is complete
	Step         PackStep               `json:"step"`
	Cur          int                    `json:"cur"`               // the line of the unit awaiting its lot or serial
	Looking      *PackLookup            `json:"looking,omitempty"` // asked the session for the order
	Problem      *Problem               `json:"problem,omitempty"`
	// Holding is a hold waiting for the open carton to be closed (carton,
	// weight, SSCC) before the order leaves; Held is why it left, once held.
	Holding    domain.HoldReason  `json:"holding,omitempty"`
	Held       domain.HoldReason  `json:"held,omitempty"`
	InvoiceRef *domain.InvoiceRef `json:"invoice_ref,omitempty"` // the commercial invoice printed (SetInvoice)
}

// PackLookup asks the session to find the order for a tote or an order
// number and hand it to Start.
type PackLookup struct {
	Tote    string `json:"tote,omitempty"`
	OrderID string `json:"order_id,omitempty"`
}

// LabelKind is one of the three labels of a carton.
type LabelKind string

// Carton labels, printed in this order.
const (
	LabelSSCC        LabelKind = "sscc"
	LabelShipping    LabelKind = "shipping"
	LabelPackingList LabelKind = "packing-list"
)

// PrintJob asks the session to print one label through the print spool.
// It carries everything the label shows.
type PrintJob struct {
	Label    LabelKind
	Carton   domain.PackCarton // SSCC, contents, weight, carton N of Of
	Customer string
	ShipTo   domain.Address
}

// NewPack starts a pack station session for user: the first step is a tote
// or order scan.
func NewPack(cfg PackConfig, userID string) *Pack {
	if cfg.Tolerance == (domain.WeightTolerance{}) {
		cfg.Tolerance = domain.WeightTolerance{Grams: domain.DefaultToleranceGrams, Percent: domain.DefaultTolerancePercent}
	}
	if cfg.FillFactor <= 0 {
		cfg.FillFactor = domain.DefaultFillFactor
	}
	if cfg.ManualUnit == "" {
		cfg.ManualUnit = domain.UnitG
	}
	return &Pack{Config: cfg, UserID: userID, Step: PackStepOrder}
}

// Start takes the order the session found for the PackLookup. Work the
// flow cannot pack (an item missing, nothing on the order) is a problem to
// acknowledge, and the station waits for the next scan.
func (p *Pack) Start(w PackWork, at time.Time) Outcome {
	p.Looking = nil
	if p.Step != PackStepOrder {
		return Outcome{}
	}
	lines, items, err := packLines(w)
	if err != nil {
		return p.problem(&Problem{Title: "CANNOT PACK", Detail: err.Error()})
	}
	held, err := heldCartons(w.Held, lines)
	if err != nil {
		return p.problem(&Problem{Title: "CANNOT PACK", Detail: err.Error()})
	}
	p.OrderID, p.Customer, p.ShipTo, p.ShipComplete = w.Order.ID, w.Order.Customer, w.Order.ShipTo, w.Order.ShipComplete
	p.Carrier, p.Service = w.Carrier, w.Order.Service
	p.Tote, p.Lines, p.Items = w.Tote, lines, items
	p.Cartons, p.Open, p.Of, p.Holding, p.Held = held, Carton{}, 0, "", ""
	started := domain.PackStarted{OrderID: p.OrderID, Tote: p.Tote}
	for _, c := range held {
		started.Resume, started.Kept = true, append(started.Kept, c.SSCC)
	}
	o := Outcome{Changed: true, Events: []domain.Draft{domain.NewDraft(domain.EventPackStarted, at, p.UserID, started)}}
	if len(held) > 0 {
		p.Step = PackStepItems
		o = o.then(p.problem(&Problem{Title: "PACK RESUMED", Detail: fmt.Sprintf(
			"%s was held with %d closed carton(s); they are kept. Pack the rest; every carton's labels print again when the order is complete.", p.OrderID, len(held))}))
		if p.remaining() == 0 {
			o = o.then(p.complete(at))
		}
		return o
	}
	if p.ShipComplete && p.pickShort() {
		return o.then(p.hold(domain.HoldShipComplete, at))
	}
	if p.remaining() == 0 {
		return o.then(p.hold(domain.HoldNothingToPack, at))
	}
	p.Step = PackStepItems
	return o
}

// packLines builds the lines to pack from an order and what was picked.
func packLines(w PackWork) ([]PackLine, map[string]domain.Item, error) {
	items := map[string]domain.Item{}
	for _, it := range w.Items {
		items[it.SKU] = it
	}
	var lines []PackLine
	for _, ol := range w.Order.Lines {
		if _, ok := items[ol.SKU]; !ok {
			return nil, nil, fmt.Errorf("order %s line %d: item %s unknown", w.Order.ID, ol.Line, ol.SKU)
		}
		if ol.Qty <= 0 {
			return nil, nil, fmt.Errorf("order %s line %d: quantity %d", w.Order.ID, ol.Line, ol.Qty)
		}
		l := PackLine{Line: ol.Line, SKU: ol.SKU, Ordered: ol.Qty, Expected: ol.Qty - ol.Short}
		picked := false
		for _, pl := range w.Picked {
			if pl.Line != ol.Line || pl.SKU != ol.SKU {
				continue
			}
			if !picked {
				l.Expected, picked = 0, true
			}
			l.Expected += pl.Picked
			for _, lq := range pl.Lots {
				l.PickedLots = append(l.PickedLots, lq.Lot)
			}
			l.PickedSerials = append(l.PickedSerials, pl.Serials...)
		}
		l.Expected = min(max(l.Expected, 0), l.Ordered)
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return nil, nil, fmt.Errorf("order %s has no lines", w.Order.ID)
	}
	return lines, items, nil
}

// heldCartons turns a held shipment's closed cartons back into the
// station's, counting their units as packed on lines.
func heldCartons(held []domain.PackCarton, lines []PackLine) ([]Carton, error) {
	var out []Carton
	for _, pc := range held {
		for _, ct := range pc.Contents {
			i := slices.IndexFunc(lines, func(l PackLine) bool { return l.Line == ct.Line && l.SKU == ct.SKU })
			if i < 0 || ct.Qty <= 0 || lines[i].Packed+ct.Qty > lines[i].Ordered {
				return nil, fmt.Errorf("held carton %s: %d of line %d %s do not fit the order", pc.SSCC, ct.Qty, ct.Line, ct.SKU)
			}
			lines[i].Packed += ct.Qty
			lines[i].Expected = max(lines[i].Expected, lines[i].Packed)
		}
		out = append(out, Carton{Contents: pc.Contents, Type: pc.CartonType, WeightGrams: pc.WeightGrams,
			ExpectedGrams: pc.ExpectedGrams, Manual: pc.ManualWeight, SSCC: pc.SSCC})
	}
	return out, nil
}

// Handle takes one input and returns what it did. rules classify scans;
// sscc gives each closed carton its SSCC.
func (p *Pack) Handle(env Env, in Input) Outcome {
	rules, sscc := env.Rules, env.SSCCs
	if p.Problem != nil {
		switch {
		case isAck(in):
			p.Problem = nil
			return Outcome{Changed: true}
		case in.Kind == InWeight:
			return Outcome{} // the scale talks on its own: not the packer's doing
		}
		return Outcome{Refused: true}
	}
	switch in.Kind {
	case InAction:
		return p.action(in)
	case InScan:
		c := rules.Classify(in.Scan)
		if p.Step == PackStepWeigh && !p.Config.Scale && c.Kind == barcode.KindUnknown {
			if _, _, err := domain.ParseWeightText(c.Code, p.Config.ManualUnit); err == nil {
				// A weight keyed so fast (a terminal client sending the line
				// whole) that it came as a scan: still a keyed weight.
				return p.keyedWeight(c.Code, sscc, in.At)
			}
		}
		return p.scan(c, in)
	case InText:
		return p.text(rules, sscc, in)
	case InWeight:
		return p.weight(in, sscc)
	}
	return Outcome{}
}

// problem raises a problem to acknowledge.
func (p *Pack) problem(pr *Problem) Outcome {
	p.Problem = pr
	return Outcome{Problem: pr, Changed: true}
}

// remaining counts the units still to pack on every line.
func (p *Pack) remaining() int {
	n := 0
	for _, l := range p.Lines {
		n += l.Remaining()
	}
	return n
}

// pickShort reports whether picking left any line short.
func (p *Pack) pickShort() bool {
	for _, l := range p.Lines {
		if l.Expected < l.Ordered {
			return true
		}
	}
	return false
}

// Finished reports whether the order has left the station (shipped or held).
func (p *Pack) Finished() bool { return p.Step == PackStepDone }
