package flow

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// actions lists what the packer may ask for at the current step.
func (p *Pack) actions() []Action {
	if p.Problem != nil {
		return []Action{ActAck}
	}
	switch p.Step {
	case PackStepItems:
		var acts []Action
		if p.Open.Units() > 0 {
			acts = append(acts, ActClose, ActTakeOut)
		}
		if p.remaining() > 0 {
			acts = append(acts, ActShort)
		}
		if len(p.Cartons) > 0 {
			acts = append(acts, ActUnpack)
		}
		return acts
	case PackStepLot, PackStepSerial, PackStepShort, PackStepCarton, PackStepWeigh, PackStepException, PackStepReprint, PackStepUnpack, PackStepTakeOut:
		return []Action{ActBack}
	case PackStepConfirm:
		return []Action{ActReprint, ActUnpack}
	}
	return nil
}

// menu lists the choices at a menu step, numbered from 1 on screen.
func (p *Pack) menu() []string {
	var m []string
	switch p.Step {
	case PackStepShort:
		for _, i := range p.openLineIndexes() {
			l := p.Lines[i]
			m = append(m, fmt.Sprintf("%s missing %d", l.SKU, l.Remaining()))
		}
	case PackStepAudit:
		m = []string{"Recount carton", "Weigh again", "Exception lane"}
	case PackStepException:
		for _, r := range domain.ExceptionReasons() {
			m = append(m, r.Label())
		}
	case PackStepReprint, PackStepUnpack:
		for i, c := range p.Cartons {
			m = append(m, fmt.Sprintf("Carton %d %s %d u", i+1, c.Type, c.Units()))
		}
	}
	return m
}

// Prompt says what the screen shows now. The station screen may show more
// from the state itself: Lines (packed of expected), Open, Cartons.
func (p *Pack) Prompt() Prompt {
	pr := Prompt{Actions: p.actions(), Problem: p.Problem}
	for i, m := range p.menu() {
		pr.Menu = append(pr.Menu, fmt.Sprintf("%d %s", i+1, m))
	}
	if len(pr.Menu) > 0 {
		pr.Scan = "1"
	}
	if p.Step == PackStepOrder {
		pr.Title, pr.Ask, pr.Expect = "PACK", "Scan tote or order", "a tote or order number"
		return pr
	}
	pr.Title = fmt.Sprintf("PACK %s C%d", p.OrderID, len(p.Cartons)+1)
	packed, expected := 0, 0
	for _, l := range p.Lines {
		packed += l.Packed
		expected += l.Expected - l.Short
	}
	pr.Fields = []Field{{"Packed", fmt.Sprintf("%d of %d", packed, expected)}, {"Carton", fmt.Sprintf("%d units", p.Open.Units())}}
	pr.Essential = []string{"Packed", "Carton", "Hold", "Box", "Expect", "Weight", "Cartons", "Short", "Reason"}
	switch p.Step {
	case PackStepItems:
		pr.Ask, pr.Expect = "Scan item", fmt.Sprintf("%d to pack", p.remaining())
		if p.remaining() == 0 {
			pr.Ask, pr.Expect = "Close carton", "Enter"
		}
		pr.Scan = p.demoItem()
	case PackStepLot:
		pr.Ask, pr.Expect = "Scan or key lot", "lot of "+p.Lines[p.Cur].SKU
		if lots := p.Lines[p.Cur].PickedLots; len(lots) > 0 {
			pr.Scan = lots[0]
		}
	case PackStepSerial:
		pr.Ask, pr.Expect = "Scan or key serial", "serial of "+p.Lines[p.Cur].SKU
		pr.Scan = p.unpackedSerial(p.Cur)
	case PackStepShort:
		pr.Ask, pr.Expect = "Which item missing?", "line number"
	case PackStepCarton:
		if p.Holding != "" {
			pr.Fields = append(pr.Fields, Field{"Hold", p.Holding.Label()})
		}
		pr.Ask, pr.Expect = "Enter or scan carton", p.Open.Suggested
		if p.Open.Suggested == "" {
			pr.Expect = "none fits: scan one"
		}
	case PackStepWeigh:
		u := p.manualUnit()
		expect := domain.FormatWeight(int64(p.Open.ExpectedGrams)*1000, u)
		pr.Fields = append(pr.Fields, Field{"Box", p.Open.Type}, Field{"Expect", expect})
		pr.Ask, pr.Expect = "Weigh carton", "on the scale"
		if !p.Config.Scale {
			// A bare number is in the unit shown (ParseWeightText's default).
			pr.Ask, pr.Expect = "Key weight in "+string(u), expect
			pr.Scan = expect
		}
	case PackStepAudit:
		pr.Fields = append(pr.Fields, Field{"Weight", fmt.Sprintf("%d g", p.Open.WeightGrams)}, Field{"Expect", fmt.Sprintf("%d g", p.Open.ExpectedGrams)})
		pr.Ask, pr.Expect = "Audit hold", "choose"
	case PackStepException:
		pr.Ask, pr.Expect = "Exception reason", "choose"
	case PackStepSSCC:
		pr.Ask, pr.Expect = "Enter: SSCC again", "Enter"
	case PackStepConfirm:
		pr.Title = fmt.Sprintf("PACKED %s", p.OrderID)
		pr.Fields = []Field{{"Cartons", fmt.Sprintf("%d", p.Of)}}
		if s := p.shortUnits(); s > 0 {
			pr.Fields = append(pr.Fields, Field{"Short", fmt.Sprintf("%d (backorder)", s)})
		}
		pr.Ask, pr.Expect = "Enter: ship it", "confirms the shipment"
	case PackStepReprint:
		pr.Ask, pr.Expect = "Reprint carton?", "carton number"
	case PackStepUnpack:
		pr.Ask, pr.Expect = "Unpack which carton?", "carton number"
	case PackStepTakeOut:
		pr.Ask, pr.Expect = "Scan unit to take out", "an item in the carton"
		pr.Scan = p.demoTakeOut()
	case PackStepDone:
		pr.Title = fmt.Sprintf("DONE %s", p.OrderID)
		if p.Held != "" {
			pr.Title = fmt.Sprintf("HELD %s", p.OrderID)
			pr.Fields = []Field{{"Reason", p.Held.Label()}, {"Cartons", fmt.Sprintf("%d", len(p.Cartons))}}
		}
		pr.Ask, pr.Expect = "Enter: next order", "Enter"
	}
	return pr
}

// demoItem is a barcode for the next unit to pack: the demo hint line.
func (p *Pack) demoItem() string {
	for i, l := range p.Lines {
		if l.Remaining() == 0 {
			continue
		}
		it := p.Items[l.SKU]
		if p.Open.Units() > 0 && len(p.Config.CartonTypes) > 0 {
			with := append(p.openItems(), domain.ItemQty{Item: it, Qty: 1})
			if _, ok := domain.SuggestCarton(p.Config.CartonTypes, with, p.Config.FillFactor); !ok {
				return "C" // no carton would take it too: close this one, as a packer would
			}
		}
		switch it.Tracking {
		case domain.TrackSerial:
			if s := p.unpackedSerial(i); s != "" {
				return fmt.Sprintf("(01)%s(21)%s", it.GTIN, s)
			}
		case domain.TrackLot:
			if len(l.PickedLots) > 0 {
				return fmt.Sprintf("(01)%s(10)%s", it.GTIN, l.PickedLots[0])
			}
		}
		return strings.TrimPrefix(it.GTIN, "0")
	}
	return ""
}

// unpackedSerial is a picked serial of line i not packed yet, or "".
func (p *Pack) unpackedSerial(i int) string {
	for _, s := range p.Lines[i].PickedSerials {
		if !p.serialPacked(p.Lines[i].Line, s) {
			return s
		}
	}
	return ""
}

// demoTakeOut is a barcode of the last unit put in the open carton.
func (p *Pack) demoTakeOut() string {
	if len(p.Open.Contents) == 0 {
		return ""
	}
	ct := p.Open.Contents[len(p.Open.Contents)-1]
	it := p.Items[ct.SKU]
	if n := len(ct.Serials); n > 0 {
		return fmt.Sprintf("(01)%s(21)%s", it.GTIN, ct.Serials[n-1])
	}
	return strings.TrimPrefix(it.GTIN, "0")
}
