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

// action takes an action key, when the step offers it.
func (w *walk) action(in Input) Outcome {
	if !slices.Contains(w.actions(), in.Action) {
		return Outcome{}
	}
	switch in.Action {
	case ActShort:
		w.Back, w.Step = w.Step, StepShort
	case ActSkip:
		return w.skip()
	case ActBack:
		switch w.Step {
		case StepShort:
			w.Step = w.Back
		case StepLot, StepSerial:
			w.Step = w.itemStep()
		case StepItem:
			w.Step = StepLocation
		}
	}
	return Outcome{Changed: true}
}

// itemStep is StepItem before the first unit of a line and StepQty after it.
func (w *walk) itemStep() Step {
	if w.line().Picked > 0 {
		return StepQty
	}
	return StepItem
}

func (w *walk) skip() Outcome {
	if w.line().Picked > 0 {
		return Outcome{Problem: &Problem{Title: "CANNOT SKIP", Detail: fmt.Sprintf("%d already picked. Finish the line or short it.", w.line().Picked)}}
	}
	if w.openLines() < 2 {
		return Outcome{Problem: &Problem{Title: "CANNOT SKIP", Detail: "This is the last line. Pick it or short it."}}
	}
	l := w.Lines[w.Cur]
	l.Skips++
	w.Lines = append(slices.Delete(w.Lines, w.Cur, w.Cur+1), l)
	w.LastDone = -1
	w.advance()
	return Outcome{Changed: true}
}

// text takes a typed line: Enter on the done screen finishes; a short
// reason, a quantity or location check digits where the step takes them;
// anything else is a barcode keyed by hand.
func (w *walk) text(own picking, rules *barcode.Rules, in Input) Outcome {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "":
		if w.Step == StepDone {
			return Outcome{Done: true}
		}
		return Outcome{}
	case w.Step == StepShort:
		n, err := strconv.Atoi(text)
		reasons := domain.ShortReasons()
		if err != nil || n < 1 || n > len(reasons) {
			return Outcome{Problem: &Problem{Title: "CHOOSE A REASON", Detail: fmt.Sprintf("Key 1 to %d, or go back.", len(reasons))}}
		}
		return w.complete(own, in.At, reasons[n-1])
	case w.Step == StepQty && isDigits(text) && len(text) <= maxQtyDigits:
		return w.setQty(own, text, in.At)
	case w.Step == StepLocation && text == w.Locations[w.line().Location].Check:
		w.Step = StepItem
		return Outcome{Changed: true}
	}
	return own.scan(rules.Classify(barcode.Keyed(text, in.At)), in)
}

// lineScan takes a scan at one of the lines' steps.
func (w *walk) lineScan(own picking, c barcode.Classified, in Input) Outcome {
	switch w.Step {
	case StepLocation:
		want := w.line().Location
		if c.Kind == barcode.KindLocation && c.Code == want {
			w.Step = StepItem
			return Outcome{Changed: true}
		}
		if c.Kind == barcode.KindLocation {
			return Outcome{Problem: &Problem{Title: "WRONG LOCATION", Detail: fmt.Sprintf("Scanned %s. Go to %s.", c.Code, want)}}
		}
		if w.LastDone >= 0 && w.matches(c, w.Items[w.Lines[w.LastDone].SKU]) {
			l := w.Lines[w.LastDone]
			return Outcome{Problem: &Problem{Title: "OVER PICK", Detail: fmt.Sprintf("%s is complete (%d/%d). Put it back.", l.SKU, l.Picked, l.Qty)}}
		}
		return Outcome{Problem: &Problem{Title: "SCAN LOCATION", Detail: fmt.Sprintf("Scanned %s. Scan location %s first.", c.Code, want)}}
	case StepItem, StepQty:
		return w.itemScan(own, c, in.At)
	case StepLot:
		lot, prob := w.identity(c, c.Lot, "lot")
		if prob == nil {
			prob = w.unknownLot(lot)
		}
		if prob != nil {
			return Outcome{Problem: prob}
		}
		w.Lot = lot
		return w.addUnit(own, lot, "", in.At)
	case StepSerial:
		serial, prob := w.identity(c, c.Serial, "serial")
		if prob != nil {
			return Outcome{Problem: prob}
		}
		return w.addUnit(own, "", serial, in.At)
	case StepShort:
		return Outcome{Problem: &Problem{Title: "CHOOSE A REASON", Detail: "Key the short reason (1-3) or go back before scanning."}}
	}
	return Outcome{}
}

// identity takes a lot or serial from a scan: the GS1 AI value when the scan
// carries it, else the scanned text when it is nothing the site knows.
func (w *walk) identity(c barcode.Classified, fromGS1, what string) (string, *Problem) {
	if c.Err != nil {
		return "", &Problem{Title: "BAD BARCODE", Detail: c.Err.Error()}
	}
	switch v, wrong := identityOf(c, fromGS1, w.item()); {
	case wrong:
		return "", w.wrongItem(c)
	case v != "":
		return v, nil
	}
	return "", &Problem{Title: "NOT A " + strings.ToUpper(what), Detail: fmt.Sprintf("Scanned %s (%s). Scan or key the %s.", c.Code, c.Kind, what)}
}

func (w *walk) itemScan(own picking, c barcode.Classified, at time.Time) Outcome {
	if c.Err != nil {
		return Outcome{Problem: &Problem{Title: "BAD BARCODE", Detail: c.Err.Error() + ". Rescan, or key the SKU."}}
	}
	it := w.item()
	if !w.matches(c, it) {
		if c.Kind == barcode.KindLocation && c.Code == w.line().Location {
			return Outcome{} // the location again: already confirmed
		}
		return Outcome{Problem: w.wrongItem(c)}
	}
	switch it.Tracking {
	case domain.TrackLot:
		lot := c.Lot
		if lot == "" && w.Step == StepQty {
			lot = w.Lot
		}
		if lot == "" {
			w.Step = StepLot
			return Outcome{Changed: true}
		}
		if pr := w.unknownLot(lot); pr != nil {
			return Outcome{Problem: pr}
		}
		w.Lot = lot
		return w.addUnit(own, lot, "", at)
	case domain.TrackSerial:
		if c.Serial == "" {
			w.Step = StepSerial
			return Outcome{Changed: true}
		}
		return w.addUnit(own, "", c.Serial, at)
	}
	return w.addUnit(own, "", "", at)
}

func (w *walk) wrongItem(c barcode.Classified) *Problem {
	what := c.Code
	for _, it := range w.Items {
		if w.matches(c, it) {
			what = it.SKU + " " + it.Description
			break
		}
	}
	it := w.item()
	return &Problem{Title: "WRONG ITEM", Detail: fmt.Sprintf("Scanned %s. Pick %s %s.", what, it.SKU, it.Description)}
}

// matches reports whether a scan identifies the item: its GTIN, SKU or one of its barcodes.
func (w *walk) matches(c barcode.Classified, it domain.Item) bool { return itemMatches(c, it) }

// addUnit records one unit (with its lot or serial) and completes the line when it is full.
func (w *walk) addUnit(own picking, lot, serial string, at time.Time) Outcome {
	l := w.line()
	if l.Picked >= l.Qty {
		return Outcome{Problem: &Problem{Title: "OVER PICK", Detail: fmt.Sprintf("Line needs %d, %d picked.", l.Qty, l.Picked)}}
	}
	if serial != "" {
		if err := w.item().CheckSerial(serial); err != nil {
			// Keyed at the serial step, the serial is asked again; scanned
			// with the item (a GS1 code), the unit is scanned again.
			again := "Scan or key this unit's serial again"
			if w.Step != StepSerial {
				w.Step, again = w.itemStep(), "Scan this unit again"
			}
			return Outcome{Problem: &Problem{Title: "BAD SERIAL", Detail: fmt.Sprintf("%v. %s, or put it aside.", err, again)}}
		}
		if w.serialTaken(l.SKU, serial) {
			w.Step = w.itemStep()
			return Outcome{Problem: &Problem{Title: "DUPLICATE SERIAL", Detail: fmt.Sprintf("Serial %s is already picked. Scan another unit.", serial)}}
		}
		l.Serials = append(l.Serials, serial)
	}
	if lot != "" {
		l.Lots = addLot(l.Lots, lot, 1)
	}
	l.Picked++
	if l.Picked == l.Qty {
		return w.complete(own, at, "")
	}
	w.Step = StepQty
	return Outcome{Changed: true}
}

// unknownLot is the problem of a lot the line's location does not hold
// (the claim's known lots), or nil.
func (w *walk) unknownLot(lot string) *Problem {
	l := w.line()
	if domain.LotKnown(l.KnownLots, lot) {
		return nil
	}
	return &Problem{Title: "UNKNOWN LOT", Detail: fmt.Sprintf("Lot %s is not at %s. Lots there: %s.", lot, l.Location, domain.LotNames(l.KnownLots))}
}

// serialTaken reports whether a serial of sku is picked on any line of the
// work already (a task, or every order of a cluster).
func (w *walk) serialTaken(sku, serial string) bool {
	return slices.ContainsFunc(w.Lines, func(l PickLine) bool { return l.SKU == sku && slices.Contains(l.Serials, serial) })
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

// setQty takes a keyed quantity at the quantity step: the units added now,
// on top of those already scanned, as the prompt says ("19 more" after one
// scan: keying 19 completes the line).
func (w *walk) setQty(own picking, text string, at time.Time) Outcome {
	l, it := w.line(), w.item()
	left := l.Qty - l.Picked
	n, err := strconv.Atoi(text)
	switch {
	case err != nil || n <= 0:
		return Outcome{Problem: &Problem{Title: "BAD QUANTITY", Detail: fmt.Sprintf("%q is not a quantity. Key how many more you take.", text)}}
	case it.Tracking == domain.TrackSerial:
		return Outcome{Problem: &Problem{Title: "SCAN EACH UNIT", Detail: "Serial-tracked: scan every unit's serial."}}
	case n > left:
		return Outcome{Problem: &Problem{Title: "OVER PICK", Detail: fmt.Sprintf("Keyed %d more, the line needs %d more (%d of %d picked). Put %d back.", n, left, l.Picked, l.Qty, n-left)}}
	}
	if it.Tracking == domain.TrackLot {
		l.Lots = addLot(l.Lots, w.Lot, n)
	}
	l.Picked += n
	if l.Picked == l.Qty {
		return w.complete(own, at, "")
	}
	return Outcome{Changed: true}
}

// complete marks the current line finished (picked in full, or short for
// reason) and lets the owner confirm it and move on.
func (w *walk) complete(own picking, at time.Time, reason domain.ShortReason) Outcome {
	l := w.line()
	l.Done = true
	if reason != "" {
		l.Short = l.Qty - l.Picked
		l.Reason = string(reason)
	}
	w.LastDone = w.Cur
	return own.lineDone(at)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
