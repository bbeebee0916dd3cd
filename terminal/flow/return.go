package flow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// Steps of receiving a return.
const (
	StepRMA         Step = "rma"         // scan the RMA number or the return label
	StepCondition   Step = "condition"   // choose the unit's condition
	StepDisposition Step = "disposition" // choose where the unit goes
	StepPutaway     Step = "putaway"     // scan the location a restocked unit goes to
)

// RouteLabel asks the session to print a label for a returned unit that is
// not restocked, so it goes where its disposition says (refurbishment, scrap,
// quarantine, back to the vendor).
type RouteLabel struct {
	RMA         string             `json:"rma"`
	OrderID     string             `json:"order_id"`
	Customer    string             `json:"customer"`
	SKU         string             `json:"sku,omitempty"` // empty for an unknown item
	Description string             `json:"description,omitempty"`
	Code        string             `json:"code,omitempty"` // the scanned barcode of an unknown item
	Serial      string             `json:"serial,omitempty"`
	Lot         string             `json:"lot,omitempty"`
	Qty         int                `json:"qty"`
	Condition   domain.Condition   `json:"condition"`
	Disposition domain.Disposition `json:"disposition"`
	Expected    bool               `json:"expected"` // on the RMA; false for an unexpected item
}

// Return is the device-side state of receiving returns. It is plain data (the
// session saves it as JSON after every step) and holds the open RMAs it was
// started with, so a return can be received offline.
type Return struct {
	UserID string                     `json:"user_id"`
	RMAs   map[string]domain.RMA      `json:"rmas"`          // by number
	Labels map[string]string          `json:"labels"`        // return label -> RMA number
	Items  map[string]domain.Item     `json:"items"`         // by SKU
	Places map[string]domain.Location `json:"places"`        // put-away locations by code; empty: any location scan
	RMA    string                     `json:"rma,omitempty"` // the RMA being received
	Step   Step                       `json:"step"`
	Cur    *domain.ReturnedUnit       `json:"cur,omitempty"` // the unit being received
	Units  []domain.ReturnedUnit      `json:"units"`         // received so far, one per unit
	// Problem waits for acknowledgement.
	Problem *Problem `json:"problem,omitempty"`
	// Then is the step a problem about the unit leads to once acknowledged.
	Then Step `json:"then,omitempty"`
}

// NewReturn starts receiving returns against the open RMAs the session holds.
func NewReturn(rmas []domain.RMA, items []domain.Item, locations []domain.Location, userID string) (*Return, error) {
	r := &Return{UserID: userID, RMAs: map[string]domain.RMA{}, Labels: map[string]string{}, Items: map[string]domain.Item{},
		Places: map[string]domain.Location{}, Step: StepRMA, Units: []domain.ReturnedUnit{}}
	for _, it := range items {
		r.Items[it.SKU] = it
	}
	for _, l := range locations {
		r.Places[l.Code] = l
	}
	for _, m := range rmas {
		for _, l := range m.Lines {
			if _, ok := r.Items[l.SKU]; !ok {
				return nil, fmt.Errorf("rma %s line %d: item %s not in the item rows", m.Number, l.Line, l.SKU)
			}
		}
		r.RMAs[m.Number] = m
		if m.Label != "" {
			r.Labels[m.Label] = m.Number
		}
	}
	return r, nil
}

// Finished reports whether the return is received and sent.
func (r *Return) Finished() bool { return r.Step == StepDone }

func (r *Return) rma() domain.RMA { return r.RMAs[r.RMA] }

// Handle takes one input and returns what it did. rules classify scans.
func (r *Return) Handle(env Env, in Input) Outcome {
	waited := r.Problem != nil
	o := dispatch(&r.Problem, env, in, r.action,
		func(s barcode.Classified, _ Input) Outcome { return r.scan(s) },
		func(in Input) Outcome { return r.text(env.Rules, in) })
	if waited && r.Problem == nil && r.Then != "" { // acknowledged: on to the step the problem leads to
		r.Step, r.Then = r.Then, ""
	}
	return o
}

func problem(title, format string, args ...any) Outcome {
	return Outcome{Problem: &Problem{Title: title, Detail: fmt.Sprintf(format, args...)}}
}

func changed() Outcome { return Outcome{Changed: true} }

func (r *Return) action(in Input) Outcome {
	if !slices.Contains(r.actions(), in.Action) {
		return Outcome{}
	}
	switch in.Action {
	case ActBack:
		if r.Step == StepItem {
			r.RMA, r.Step = "", StepRMA
		} else {
			r.Cur, r.Step = nil, StepItem // the unit in hand is not received
		}
	case ActUndo:
		r.Units = r.Units[:len(r.Units)-1]
	case ActSubmit:
		if len(r.Units) == 0 {
			return problem("NOTHING RECEIVED", "Scan the returned items first, or go back.")
		}
		return r.submit(in.At)
	}
	return changed()
}

func (r *Return) text(rules *barcode.Rules, in Input) Outcome {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "" && r.Step == StepDone:
		return Outcome{Done: true}
	case text == "":
		return Outcome{}
	case r.Step == StepCondition || r.Step == StepDisposition:
		return r.choose(text)
	}
	return r.scan(rules.Classify(barcode.Keyed(text, in.At)))
}

// choose takes a menu choice, keyed or scanned from a menu sheet.
func (r *Return) choose(text string) Outcome {
	n, err := strconv.Atoi(text)
	if r.Step == StepCondition {
		conds := domain.Conditions()
		if err != nil || n < 1 || n > len(conds) {
			return problem("CHOOSE CONDITION", "Key 1 to %d.", len(conds))
		}
		r.Cur.Condition, r.Step = conds[n-1], StepDisposition
		return changed()
	}
	disps := domain.Dispositions()
	if err != nil || n < 1 || n > len(disps) {
		return problem("CHOOSE DISPOSITION", "Key 1 to %d.", len(disps))
	}
	return r.dispose(disps[n-1])
}

// lookup finds an open RMA by number or return label.
func (r *Return) lookup(code string) (domain.RMA, bool) {
	if n, ok := r.Labels[code]; ok {
		code = n
	}
	m, ok := r.RMAs[code]
	return m, ok
}

func (r *Return) scan(s barcode.Classified) Outcome {
	if s.Err != nil {
		return problem("BAD BARCODE", "%v. Rescan, or key it.", s.Err)
	}
	switch r.Step {
	case StepRMA:
		m, ok := r.lookup(s.Code)
		if !ok {
			return problem("UNKNOWN RMA", "Scanned %s. Scan an open RMA number or return label; a new RMA needs the hub.", s.Code)
		}
		r.RMA, r.Step = m.Number, StepItem
		return changed()
	case StepItem:
		return r.itemScan(s)
	case StepSerial:
		if s.Kind != barcode.KindUnknown && s.Serial == "" {
			return problem("NOT A SERIAL", "Scanned %s (%s). Scan or key the serial.", s.Code, s.Kind)
		}
		serial := s.Serial
		if serial == "" {
			serial = s.Code
		}
		return r.serial(serial)
	case StepPutaway:
		if s.Kind != barcode.KindLocation {
			return problem("SCAN LOCATION", "Scanned %s. Scan the put-away location.", s.Code)
		}
		if _, ok := r.Places[s.Code]; len(r.Places) > 0 && !ok {
			return problem("UNKNOWN LOCATION", "%s is not a location of this site.", s.Code)
		}
		r.Cur.Location = s.Code
		return r.record(nil)
	case StepCondition, StepDisposition:
		if isDigits(s.Code) && len(s.Code) <= 2 {
			return r.choose(s.Code)
		}
		return problem("CHOOSE FROM MENU", "Key the number of the %s.", r.Step)
	}
	return problem("RETURN SENT", "Press Enter.")
}

func (r *Return) itemScan(s barcode.Classified) Outcome {
	if _, ok := r.lookup(s.Code); ok {
		s.Kind = barcode.KindRMA
	}
	switch s.Kind {
	case barcode.KindUnknown, barcode.KindGTIN, barcode.KindGS1:
	case barcode.KindRMA:
		return problem("FINISH FIRST", "Submit %s before the next RMA.", r.RMA)
	default:
		return problem("NOT AN ITEM", "Scanned %s (%s). Scan a returned item.", s.Code, s.Kind)
	}
	var it domain.Item
	found := false
	for _, cand := range r.Items {
		if itemMatches(s, cand) {
			it, found = cand, true
			break
		}
	}
	if !found {
		code := s.Code
		if s.GTIN != "" {
			code = s.GTIN
		}
		r.Cur = &domain.ReturnedUnit{Code: code, Qty: 1}
		return r.unexpected("UNKNOWN ITEM", "%s is not an item of this site. Recorded for review.", code)
	}
	r.Cur = &domain.ReturnedUnit{SKU: it.SKU, Lot: s.Lot, Qty: 1}
	line, ok := r.openLine(it.SKU)
	if !ok {
		if slices.ContainsFunc(r.rma().Lines, func(l domain.RMALine) bool { return l.SKU == it.SKU }) {
			return r.unexpected("TOO MANY", "%s %s: every unit on %s is received. Recorded as unexpected.", it.SKU, it.Description, r.RMA)
		}
		return r.unexpected("NOT ON RMA", "%s %s is an item of this site, not on %s. Recorded as unexpected.", it.SKU, it.Description, r.RMA)
	}
	r.Cur.Line = line.Line
	if it.Tracking == domain.TrackSerial {
		if s.Serial == "" {
			r.Step = StepSerial
			return changed()
		}
		return r.serial(s.Serial)
	}
	r.Step = StepCondition
	return changed()
}

// openLine is the RMA line of sku with units still to come.
func (r *Return) openLine(sku string) (domain.RMALine, bool) {
	for _, l := range r.rma().Lines {
		if l.SKU == sku && r.received(l.Line) < l.Qty {
			return l, true
		}
	}
	return domain.RMALine{}, false
}

func (r *Return) received(line int) int {
	n := 0
	for _, u := range r.Units {
		if u.Line == line {
			n += u.Qty
		}
	}
	return n
}

// unexpected records the unit in hand as not on the RMA, says so, and goes on to its condition.
func (r *Return) unexpected(title, format string, args ...any) Outcome {
	r.Cur.Line = 0
	r.Then = StepCondition
	return problem(title, format, args...)
}

// serial checks a serial-tracked unit against the serials shipped on the order.
func (r *Return) serial(serial string) Outcome {
	r.Cur.Serial = serial
	if slices.ContainsFunc(r.Units, func(u domain.ReturnedUnit) bool { return u.SKU == r.Cur.SKU && u.Serial == serial }) {
		r.Cur.Serial, r.Step = "", StepSerial
		return problem("DUPLICATE SERIAL", "Serial %s is received already. Scan this unit's serial.", serial)
	}
	i := slices.IndexFunc(r.rma().Lines, func(l domain.RMALine) bool { return l.Line == r.Cur.Line })
	if i < 0 || !slices.Contains(r.rma().Lines[i].Serials, serial) {
		return r.unexpected("SERIAL NOT SHIPPED", "Serial %s was not shipped on %s. Recorded as unexpected.", serial, r.rma().OrderID)
	}
	r.Step = StepCondition
	return changed()
}

// dispose sets where the unit in hand goes.
func (r *Return) dispose(d domain.Disposition) Outcome {
	if d == domain.DispRestock {
		switch {
		case r.Cur.Condition == domain.CondDamaged:
			return problem("CANNOT RESTOCK", "A damaged unit cannot be restocked. Choose another disposition.")
		case r.Cur.SKU == "":
			return problem("CANNOT RESTOCK", "An unknown item cannot be restocked. Quarantine it.")
		}
		r.Cur.Disposition, r.Step = d, StepPutaway
		return changed()
	}
	r.Cur.Disposition = d
	lb := RouteLabel{RMA: r.RMA, OrderID: r.rma().OrderID, Customer: r.rma().Customer, SKU: r.Cur.SKU, Code: r.Cur.Code,
		Description: r.Items[r.Cur.SKU].Description, Serial: r.Cur.Serial, Lot: r.Cur.Lot, Qty: r.Cur.Qty,
		Condition: r.Cur.Condition, Disposition: d, Expected: r.Cur.Line > 0}
	return r.record([]RouteLabel{lb})
}

// record adds the unit in hand to the return.
func (r *Return) record(labels []RouteLabel) Outcome {
	r.Units = append(r.Units, *r.Cur)
	r.Cur, r.Step = nil, StepItem
	return Outcome{Changed: true, Labels: labels}
}

// submit sends the return to the hub, units alike summed.
func (r *Return) submit(at time.Time) Outcome {
	var units []domain.ReturnedUnit
	for _, u := range r.Units {
		i := slices.IndexFunc(units, func(o domain.ReturnedUnit) bool {
			q := o
			q.Qty = u.Qty
			return q == u && u.Serial == ""
		})
		if i < 0 {
			units = append(units, u)
			continue
		}
		units[i].Qty += u.Qty
	}
	ev := domain.NewDraft(domain.EventReturnReceived, at, r.UserID, domain.ReturnReceived{RMA: r.RMA, Units: units})
	r.Step = StepDone
	return Outcome{Events: []domain.Draft{ev}, Changed: true}
}
