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

func (p *Pack) action(in Input) Outcome {
	if !slices.Contains(p.actions(), in.Action) {
		return Outcome{}
	}
	switch in.Action {
	case ActClose:
		return p.closeOpen()
	case ActShort:
		p.Step = PackStepShort
	case ActUnpack:
		p.Step = PackStepUnpack
	case ActReprint:
		p.Step = PackStepReprint
	case ActTakeOut:
		p.Step = PackStepTakeOut
	case ActBack:
		switch p.Step {
		case PackStepLot, PackStepSerial, PackStepShort, PackStepCarton, PackStepTakeOut:
			p.Step = PackStepItems
		case PackStepWeigh:
			p.Step = PackStepCarton
		case PackStepException:
			p.Step = PackStepAudit
		case PackStepReprint:
			p.Step = PackStepConfirm
		case PackStepUnpack:
			p.Step = p.packOrConfirm()
		}
	}
	return Outcome{Changed: true}
}

// packOrConfirm is where a menu returns to: confirming once the carton
// count is fixed, packing before.
func (p *Pack) packOrConfirm() PackStep {
	if p.Of > 0 {
		return PackStepConfirm
	}
	return PackStepItems
}

func (p *Pack) text(rules *barcode.Rules, sscc SSCCAllocator, in Input) Outcome {
	text := strings.TrimSpace(in.Text)
	switch p.Step {
	case PackStepShort, PackStepAudit, PackStepException, PackStepReprint, PackStepUnpack:
		if text == "" {
			return Outcome{}
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > len(p.menu()) {
			return p.problem(&Problem{Title: "CHOOSE FROM THE LIST", Detail: fmt.Sprintf("Key 1 to %d, or go back.", len(p.menu()))})
		}
		return p.choose(n, in.At)
	case PackStepWeigh:
		if text == "" {
			return Outcome{}
		}
		return p.keyedWeight(text, sscc, in.At)
	}
	if text == "" {
		switch p.Step {
		case PackStepItems:
			if p.Open.Units() > 0 {
				return p.closeOpen()
			}
		case PackStepCarton:
			return p.takeSuggested()
		case PackStepSSCC:
			return p.assignSSCC(sscc, in.At)
		case PackStepConfirm:
			return p.confirm(in.At)
		case PackStepDone:
			return Outcome{Done: true}
		}
		return Outcome{}
	}
	// Anything else typed is a barcode keyed by hand.
	return p.scan(rules.Classify(barcode.Keyed(text, in.At)), in)
}

func (p *Pack) scan(c barcode.Classified, in Input) Outcome {
	if c.Err != nil {
		return p.problem(&Problem{Title: "BAD BARCODE", Detail: c.Err.Error() + ". Rescan, or key it."})
	}
	switch p.Step {
	case PackStepOrder:
		if c.Code == "" {
			return Outcome{}
		}
		p.Looking = &PackLookup{OrderID: c.Code}
		if c.Kind == barcode.KindTote {
			p.Looking = &PackLookup{Tote: c.Code}
		}
		return Outcome{Changed: true, Lookup: p.Looking}
	case PackStepItems:
		if c.Kind == barcode.KindCarton {
			if o := p.closeOpen(); o.Problem != nil {
				return o
			}
			return p.chooseCarton(c.Code)
		}
		return p.itemScan(c, in.At)
	case PackStepLot:
		lot, prob := p.identity(c, c.Lot, "lot")
		if prob != nil {
			return p.problem(prob)
		}
		return p.addUnit(p.Cur, lot, "")
	case PackStepSerial:
		serial, prob := p.identity(c, c.Serial, "serial")
		if prob != nil {
			return p.problem(prob)
		}
		return p.addUnit(p.Cur, "", serial)
	case PackStepTakeOut:
		return p.takeOut(c)
	case PackStepCarton:
		if c.Kind != barcode.KindCarton {
			return p.problem(&Problem{Title: "SCAN A CARTON", Detail: fmt.Sprintf("Scanned %s. Scan a carton barcode, or Enter for the suggested one.", c.Code)})
		}
		return p.chooseCarton(c.Code)
	case PackStepWeigh:
		return p.problem(&Problem{Title: "WEIGH THE CARTON", Detail: "Put the carton on the scale."})
	case PackStepConfirm:
		return p.problem(&Problem{Title: "ORDER PACKED", Detail: "Press Enter to confirm the shipment."})
	case PackStepDone:
		return p.problem(&Problem{Title: "ORDER DONE", Detail: "Press Enter for the next order."})
	case PackStepSSCC:
		return p.problem(&Problem{Title: "NO SSCC YET", Detail: "Press Enter to ask for the carton's SSCC again."})
	}
	return p.problem(&Problem{Title: "CHOOSE FROM THE LIST", Detail: "Key a number, or go back."})
}

// itemScan puts one unit of a scanned item into the open carton.
func (p *Pack) itemScan(c barcode.Classified, at time.Time) Outcome {
	var it domain.Item
	found := false
	for _, l := range p.Lines {
		if itemMatches(c, p.Items[l.SKU]) {
			it, found = p.Items[l.SKU], true
			break
		}
	}
	if !found {
		return p.problem(&Problem{Title: "WRONG ITEM", Detail: fmt.Sprintf("Scanned %s: not on order %s. Put it aside.", c.Code, p.OrderID)})
	}
	cur := -1
	for i, l := range p.Lines {
		if l.SKU == it.SKU && l.Remaining() > 0 {
			cur = i
			break
		}
	}
	if cur < 0 {
		return p.problem(&Problem{Title: "TOO MANY", Detail: fmt.Sprintf("%s %s: all packed. Put this one aside.", it.SKU, it.Description)})
	}
	p.Cur = cur
	switch it.Tracking {
	case domain.TrackLot:
		if c.Lot == "" {
			p.Step = PackStepLot
			return Outcome{Changed: true}
		}
		return p.addUnit(cur, c.Lot, "")
	case domain.TrackSerial:
		if c.Serial == "" {
			p.Step = PackStepSerial
			return Outcome{Changed: true}
		}
		return p.addUnit(cur, "", c.Serial)
	}
	return p.addUnit(cur, "", "")
}

// identity takes the lot or serial of the unit awaiting it (identityOf).
func (p *Pack) identity(c barcode.Classified, fromGS1, what string) (string, *Problem) {
	it := p.Items[p.Lines[p.Cur].SKU]
	switch v, wrong := identityOf(c, fromGS1, it); {
	case wrong:
		return "", &Problem{Title: "WRONG ITEM", Detail: fmt.Sprintf("Scanned %s. Scan the %s of %s.", c.Code, what, it.SKU)}
	case v != "":
		return v, nil
	}
	return "", &Problem{Title: "NOT A " + strings.ToUpper(what), Detail: fmt.Sprintf("Scanned %s (%s). Scan or key the %s of %s.", c.Code, c.Kind, what, it.SKU)}
}

// addUnit puts one unit of line i, with its lot or serial, into the open carton.
func (p *Pack) addUnit(i int, lot, serial string) Outcome {
	l := &p.Lines[i]
	if serial != "" {
		if err := p.Items[l.SKU].CheckSerial(serial); err != nil {
			return p.problem(&Problem{Title: "BAD SERIAL", Detail: fmt.Sprintf("%v. Scan the unit's serial again, or put it aside.", err)})
		}
		if p.serialPacked(l.Line, serial) {
			return p.problem(&Problem{Title: "DUPLICATE SERIAL", Detail: fmt.Sprintf("Serial %s is already packed. Scan another unit.", serial)})
		}
		if len(l.PickedSerials) > 0 && !slices.Contains(l.PickedSerials, serial) {
			return p.problem(&Problem{Title: "SERIAL NOT PICKED", Detail: fmt.Sprintf("Serial %s was not picked for this order. Put it aside.", serial)})
		}
	}
	if lot != "" && len(l.PickedLots) > 0 && !slices.Contains(l.PickedLots, lot) {
		return p.problem(&Problem{Title: "WRONG LOT", Detail: fmt.Sprintf("Lot %s was not picked for this order. Put it aside.", lot)})
	}
	ct := p.Open.content(l.Line, l.SKU)
	ct.Qty++
	if lot != "" {
		ct.Lots = addLot(ct.Lots, lot, 1)
	}
	if serial != "" {
		ct.Serials = append(ct.Serials, serial)
	}
	l.Packed++
	p.Step = PackStepItems
	return Outcome{Changed: true}
}

// content is the carton's content for an order line, added when missing.
func (c *Carton) content(line int, sku string) *domain.CartonContent {
	for i := range c.Contents {
		if c.Contents[i].Line == line {
			return &c.Contents[i]
		}
	}
	c.Contents = append(c.Contents, domain.CartonContent{Line: line, SKU: sku})
	return &c.Contents[len(c.Contents)-1]
}

// serialPacked reports whether a serial of the line is in a carton already.
func (p *Pack) serialPacked(line int, serial string) bool {
	has := func(c Carton) bool {
		return slices.ContainsFunc(c.Contents, func(ct domain.CartonContent) bool {
			return ct.Line == line && slices.Contains(ct.Serials, serial)
		})
	}
	return has(p.Open) || slices.ContainsFunc(p.Cartons, has)
}

// short records what is left of a line as missing from the tote.
func (p *Pack) short(i int, at time.Time) Outcome {
	l := &p.Lines[i]
	n := l.Remaining()
	l.Short += n
	o := Outcome{Changed: true, Events: []domain.Draft{
		domain.NewDraft(domain.EventPackShorted, at, p.UserID, domain.PackShort{OrderID: p.OrderID, Line: l.Line, SKU: l.SKU, Short: n, Backorder: !p.ShipComplete}),
	}}
	if p.ShipComplete {
		return o.then(p.hold(domain.HoldShipComplete, at))
	}
	p.Step = PackStepItems
	if p.remaining() > 0 || p.Open.Units() > 0 {
		return o
	}
	return o.then(p.complete(at))
}

// takeOut takes one unit of the scanned item out of the open carton: the
// scanned serial or lot when the scan carries one, else the last one put
// in. The unit goes back to be packed (into this carton or the next).
func (p *Pack) takeOut(c barcode.Classified) Outcome {
	i := slices.IndexFunc(p.Open.Contents, func(ct domain.CartonContent) bool { return itemMatches(c, p.Items[ct.SKU]) })
	if i < 0 {
		return p.problem(&Problem{Title: "NOT IN CARTON", Detail: fmt.Sprintf("Scanned %s: not in the open carton. Scan a unit in it, or go back.", c.Code)})
	}
	ct := &p.Open.Contents[i]
	if len(ct.Serials) > 0 {
		j := len(ct.Serials) - 1
		if c.Serial != "" {
			if j = slices.Index(ct.Serials, c.Serial); j < 0 {
				return p.problem(&Problem{Title: "NOT IN CARTON", Detail: fmt.Sprintf("Serial %s is not in the open carton.", c.Serial)})
			}
		}
		ct.Serials = slices.Delete(ct.Serials, j, j+1)
	}
	if len(ct.Lots) > 0 {
		j := len(ct.Lots) - 1
		if c.Lot != "" {
			if j = slices.IndexFunc(ct.Lots, func(l domain.LotQty) bool { return l.Lot == c.Lot }); j < 0 {
				return p.problem(&Problem{Title: "NOT IN CARTON", Detail: fmt.Sprintf("Lot %s is not in the open carton.", c.Lot)})
			}
		}
		if ct.Lots[j].Qty--; ct.Lots[j].Qty <= 0 {
			ct.Lots = slices.Delete(ct.Lots, j, j+1)
		}
	}
	line := ct.Line
	if ct.Qty--; ct.Qty <= 0 {
		p.Open.Contents = slices.Delete(p.Open.Contents, i, i+1)
	}
	for k := range p.Lines {
		if p.Lines[k].Line == line {
			p.Lines[k].Packed--
		}
	}
	p.Step = PackStepItems
	return Outcome{Changed: true}
}
