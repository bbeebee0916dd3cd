package flow

import (
	"fmt"
	"maps"
	"slices"

	"github.com/rfterm/rfterm/domain"
)

// actions lists what the worker may ask for at the current step.
func (r *Return) actions() []Action {
	if r.Problem != nil {
		return []Action{ActAck}
	}
	switch r.Step {
	case StepItem:
		if len(r.Units) > 0 {
			return []Action{ActSubmit, ActUndo}
		}
		return []Action{ActSubmit, ActBack}
	case StepSerial, StepCondition, StepDisposition, StepPutaway:
		return []Action{ActBack}
	}
	return nil
}

// Prompt says what the screen shows now: the RMA's expected items with what
// has been received of each, and the unit in hand.
func (r *Return) Prompt() Prompt {
	pr := Prompt{Actions: r.actions(), Problem: r.Problem}
	if r.Step == StepRMA {
		pr.Title = "RETURNS"
		pr.Fields = []Field{{"Open", fmt.Sprintf("%d RMA(s)", len(r.RMAs))}}
		pr.Ask, pr.Expect = "Scan RMA or label", "RMA number or return label"
		for _, n := range slices.Sorted(maps.Keys(r.RMAs)) {
			pr.Scan = n
			break
		}
		return pr
	}
	m := r.rma()
	pr.Title = "RETURN " + m.Number
	if r.Step == StepDone {
		pr.Title = "SENT " + m.Number // 20 columns: "RETURN … SENT" would not fit
		pr.Fields = []Field{{"Units", fmt.Sprintf("%d", len(r.Units))}}
		pr.Ask = "Press Enter"
		return pr
	}
	pr.Fields = []Field{{"Order", m.OrderID}}
	pr.Essential = []string{"Unit", "Unexp"}
	for _, l := range m.Lines {
		pr.Fields = append(pr.Fields, Field{l.SKU, fmt.Sprintf("%d/%d", r.received(l.Line), l.Qty)})
	}
	if n := r.unexpectedUnits(); n > 0 {
		pr.Fields = append(pr.Fields, Field{"Unexp", fmt.Sprintf("%d", n)})
	}
	if r.Cur != nil {
		what := r.Cur.SKU
		if what == "" {
			what = "? " + r.Cur.Code
		}
		if r.Cur.Serial != "" {
			what += " " + r.Cur.Serial
		}
		pr.Fields = append(pr.Fields, Field{"Unit", what})
	}
	switch r.Step {
	case StepItem:
		pr.Ask, pr.Expect, pr.Scan = "Scan returned item", "an item of "+m.Number, r.demoItem()
	case StepSerial:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key serial", "serial of "+r.Cur.SKU, r.demoSerial()
	case StepCondition:
		pr.Ask = "Condition"
		for i, c := range domain.Conditions() {
			pr.Menu = append(pr.Menu, fmt.Sprintf("%d %s", i+1, c.Label()))
		}
		pr.Scan = "1"
	case StepDisposition:
		pr.Ask = "Disposition"
		for i, d := range domain.Dispositions() {
			pr.Menu = append(pr.Menu, fmt.Sprintf("%d %s", i+1, d.Label()))
		}
		pr.Scan = "1"
	case StepPutaway:
		pr.Ask, pr.Expect = "Scan put-away location", "a location"
		if r.Cur != nil {
			if home := r.Items[r.Cur.SKU].Home; home != "" {
				pr.Expect = home // the item's own location
			}
			pr.Scan = r.demoPutaway(r.Cur.SKU)
		}
	}
	return pr
}

func (r *Return) unexpectedUnits() int { return r.received(0) }

// The demo hints give a newcomer without a scanner a barcode for each step.

func (r *Return) demoItem() string {
	for _, l := range r.rma().Lines {
		if r.received(l.Line) < l.Qty {
			it := r.Items[l.SKU]
			if it.Tracking == domain.TrackSerial && r.received(l.Line) < len(l.Serials) {
				return fmt.Sprintf("(01)%s(21)%s", it.GTIN, l.Serials[r.received(l.Line)])
			}
			return it.GTIN[1:]
		}
	}
	return ""
}

func (r *Return) demoSerial() string {
	for _, l := range r.rma().Lines {
		if l.Line == r.Cur.Line && r.received(l.Line) < len(l.Serials) {
			return l.Serials[r.received(l.Line)]
		}
	}
	return ""
}

// demoPutaway is the item's own location, or any location of the site
// when the item has none.
func (r *Return) demoPutaway(sku string) string {
	if home := r.Items[sku].Home; home != "" {
		return home
	}
	codes := slices.Sorted(maps.Keys(r.Places))
	if len(codes) == 0 {
		return ""
	}
	return codes[len(sku)%len(codes)]
}
