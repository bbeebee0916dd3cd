package flow

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// actions lists what the worker may ask for at the current step.
func (w *walk) actions() []Action {
	if w.Problem != nil {
		return []Action{ActAck}
	}
	switch w.Step {
	case StepLocation, StepItem:
		if w.line().Picked == 0 && w.openLines() > 1 {
			return []Action{ActShort, ActSkip}
		}
		return []Action{ActShort}
	case StepQty:
		return []Action{ActShort}
	case StepLot, StepSerial:
		return []Action{ActShort, ActBack}
	case StepShort:
		return []Action{ActBack}
	}
	return nil
}

// lineFields are the current line's fields: location, item, quantity, lot.
func (w *walk) lineFields() []Field {
	l, it := w.line(), w.item()
	fields := []Field{
		{"Loc", l.Location},
		{"SKU", it.SKU},
		{"Item", it.Description},
		{"Qty", fmt.Sprintf("%d of %d", l.Picked, l.Qty)},
	}
	if w.Lot != "" {
		fields = append(fields, Field{"Lot", w.Lot})
	}
	return fields
}

// lineAsk fills in what a line's step asks for. taskID seeds the demo hints
// (the task the line belongs to).
func (w *walk) lineAsk(pr *Prompt, taskID string) {
	l, it := w.line(), w.item()
	switch w.Step {
	case StepLocation:
		pr.Ask, pr.Expect, pr.Scan = "Scan location", l.Location, l.Location
	case StepItem:
		pr.Ask, pr.Expect, pr.Scan = "Scan item", it.SKU, w.demoItem(taskID, l.Picked)
	case StepQty:
		// A keyed number is the units added now (setQty): "3 more" keyed
		// as 3 completes the line.
		pr.Ask, pr.Expect, pr.Scan = "Scan or key how many", fmt.Sprintf("%d more", l.Qty-l.Picked), w.demoItem(taskID, l.Picked)
		if it.Tracking == domain.TrackSerial {
			pr.Ask = "Scan next unit"
		}
	case StepLot:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key lot", "lot of "+it.SKU, w.demoLot()
		if len(l.KnownLots) > 0 { // first expiry first
			first := l.KnownLots[0]
			pr.Expect = first.Lot
			if first.Expiry != "" {
				pr.Fields = append(pr.Fields, Field{"Exp", first.Expiry})
			}
		}
	case StepSerial:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key serial", "serial of "+it.SKU, w.demoSerial(taskID, l.Picked)
	case StepShort:
		pr.Ask, pr.Expect = "Short reason", fmt.Sprintf("%d short", l.Qty-l.Picked)
		for i, r := range domain.ShortReasons() {
			pr.Menu = append(pr.Menu, fmt.Sprintf("%d %s", i+1, r.Label()))
		}
		pr.Scan = "1"
	}
}

// shortCount counts the lines shorted.
func (w *walk) shortCount() int {
	n := 0
	for _, l := range w.Lines {
		if l.Short > 0 {
			n++
		}
	}
	return n
}

// The demo hints below give a newcomer without a scanner a barcode that
// satisfies the step: a tote, the item as GS1 with a lot or serial, and so on.

// demoTote is a tote label for a task: T and the last five digits of its id.
func demoTote(taskID string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, taskID)
	digits = "00000" + digits
	return "T" + digits[len(digits)-5:]
}

func (w *walk) demoItem(taskID string, picked int) string {
	it := w.item()
	switch it.Tracking {
	case domain.TrackLot:
		return fmt.Sprintf("(01)%s(10)%s", it.GTIN, w.demoLot())
	case domain.TrackSerial:
		return fmt.Sprintf("(01)%s(21)%s", it.GTIN, w.demoSerial(taskID, picked))
	}
	return strings.TrimPrefix(it.GTIN, "0") // GTIN-13 as printed under an EAN-13
}

// demoLot is the lot to take: the first to expire of those at the line's
// location, or a made-up one where the site keeps none.
func (w *walk) demoLot() string {
	if lots := w.line().KnownLots; len(lots) > 0 {
		return lots[0].Lot
	}
	return fmt.Sprintf("L2611%02d", w.line().Line)
}

func (w *walk) demoSerial(taskID string, picked int) string {
	return fmt.Sprintf("SN%s%02d%02d", demoTote(taskID)[1:], w.line().Line, picked+1)
}
