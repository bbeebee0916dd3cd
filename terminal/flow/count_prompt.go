package flow

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// actions lists what the counter may ask for at the current step.
func (c *Count) actions() []Action {
	if c.Problem != nil {
		return []Action{ActAck}
	}
	switch c.Step {
	case StepItem:
		acts := []Action{ActSubmit, ActEmpty}
		if len(c.Scans) > 0 {
			acts = append(acts, ActUndo)
		}
		return append(acts, ActBack)
	case StepLot, StepSerial, StepConfirmEmpty:
		return []Action{ActBack}
	}
	return nil
}

// Prompt says what the screen shows now. It never shows the system quantity:
// only what the counter has counted so far.
func (c *Count) Prompt() Prompt {
	pr := Prompt{Actions: c.actions(), Problem: c.Problem}
	kind := "COUNT"
	if c.Recount {
		kind = "RECOUNT"
	}
	done := 0
	for _, d := range c.Done {
		if d {
			done++
		}
	}
	if c.Step == StepDone {
		pr.Title = kind + " DONE"
		pr.Fields = []Field{{"Task", c.TaskID}, {"Locs", fmt.Sprintf("%d", len(c.Locations))}}
		pr.Ask = "Press Enter"
		return pr
	}
	loc := c.Location()
	pr.Title = fmt.Sprintf("%s %d/%d", kind, done+1, len(c.Locations))
	pr.Fields = []Field{{"Loc", loc}}
	pr.Essential = []string{"Loc", "Counted", "Last"}
	if c.Step != StepLocation {
		pr.Fields = append(pr.Fields, Field{"Counted", fmt.Sprintf("%d", c.units())})
		if len(c.Scans) > 0 {
			pr.Fields = append(pr.Fields, Field{"Last", c.describe(*c.last())})
		}
	}
	switch c.Step {
	case StepLocation:
		pr.Ask, pr.Expect, pr.Scan = "Scan location", loc, loc
	case StepItem:
		pr.Ask, pr.Expect = "Scan item or key qty", "items at "+loc
		pr.Scan = c.demoItem()
	case StepLot:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key lot", "lot of "+c.Pending, demoCountLot(loc)
	case StepSerial:
		pr.Ask, pr.Expect, pr.Scan = "Scan or key serial", "serial of "+c.Pending, c.demoSerial(loc)
	case StepConfirmEmpty:
		pr.Ask, pr.Expect = "Location empty?", "Enter = yes, empty"
	}
	return pr
}

// describe is a scan as the counter reads it: "HX-4411 x3 L1".
func (c *Count) describe(s CountedScan) string {
	what := s.SKU
	if what == "" {
		what = "? " + s.Code
	}
	out := fmt.Sprintf("%s x%d", what, s.Qty)
	if s.Lot != "" {
		out += " " + s.Lot
	}
	if s.Serial != "" {
		out += " " + s.Serial
	}
	return out
}

// demoItem is a barcode of some item the task knows, for a newcomer without a scanner.
func (c *Count) demoItem() string {
	best := ""
	for sku := range c.Items {
		if best == "" || sku < best {
			best = sku
		}
	}
	if best == "" {
		return ""
	}
	it, loc := c.Items[best], c.Location()
	switch it.Tracking {
	case domain.TrackLot:
		return fmt.Sprintf("(01)%s(10)%s", it.GTIN, demoCountLot(loc))
	case domain.TrackSerial:
		return fmt.Sprintf("(01)%s(21)%s", it.GTIN, c.demoSerial(loc))
	}
	return strings.TrimPrefix(it.GTIN, "0")
}

func demoCountLot(loc string) string { return "L2611" + loc[len(loc)-2:] }

func (c *Count) demoSerial(loc string) string {
	return fmt.Sprintf("SN%s%02d", strings.ReplaceAll(loc, "-", ""), len(c.Scans)+1)
}
