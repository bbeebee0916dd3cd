package flow

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// actions lists what the worker may ask for at the current step.
func (p *Pick) actions() []Action {
	if p.Problem != nil {
		return []Action{ActAck}
	}
	switch p.Step {
	case StepLocation, StepItem:
		if p.line().Picked == 0 && p.openLines() > 1 {
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

// Prompt says what the screen shows now.
func (p *Pick) Prompt() Prompt {
	pr := Prompt{Actions: p.actions(), Problem: p.Problem}
	done := len(p.Lines) - p.openLines()
	if p.Step == StepDone {
		pr.Title = fmt.Sprintf("PICK %s DONE", p.OrderID)
		pr.Fields = []Field{{"Tote", p.Tote}, {"Lines", fmt.Sprintf("%d", len(p.Lines))}}
		if s := p.shortCount(); s > 0 {
			pr.Fields = append(pr.Fields, Field{"Short", fmt.Sprintf("%d line(s)", s)})
		}
		pr.Ask = "Take tote to packing"
		pr.Expect = p.Tote
		pr.Scan = ""
		return pr
	}
	pr.Title = fmt.Sprintf("PICK %d/%d %s", done+1, len(p.Lines), p.OrderID)
	if p.Step == StepTote {
		pr.Fields = []Field{{"Order", p.OrderID}, {"Lines", fmt.Sprintf("%d", len(p.Lines))}}
		pr.Ask = "Scan tote"
		pr.Expect = "a tote label"
		pr.Scan = p.demoTote()
		return pr
	}
	l, it := p.line(), p.item()
	pr.Fields = []Field{
		{"Loc", l.Location},
		{"SKU", it.SKU},
		{"Item", it.Description},
		{"Qty", fmt.Sprintf("%d of %d", l.Picked, l.Qty)},
	}
	if p.Lot != "" {
		pr.Fields = append(pr.Fields, Field{"Lot", p.Lot})
	}
	pr.Fields = append(pr.Fields, Field{"Tote", p.Tote})
	switch p.Step {
	case StepLocation:
		pr.Ask, pr.Expect, pr.Scan = "Scan location", l.Location, l.Location
	case StepItem:
		pr.Ask, pr.Expect, pr.Scan = "Scan item", it.SKU, p.demoItem(l.Picked)
	case StepQty:
		pr.Ask, pr.Expect, pr.Scan = "Scan next or key qty", fmt.Sprintf("%d more", l.Qty-l.Picked), p.demoItem(l.Picked)
		if it.Tracking == domain.TrackSerial {
			pr.Ask = "Scan next unit"
		}
	case StepLot:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key lot", "lot of "+it.SKU, demoLot(l.Line)
	case StepSerial:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key serial", "serial of "+it.SKU, p.demoSerial(l.Picked)
	case StepShort:
		pr.Ask, pr.Expect = "Short reason", fmt.Sprintf("%d short", l.Qty-l.Picked)
		for i, r := range domain.ShortReasons() {
			pr.Menu = append(pr.Menu, fmt.Sprintf("%d %s", i+1, r.Label()))
		}
		pr.Scan = "1"
	}
	return pr
}

func (p *Pick) shortCount() int {
	n := 0
	for _, l := range p.Lines {
		if l.Short > 0 {
			n++
		}
	}
	return n
}

// The demo hints below give a newcomer without a scanner a barcode that
// satisfies the step: a tote, the item as GS1 with a lot or serial, and so on.

func (p *Pick) demoTote() string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p.TaskID)
	digits = "00000" + digits
	return "T" + digits[len(digits)-5:]
}

func (p *Pick) demoItem(picked int) string {
	it := p.item()
	switch it.Tracking {
	case domain.TrackLot:
		return fmt.Sprintf("(01)%s(10)%s", it.GTIN, demoLot(p.line().Line))
	case domain.TrackSerial:
		return fmt.Sprintf("(01)%s(21)%s", it.GTIN, p.demoSerial(picked))
	}
	return strings.TrimPrefix(it.GTIN, "0") // GTIN-13 as printed under an EAN-13
}

func demoLot(line int) string { return fmt.Sprintf("L2611%02d", line) }

func (p *Pick) demoSerial(picked int) string {
	return fmt.Sprintf("SN%s%02d%02d", p.demoTote()[1:], p.line().Line, picked+1)
}
