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

// maxQtyDigits tells a keyed quantity from a keyed barcode: longer digit strings are GTINs.
const maxQtyDigits = 6

func (p *Pick) action(in Input) Outcome {
	if !slices.Contains(p.actions(), in.Action) {
		return Outcome{}
	}
	switch in.Action {
	case ActShort:
		p.Back, p.Step = p.Step, StepShort
	case ActSkip:
		return p.skip()
	case ActBack:
		switch p.Step {
		case StepShort:
			p.Step = p.Back
		case StepLot, StepSerial:
			p.Step = p.itemStep()
		case StepItem:
			p.Step = StepLocation
		}
	}
	return Outcome{Changed: true}
}

// itemStep is StepItem before the first unit of a line and StepQty after it.
func (p *Pick) itemStep() Step {
	if p.line().Picked > 0 {
		return StepQty
	}
	return StepItem
}

func (p *Pick) skip() Outcome {
	if p.line().Picked > 0 {
		return Outcome{Problem: &Problem{Title: "CANNOT SKIP", Detail: fmt.Sprintf("%d already picked. Finish the line or short it.", p.line().Picked)}}
	}
	if p.openLines() < 2 {
		return Outcome{Problem: &Problem{Title: "CANNOT SKIP", Detail: "This is the last line. Pick it or short it."}}
	}
	l := p.Lines[p.Cur]
	l.Skips++
	p.Lines = append(slices.Delete(p.Lines, p.Cur, p.Cur+1), l)
	p.LastDone = -1
	p.advance()
	return Outcome{Changed: true}
}

func (p *Pick) text(rules *barcode.Rules, in Input) Outcome {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "":
		if p.Step == StepDone {
			return Outcome{Done: true}
		}
		return Outcome{}
	case p.Step == StepShort:
		n, err := strconv.Atoi(text)
		reasons := domain.ShortReasons()
		if err != nil || n < 1 || n > len(reasons) {
			return Outcome{Problem: &Problem{Title: "CHOOSE A REASON", Detail: fmt.Sprintf("Key 1 to %d, or go back.", len(reasons))}}
		}
		return p.short(reasons[n-1], in.At)
	case p.Step == StepQty && isDigits(text) && len(text) <= maxQtyDigits:
		return p.setQty(text, in.At)
	case p.Step == StepLocation && text == p.Locations[p.line().Location].Check:
		p.Step = StepItem
		return Outcome{Changed: true}
	}
	// Anything else typed is a barcode keyed by hand.
	return p.scan(rules.Classify(barcode.Keyed(text, in.At)), in)
}

func (p *Pick) scan(c barcode.Classified, in Input) Outcome {
	switch p.Step {
	case StepTote:
		if c.Kind != barcode.KindTote {
			return Outcome{Problem: &Problem{Title: "NOT A TOTE", Detail: fmt.Sprintf("Scanned %s. Scan a tote label.", c.Code)}}
		}
		p.Tote = c.Code
		ev := domain.NewDraft(domain.EventTaskStarted, in.At, p.UserID, domain.TaskStarted{TaskID: p.TaskID, Tote: p.Tote})
		p.advance()
		return Outcome{Events: []domain.Draft{ev}, Changed: true}
	case StepLocation:
		want := p.line().Location
		if c.Kind == barcode.KindLocation && c.Code == want {
			p.Step = StepItem
			return Outcome{Changed: true}
		}
		if c.Kind == barcode.KindLocation {
			return Outcome{Problem: &Problem{Title: "WRONG LOCATION", Detail: fmt.Sprintf("Scanned %s. Go to %s.", c.Code, want)}}
		}
		if p.LastDone >= 0 && p.matches(c, p.Items[p.Lines[p.LastDone].SKU]) {
			l := p.Lines[p.LastDone]
			return Outcome{Problem: &Problem{Title: "OVER PICK", Detail: fmt.Sprintf("%s is complete (%d/%d). Put it back.", l.SKU, l.Picked, l.Qty)}}
		}
		return Outcome{Problem: &Problem{Title: "SCAN LOCATION", Detail: fmt.Sprintf("Scanned %s. Scan location %s first.", c.Code, want)}}
	case StepItem, StepQty:
		return p.itemScan(c, in.At)
	case StepLot:
		lot, prob := p.identity(c, c.Lot, "lot")
		if prob != nil {
			return Outcome{Problem: prob}
		}
		p.Lot = lot
		return p.addUnit(lot, "", in.At)
	case StepSerial:
		serial, prob := p.identity(c, c.Serial, "serial")
		if prob != nil {
			return Outcome{Problem: prob}
		}
		return p.addUnit("", serial, in.At)
	case StepShort:
		return Outcome{Problem: &Problem{Title: "CHOOSE A REASON", Detail: "Key the short reason (1-3) or go back before scanning."}}
	default: // StepDone
		return Outcome{Problem: &Problem{Title: "TASK COMPLETE", Detail: fmt.Sprintf("Take tote %s to packing, then press Enter.", p.Tote)}}
	}
}

// identity takes a lot or serial from a scan: the GS1 AI value when the scan
// carries it, else the scanned text when it is nothing the site knows.
func (p *Pick) identity(c barcode.Classified, fromGS1, what string) (string, *Problem) {
	if c.Err != nil {
		return "", &Problem{Title: "BAD BARCODE", Detail: c.Err.Error()}
	}
	switch v, wrong := identityOf(c, fromGS1, p.item()); {
	case wrong:
		return "", p.wrongItem(c)
	case v != "":
		return v, nil
	}
	return "", &Problem{Title: "NOT A " + strings.ToUpper(what), Detail: fmt.Sprintf("Scanned %s (%s). Scan or key the %s.", c.Code, c.Kind, what)}
}

func (p *Pick) itemScan(c barcode.Classified, at time.Time) Outcome {
	if c.Err != nil {
		return Outcome{Problem: &Problem{Title: "BAD BARCODE", Detail: c.Err.Error() + ". Rescan, or key the SKU."}}
	}
	it := p.item()
	if !p.matches(c, it) {
		if c.Kind == barcode.KindLocation && c.Code == p.line().Location {
			return Outcome{} // the location again: already confirmed
		}
		return Outcome{Problem: p.wrongItem(c)}
	}
	switch it.Tracking {
	case domain.TrackLot:
		lot := c.Lot
		if lot == "" && p.Step == StepQty {
			lot = p.Lot
		}
		if lot == "" {
			p.Step = StepLot
			return Outcome{Changed: true}
		}
		p.Lot = lot
		return p.addUnit(lot, "", at)
	case domain.TrackSerial:
		if c.Serial == "" {
			p.Step = StepSerial
			return Outcome{Changed: true}
		}
		return p.addUnit("", c.Serial, at)
	}
	return p.addUnit("", "", at)
}

func (p *Pick) wrongItem(c barcode.Classified) *Problem {
	what := c.Code
	for _, it := range p.Items {
		if p.matches(c, it) {
			what = it.SKU + " " + it.Description
			break
		}
	}
	it := p.item()
	return &Problem{Title: "WRONG ITEM", Detail: fmt.Sprintf("Scanned %s. Pick %s %s.", what, it.SKU, it.Description)}
}

// matches reports whether a scan identifies the item: its GTIN, SKU or one of its barcodes.
func (p *Pick) matches(c barcode.Classified, it domain.Item) bool { return itemMatches(c, it) }

// addUnit records one unit (with its lot or serial) and completes the line when it is full.
func (p *Pick) addUnit(lot, serial string, at time.Time) Outcome {
	l := p.line()
	if l.Picked >= l.Qty {
		return Outcome{Problem: &Problem{Title: "OVER PICK", Detail: fmt.Sprintf("Line needs %d, %d picked.", l.Qty, l.Picked)}}
	}
	if serial != "" {
		if slices.Contains(l.Serials, serial) {
			p.Step = StepQty
			return Outcome{Problem: &Problem{Title: "DUPLICATE SERIAL", Detail: fmt.Sprintf("Serial %s is already picked. Scan another unit.", serial)}}
		}
		l.Serials = append(l.Serials, serial)
	}
	if lot != "" {
		l.Lots = addLot(l.Lots, lot, 1)
	}
	l.Picked++
	if l.Picked == l.Qty {
		return p.complete(at, "")
	}
	p.Step = StepQty
	return Outcome{Changed: true}
}

func addLot(lots []domain.LotQty, lot string, n int) []domain.LotQty {
	for i := range lots {
		if lots[i].Lot == lot {
			lots[i].Qty += n
			return lots
		}
	}
	return append(lots, domain.LotQty{Lot: lot, Qty: n})
}

// setQty takes a keyed total quantity for the line.
func (p *Pick) setQty(text string, at time.Time) Outcome {
	l, it := p.line(), p.item()
	n, err := strconv.Atoi(text)
	switch {
	case err != nil || n <= 0:
		return Outcome{Problem: &Problem{Title: "BAD QUANTITY", Detail: fmt.Sprintf("%q is not a quantity.", text)}}
	case it.Tracking == domain.TrackSerial:
		return Outcome{Problem: &Problem{Title: "SCAN EACH UNIT", Detail: "Serial-tracked: scan every unit's serial."}}
	case n > l.Qty:
		return Outcome{Problem: &Problem{Title: "OVER PICK", Detail: fmt.Sprintf("Keyed %d, line needs %d. Put %d back.", n, l.Qty, n-l.Qty)}}
	case n < l.Picked:
		return Outcome{Problem: &Problem{Title: "BAD QUANTITY", Detail: fmt.Sprintf("%d already scanned. Key the total, or short the rest.", l.Picked)}}
	}
	if it.Tracking == domain.TrackLot && n > l.Picked {
		l.Lots = addLot(l.Lots, p.Lot, n-l.Picked)
	}
	l.Picked = n
	if n == l.Qty {
		return p.complete(at, "")
	}
	return Outcome{Changed: true}
}

func (p *Pick) short(reason domain.ShortReason, at time.Time) Outcome {
	return p.complete(at, reason)
}

// complete confirms the current line (picked in full, or short for reason)
// and moves on, completing the task after the last line.
func (p *Pick) complete(at time.Time, reason domain.ShortReason) Outcome {
	l := p.line()
	l.Done = true
	typ := domain.EventLinePicked
	if reason != "" {
		l.Short = l.Qty - l.Picked
		l.Reason = string(reason)
		typ = domain.EventLineShorted
	}
	picked := domain.PickLine{TaskID: p.TaskID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: p.Tote,
		Picked: l.Picked, Lots: l.Lots, Serials: l.Serials}
	var evs []domain.Draft
	if typ == domain.EventLinePicked || l.Picked > 0 {
		// A short carries no picked units (the hub refuses them there): what
		// was picked of a shorted line goes first, as a pick of its own.
		evs = append(evs, domain.NewDraft(domain.EventLinePicked, at, p.UserID, picked))
	}
	if typ == domain.EventLineShorted {
		evs = append(evs, domain.NewDraft(typ, at, p.UserID, domain.PickLine{TaskID: p.TaskID, Line: l.Line, SKU: l.SKU,
			Location: l.Location, Tote: p.Tote, Short: l.Short, Reason: reason}))
	}
	p.LastDone = p.Cur
	if p.advance() {
		evs = append(evs, domain.NewDraft(domain.EventTaskCompleted, at, p.UserID, domain.TaskCompleted{TaskID: p.TaskID, Tote: p.Tote}))
	}
	return Outcome{Events: evs, Changed: true}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
