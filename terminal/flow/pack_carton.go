package flow

import (
	"fmt"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// closeOpen closes the open carton: on to choosing the carton type, with
// the smallest that fits suggested.
func (p *Pack) closeOpen() Outcome {
	if p.Open.Units() == 0 {
		return p.problem(&Problem{Title: "CARTON EMPTY", Detail: "Scan items into the carton first."})
	}
	p.Open.Suggested = ""
	if c, ok := domain.SuggestCarton(p.Config.CartonTypes, p.openItems(), p.Config.FillFactor); ok {
		p.Open.Suggested = c.Code
	}
	p.Step = PackStepCarton
	return Outcome{Changed: true}
}

// openItems are the open carton's items with their quantities.
func (p *Pack) openItems() []domain.ItemQty {
	out := make([]domain.ItemQty, 0, len(p.Open.Contents))
	for _, ct := range p.Open.Contents {
		out = append(out, domain.ItemQty{Item: p.Items[ct.SKU], Qty: ct.Qty})
	}
	return out
}

func (p *Pack) cartonType(code string) (domain.CartonType, bool) {
	for _, c := range p.Config.CartonTypes {
		if c.Code == code {
			return c, true
		}
	}
	return domain.CartonType{}, false
}

func (p *Pack) takeSuggested() Outcome {
	if p.Open.Suggested == "" {
		return p.problem(&Problem{Title: "NO CARTON FITS", Detail: "No carton type fits these items. Scan the carton you use, or go back and take units out (T) for a second carton."})
	}
	return p.chooseCarton(p.Open.Suggested)
}

// chooseCarton takes the carton type (suggested, or scanned to override)
// and asks for the weight.
func (p *Pack) chooseCarton(code string) Outcome {
	c, ok := p.cartonType(code)
	if !ok {
		return p.problem(&Problem{Title: "UNKNOWN CARTON", Detail: fmt.Sprintf("Carton %s is not a carton type of this site.", code)})
	}
	if it, ok := c.TakesAll(p.openItems()); !ok {
		return p.problem(&Problem{Title: "WRONG CARTON", Detail: fmt.Sprintf("%s %s cannot go in a %s %s. Scan another carton.", it.SKU, it.Description, c.Code, c.Name)})
	}
	expected := domain.ExpectedGrams(c, p.openItems())
	if c.MaxGrams > 0 && expected > c.MaxGrams {
		return p.problem(&Problem{Title: "CARTON OVERWEIGHT", Detail: fmt.Sprintf("These items and the carton weigh %d g; a %s takes at most %d g. Take units out (T) or scan a stronger carton.", expected, c.Code, c.MaxGrams)})
	}
	p.Open.Type = c.Code
	p.Open.ExpectedGrams = expected
	p.Step = PackStepWeigh
	return Outcome{Changed: true}
}

// weight takes a scale reading: a stable one weighs the carton.
func (p *Pack) weight(in Input, sscc SSCCAllocator) Outcome {
	if !in.Weight.Stable {
		return Outcome{} // still moving: the screen shows the live reading
	}
	switch p.Step {
	case PackStepWeigh:
		return p.weighed(domain.GramsOf(in.Weight.Milligrams), false, sscc, in.At)
	}
	return Outcome{} // the scale talks at every step: only weighing listens
}

// keyedWeight takes a weight the packer typed, when there is no scale.
func (p *Pack) keyedWeight(text string, sscc SSCCAllocator, at time.Time) Outcome {
	if p.Config.Scale {
		return p.problem(&Problem{Title: "USE THE SCALE", Detail: "Put the carton on the scale; the weight comes from it."})
	}
	mg, _, err := domain.ParseWeightText(text, p.Config.ManualUnit)
	if err != nil || mg <= 0 {
		return p.problem(&Problem{Title: "BAD WEIGHT", Detail: fmt.Sprintf("%q is not a weight. Key it in %s (%s), or write the unit: g, kg, lb, oz.",
			text, p.manualUnit(), domain.FormatWeight(int64(p.Open.ExpectedGrams)*1000, p.manualUnit()))})
	}
	return p.weighed(domain.GramsOf(mg), true, sscc, at)
}

// manualUnit is the unit a bare keyed weight is in, and the weigh prompt shows.
func (p *Pack) manualUnit() domain.WeightUnit {
	if p.Config.ManualUnit == "" {
		return domain.UnitG
	}
	return p.Config.ManualUnit
}

// overLimit is the problem of a weight above the scale's range or the
// carton type's maximum, or nil: such a weight is refused, and the carton
// stays at the weigh step (Back to choose another carton, or to the items
// to take units out).
func (p *Pack) overLimit(grams int) *Problem {
	if max := p.Config.ScaleMaxGrams; max > 0 && grams > max {
		return &Problem{Title: "OVER SCALE RANGE", Detail: fmt.Sprintf("%d g is above the scale's range (%d g). Weigh again, or check the weight.", grams, max)}
	}
	if ct, ok := p.cartonType(p.Open.Type); ok && ct.MaxGrams > 0 && grams > ct.MaxGrams {
		return &Problem{Title: "CARTON OVERWEIGHT", Detail: fmt.Sprintf("%d g: a %s takes at most %d g. Go back and take units out, or choose a stronger carton.", grams, ct.Code, ct.MaxGrams)}
	}
	return nil
}

// weighed checks the carton's weight: above the scale's range or the
// carton's maximum it is refused; within the tolerance of the expected
// weight it gets its SSCC; outside it goes on audit hold.
func (p *Pack) weighed(grams int, manual bool, sscc SSCCAllocator, at time.Time) Outcome {
	if pr := p.overLimit(grams); pr != nil {
		return p.problem(pr)
	}
	p.Open.WeightGrams, p.Open.Manual = grams, manual
	if p.Config.Tolerance.Within(p.Open.ExpectedGrams, grams) {
		return p.assignSSCC(sscc, at)
	}
	p.Step = PackStepAudit
	o := Outcome{Changed: true, Events: []domain.Draft{p.audit(domain.AuditHold, at)}}
	return o.then(p.problem(&Problem{Title: "WEIGHT OUT OF TOLERANCE", Detail: fmt.Sprintf(
		"Carton weighs %d g, expected %d g (±%d g). Recount, weigh again, or send to the exception lane.",
		grams, p.Open.ExpectedGrams, p.Config.Tolerance.Allowed(p.Open.ExpectedGrams))}))
}

func (p *Pack) audit(decision string, at time.Time) domain.Draft {
	return domain.NewDraft(domain.EventCartonAudit, at, p.UserID, domain.CartonAudit{
		OrderID: p.OrderID, CartonType: p.Open.Type, Contents: p.Open.Contents,
		WeightGrams: p.Open.WeightGrams, ExpectedGrams: p.Open.ExpectedGrams,
		AllowedGrams: p.Config.Tolerance.Allowed(p.Open.ExpectedGrams), ManualWeight: p.Open.Manual, Decision: decision,
	})
}

// assignSSCC gives the weighed carton its SSCC and closes it. Without an
// SSCC the carton waits: Enter asks again.
func (p *Pack) assignSSCC(sscc SSCCAllocator, at time.Time) Outcome {
	p.Step = PackStepSSCC
	s, err := sscc.NextSSCC()
	if err == nil && (len(s) != 18 || !barcode.ValidCheckDigit(s)) {
		err = fmt.Errorf("allocator gave %q, not 18 digits with a valid check digit", s)
	}
	if err != nil {
		return p.problem(&Problem{Title: "NO SSCC", Detail: fmt.Sprintf("No SSCC for the carton: %v. Press Enter to try again.", err)})
	}
	p.Open.SSCC = s
	p.Open.Suggested = ""
	p.Cartons = append(p.Cartons, p.Open)
	p.Open = Carton{}
	o := Outcome{Changed: true, Events: []domain.Draft{
		domain.NewDraft(domain.EventCartonClosed, at, p.UserID, p.packCarton(len(p.Cartons)-1)),
	}}
	p.Step = PackStepItems
	if p.Holding != "" {
		return o.then(p.hold(p.Holding, at))
	}
	if p.remaining() > 0 {
		return o
	}
	return o.then(p.complete(at))
}

// packCarton is closed carton i as the hub and the labels see it.
func (p *Pack) packCarton(i int) domain.PackCarton {
	c := p.Cartons[i]
	ct, _ := p.cartonType(c.Type)
	pc := domain.PackCarton{
		OrderID: p.OrderID, SSCC: c.SSCC, CartonType: c.Type, Dims: ct.Inner(), Contents: c.Contents,
		WeightGrams: c.WeightGrams, ExpectedGrams: c.ExpectedGrams, ManualWeight: c.Manual,
	}
	if p.Of > 0 {
		pc.N, pc.Of = i+1, p.Of
	}
	return pc
}

// complete ends packing: every unit is in a closed carton or short. An
// order that ships complete and is short is held; else the carton count is
// fixed and every carton's labels are printed.
func (p *Pack) complete(at time.Time) Outcome {
	switch {
	case p.ShipComplete && p.shortUnits() > 0:
		return p.hold(domain.HoldShipComplete, at)
	case len(p.Cartons) == 0:
		return p.hold(domain.HoldNothingToPack, at)
	}
	p.Of = len(p.Cartons)
	p.Step = PackStepConfirm
	o := Outcome{Changed: true}
	for i := range p.Cartons {
		o.Print = append(o.Print, p.labels(i)...)
	}
	return o
}

// labels are the three labels of closed carton i.
func (p *Pack) labels(i int) []PrintJob {
	c := p.packCarton(i)
	jobs := make([]PrintJob, 0, 3)
	for _, k := range []LabelKind{LabelSSCC, LabelShipping, LabelPackingList} {
		jobs = append(jobs, PrintJob{Label: k, Carton: c, Customer: p.Customer, ShipTo: p.ShipTo})
	}
	return jobs
}

// shortUnits counts the ordered units that will not ship.
func (p *Pack) shortUnits() int {
	n := 0
	for _, l := range p.Lines {
		n += l.Ordered - l.Packed
	}
	return n
}

// shorts lists the lines that will not ship in full.
func (p *Pack) shorts() []domain.PackShort {
	var out []domain.PackShort
	for _, l := range p.Lines {
		if n := l.Ordered - l.Packed; n > 0 {
			out = append(out, domain.PackShort{OrderID: p.OrderID, Line: l.Line, SKU: l.SKU, Short: n, Backorder: !p.ShipComplete})
		}
	}
	return out
}

func (p *Pack) cartonsOut() []domain.PackCarton {
	out := make([]domain.PackCarton, len(p.Cartons))
	for i := range p.Cartons {
		out[i] = p.packCarton(i)
	}
	return out
}

// hold sends the order off the station without shipping. An open carton
// holding units is closed first (carton, weight, SSCC), unless it is the
// one whose weight is out of tolerance; then the order is held, and every
// closed carton's labels print (numbered of the cartons closed), so what was
// packed leaves labelled. What is not in a closed carton is said.
func (p *Pack) hold(reason domain.HoldReason, at time.Time) Outcome {
	if p.Open.Units() > 0 && p.Step != PackStepAudit && p.Step != PackStepException {
		p.Holding = reason
		o := p.closeOpen()
		return o.then(p.problem(&Problem{Title: "CLOSE THE CARTON", Detail: fmt.Sprintf(
			"%s goes on hold (%s). Close the open carton first: choose it and weigh it; its labels print.", p.OrderID, reason.Label())}))
	}
	loose := p.Open.Units()
	p.Holding, p.Held = "", reason
	p.Of = len(p.Cartons)
	p.Step = PackStepDone
	ev := domain.NewDraft(domain.EventPackHeld, at, p.UserID, domain.PackHold{
		OrderID: p.OrderID, Reason: reason, Cartons: p.cartonsOut(), Short: p.shorts(),
	})
	o := Outcome{Changed: true, Events: []domain.Draft{ev}}
	for i := range p.Cartons {
		o.Print = append(o.Print, p.labels(i)...)
	}
	detail := fmt.Sprintf("%s: %s. ", p.OrderID, reason.Label())
	switch n := len(p.Cartons); {
	case n > 0:
		detail += fmt.Sprintf("%d carton(s) closed, labels printing. ", n)
	default:
		detail += "No carton was closed. "
	}
	if loose > 0 {
		detail += fmt.Sprintf("The carton being weighed is not closed (weight out of tolerance): its %d unit(s) stay loose. ", loose)
	}
	detail += "Take the tote and cartons to the exception lane. Scan the order again to resume."
	return o.then(p.problem(&Problem{Title: "ORDER HELD", Detail: detail}))
}

// confirm confirms the shipment.
func (p *Pack) confirm(at time.Time) Outcome {
	short := p.shorts()
	p.Step = PackStepDone
	return Outcome{Changed: true, Events: []domain.Draft{
		domain.NewDraft(domain.EventShipConfirmed, at, p.UserID, domain.ShipConfirm{
			OrderID: p.OrderID, Tote: p.Tote, Cartons: p.cartonsOut(), Short: short, Partial: len(short) > 0, Invoice: p.InvoiceRef,
		}),
	}}
}

// choose takes menu choice n (from 1) at a menu step.
func (p *Pack) choose(n int, at time.Time) Outcome {
	switch p.Step {
	case PackStepShort:
		return p.short(p.openLineIndexes()[n-1], at)
	case PackStepAudit:
		switch n {
		case 1: // recount: the carton's units go back to be scanned again
			ev := p.audit(domain.AuditRecount, at)
			p.unload(p.Open)
			p.Open = Carton{}
			p.Step = PackStepItems
			return Outcome{Changed: true, Events: []domain.Draft{ev}}
		case 2:
			p.Step = PackStepWeigh
			return Outcome{Changed: true, Events: []domain.Draft{p.audit(domain.AuditReweigh, at)}}
		}
		p.Step = PackStepException
		return Outcome{Changed: true}
	case PackStepException:
		return p.hold(domain.ExceptionReasons()[n-1], at)
	case PackStepReprint:
		p.Step = PackStepConfirm
		return Outcome{Changed: true, Print: p.labels(n - 1)}
	}
	return p.unpack(n-1, at) // PackStepUnpack
}

// unpack opens closed carton i again: its units go back to be packed, its
// SSCC is void, and the carton count is open again.
func (p *Pack) unpack(i int, at time.Time) Outcome {
	c := p.Cartons[i]
	p.unload(c)
	p.Cartons = append(p.Cartons[:i], p.Cartons[i+1:]...)
	labelled := p.Of > 0
	p.Of = 0
	p.Step = PackStepItems
	o := Outcome{Changed: true, Events: []domain.Draft{
		domain.NewDraft(domain.EventCartonUnpacked, at, p.UserID, domain.CartonUnpacked{OrderID: p.OrderID, SSCC: c.SSCC, Contents: c.Contents}),
	}}
	detail := fmt.Sprintf("Empty carton %s and pack its items again.", c.SSCC)
	if labelled {
		detail = fmt.Sprintf("Take the labels off every carton; carton %s is void. New labels print when the order is complete.", c.SSCC)
	}
	return o.then(p.problem(&Problem{Title: "CARTON UNPACKED", Detail: detail}))
}

// unload takes a carton's units off the lines' packed counts.
func (p *Pack) unload(c Carton) {
	for _, ct := range c.Contents {
		for i := range p.Lines {
			if p.Lines[i].Line == ct.Line {
				p.Lines[i].Packed -= ct.Qty
			}
		}
	}
}

// openLineIndexes are the lines with units still to pack, in order.
func (p *Pack) openLineIndexes() []int {
	var out []int
	for i, l := range p.Lines {
		if l.Remaining() > 0 {
			out = append(out, i)
		}
	}
	return out
}
