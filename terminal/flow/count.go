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

// Actions of the count and return flows.
const (
	ActEmpty  Action = "empty"  // the location holds nothing: asks for confirmation
	ActSubmit Action = "submit" // the count of this location (or the return) is finished
	ActUndo   Action = "undo"   // take back the last scan
)

// StepConfirmEmpty asks the counter to confirm that the location is empty.
const StepConfirmEmpty Step = "confirm_empty"

// CountedScan is one scan of a count: Qty units of an item (SKU set) or of a
// barcode the device does not know (Code set, kept for review).
type CountedScan struct {
	SKU    string `json:"sku,omitempty"`
	Code   string `json:"code,omitempty"`
	Lot    string `json:"lot,omitempty"`
	Serial string `json:"serial,omitempty"`
	Qty    int    `json:"qty"`
	Keyed  bool   `json:"keyed,omitempty"` // Qty was keyed after the scan
}

// Count is the device-side state of one blind count task. It is plain data:
// the session saves it as JSON after every scan, so a count resumes exactly
// where it stopped. It never holds the system quantity.
type Count struct {
	TaskID    string                     `json:"task_id"`
	UserID    string                     `json:"user_id"`
	Locations []string                   `json:"locations"` // walk order
	Done      []bool                     `json:"done"`      // per location: submitted
	Items     map[string]domain.Item     `json:"items"`     // by SKU
	Places    map[string]domain.Location `json:"places"`    // by code
	Cur       int                        `json:"cur"`       // the location being counted
	Step      Step                       `json:"step"`
	Scans     []CountedScan              `json:"scans"`              // at the current location, in order
	Pending   string                     `json:"pending,omitempty"`  // SKU scanned, waiting for its lot or serial
	Problem   *Problem                   `json:"problem,omitempty"`  // waiting for acknowledgement
	Recount   bool                       `json:"recount,omitempty"`  // the task is a recount
	Previous  string                     `json:"previous,omitempty"` // the location submitted last, for the prompt
}

// NewCount starts a blind count of a claimed count task. Every location must
// be known so the task can be counted offline; items are those the session
// knows (usually the ones the claim carried): other barcodes are recorded for
// review.
func NewCount(task domain.CountTask, items []domain.Item, locations []domain.Location, userID string) (*Count, error) {
	c := &Count{TaskID: task.ID, UserID: userID, Items: map[string]domain.Item{}, Places: map[string]domain.Location{},
		Recount: task.By == domain.CountByRecount, Scans: []CountedScan{}}
	for _, it := range items {
		c.Items[it.SKU] = it
	}
	for _, l := range locations {
		c.Places[l.Code] = l
	}
	for _, code := range task.Locations {
		if _, ok := c.Places[code]; !ok {
			return nil, fmt.Errorf("count task %s: location %s unknown", task.ID, code)
		}
		c.Locations = append(c.Locations, code)
		c.Done = append(c.Done, slices.Contains(task.Counted, code))
	}
	if len(c.Locations) == 0 {
		return nil, fmt.Errorf("count task %s has no locations", task.ID)
	}
	c.next()
	return c, nil
}

// Finished reports whether every location is counted.
func (c *Count) Finished() bool { return c.Step == StepDone }

// Location is the code of the location being counted ("" when finished).
func (c *Count) Location() string {
	if c.Step == StepDone {
		return ""
	}
	return c.Locations[c.Cur]
}

// next moves to the first location not yet submitted, or finishes.
func (c *Count) next() {
	c.Scans, c.Pending = []CountedScan{}, ""
	for i, done := range c.Done {
		if !done {
			c.Cur, c.Step = i, StepLocation
			return
		}
	}
	c.Step = StepDone
}

// Handle takes one input and returns what it did. rules classify scans.
func (c *Count) Handle(env Env, in Input) Outcome {
	return dispatch(&c.Problem, env, in, c.action,
		func(s barcode.Classified, _ Input) Outcome { return c.scan(s) },
		func(in Input) Outcome { return c.text(env.Rules, in) })
}

func (c *Count) action(in Input) Outcome {
	if !slices.Contains(c.actions(), in.Action) {
		return Outcome{}
	}
	switch in.Action {
	case ActBack:
		switch c.Step {
		case StepLot, StepSerial:
			c.Pending, c.Step = "", StepItem
		case StepConfirmEmpty:
			c.Step = StepItem
		case StepItem:
			c.Step = StepLocation
		}
	case ActUndo:
		c.Scans = c.Scans[:len(c.Scans)-1]
	case ActEmpty:
		if n := c.units(); n > 0 {
			return Outcome{Problem: &Problem{Title: "NOT EMPTY", Detail: fmt.Sprintf("%d counted here. Undo them or submit.", n)}}
		}
		c.Step = StepConfirmEmpty
	case ActSubmit:
		if len(c.Scans) == 0 {
			return Outcome{Problem: &Problem{Title: "NOTHING COUNTED", Detail: "Scan the items, or mark the location empty."}}
		}
		return c.submit(false, in.At)
	}
	return Outcome{Changed: true}
}

func (c *Count) text(rules *barcode.Rules, in Input) Outcome {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "" && c.Step == StepDone:
		return Outcome{Done: true}
	case text == "" && c.Step == StepConfirmEmpty:
		return c.submit(true, in.At)
	case text == "":
		return Outcome{}
	case c.Step == StepItem && isDigits(text) && len(text) <= maxQtyDigits:
		return c.keyQty(text)
	case c.Step == StepLocation && text == c.Places[c.Locations[c.Cur]].Check:
		c.Step = StepItem
		return Outcome{Changed: true}
	}
	return c.scan(rules.Classify(barcode.Keyed(text, in.At)))
}

func (c *Count) scan(s barcode.Classified) Outcome {
	if s.Err != nil {
		return Outcome{Problem: &Problem{Title: "BAD BARCODE", Detail: s.Err.Error() + ". Rescan, or key the SKU."}}
	}
	want := c.Location()
	switch c.Step {
	case StepLocation:
		if s.Kind == barcode.KindLocation && s.Code == want {
			c.Step = StepItem
			return Outcome{Changed: true}
		}
		if s.Kind == barcode.KindLocation {
			return Outcome{Problem: &Problem{Title: "WRONG LOCATION", Detail: fmt.Sprintf("Scanned %s. Go to %s.", s.Code, want)}}
		}
		return Outcome{Problem: &Problem{Title: "SCAN LOCATION", Detail: fmt.Sprintf("Scanned %s. Scan location %s first.", s.Code, want)}}
	case StepItem:
		return c.itemScan(s)
	case StepLot:
		return c.identity(s, s.Lot, "lot")
	case StepSerial:
		return c.identity(s, s.Serial, "serial")
	case StepConfirmEmpty:
		return Outcome{Problem: &Problem{Title: "CONFIRM EMPTY", Detail: "Press Enter if the location is empty, or go back to count."}}
	}
	return Outcome{Problem: &Problem{Title: "COUNT COMPLETE", Detail: "Every location is counted. Press Enter."}}
}

// itemScan counts one unit of the scanned item, asking for its lot or serial
// first when the item is tracked and the barcode does not carry it.
func (c *Count) itemScan(s barcode.Classified) Outcome {
	if s.Kind == barcode.KindLocation {
		if s.Code == c.Location() {
			return Outcome{} // the location again: already confirmed
		}
		return Outcome{Problem: &Problem{Title: "SUBMIT FIRST", Detail: fmt.Sprintf("Scanned %s. Submit %s (or mark it empty) before moving on.", s.Code, c.Location())}}
	}
	if s.Kind != barcode.KindUnknown && s.Kind != barcode.KindGTIN && s.Kind != barcode.KindGS1 {
		return Outcome{Problem: &Problem{Title: "NOT AN ITEM", Detail: fmt.Sprintf("Scanned %s (%s). Scan an item.", s.Code, s.Kind)}}
	}
	it, ok := c.itemOf(s)
	if !ok {
		code := s.Code
		if s.GTIN != "" {
			code = s.GTIN
		}
		return c.add(CountedScan{Code: code, Qty: 1})
	}
	switch it.Tracking {
	case domain.TrackLot:
		lot := s.Lot
		if lot == "" && len(c.Scans) > 0 && c.last().SKU == it.SKU {
			lot = c.last().Lot // more of the same lot
		}
		if lot == "" {
			c.Pending, c.Step = it.SKU, StepLot
			return Outcome{Changed: true}
		}
		return c.add(CountedScan{SKU: it.SKU, Lot: lot, Qty: 1})
	case domain.TrackSerial:
		if s.Serial == "" {
			c.Pending, c.Step = it.SKU, StepSerial
			return Outcome{Changed: true}
		}
		return c.add(CountedScan{SKU: it.SKU, Serial: s.Serial, Qty: 1})
	}
	return c.add(CountedScan{SKU: it.SKU, Qty: 1})
}

// identity takes the lot or serial of the pending item.
func (c *Count) identity(s barcode.Classified, fromGS1, what string) Outcome {
	it := c.Items[c.Pending]
	var v string
	switch {
	case fromGS1 != "" && s.GTIN != "" && s.GTIN != it.GTIN:
		return Outcome{Problem: &Problem{Title: "WRONG ITEM", Detail: fmt.Sprintf("Scanned %s. Scan the %s of %s.", s.Code, what, it.SKU)}}
	case fromGS1 != "":
		v = fromGS1
	case s.Kind == barcode.KindUnknown && s.Code != "":
		v = s.Code
	default:
		return Outcome{Problem: &Problem{Title: "NOT A " + strings.ToUpper(what), Detail: fmt.Sprintf("Scanned %s (%s). Scan or key the %s.", s.Code, s.Kind, what)}}
	}
	cs := CountedScan{SKU: it.SKU, Qty: 1}
	if what == "lot" {
		cs.Lot = v
	} else {
		cs.Serial = v
	}
	c.Pending, c.Step = "", StepItem
	return c.add(cs)
}

// add records one scan.
func (c *Count) add(cs CountedScan) Outcome {
	if cs.Serial != "" && slices.ContainsFunc(c.Scans, func(o CountedScan) bool { return o.SKU == cs.SKU && o.Serial == cs.Serial }) {
		return Outcome{Problem: &Problem{Title: "DUPLICATE SERIAL", Detail: fmt.Sprintf("Serial %s is already counted here.", cs.Serial)}}
	}
	c.Scans = append(c.Scans, cs)
	c.Step = StepItem
	return Outcome{Changed: true}
}

func (c *Count) last() *CountedScan { return &c.Scans[len(c.Scans)-1] }

// keyQty says the last scan stands for n units.
func (c *Count) keyQty(text string) Outcome {
	n, _ := strconv.Atoi(text) // digits only, at most maxQtyDigits: cannot fail
	switch {
	case len(c.Scans) == 0:
		return Outcome{Problem: &Problem{Title: "SCAN ITEM FIRST", Detail: "Scan one unit, then key how many there are."}}
	case c.last().Keyed:
		return Outcome{Problem: &Problem{Title: "SCAN ITEM FIRST", Detail: "That scan has its quantity. Scan the next item, or undo."}}
	case c.last().Serial != "":
		return Outcome{Problem: &Problem{Title: "SCAN EACH UNIT", Detail: "Serial-tracked: scan every unit's serial."}}
	case n <= 0:
		return Outcome{Problem: &Problem{Title: "BAD QUANTITY", Detail: fmt.Sprintf("%q is not a quantity. Undo the scan if it was wrong.", text)}}
	}
	c.last().Qty, c.last().Keyed = n, true
	return Outcome{Changed: true}
}

// units counts the units scanned at the current location.
func (c *Count) units() int {
	n := 0
	for _, s := range c.Scans {
		n += s.Qty
	}
	return n
}

// itemOf finds the item a scan identifies: GTIN, SKU or one of its barcodes.
func (c *Count) itemOf(s barcode.Classified) (domain.Item, bool) {
	for _, it := range c.Items {
		if itemMatches(s, it) {
			return it, true
		}
	}
	return domain.Item{}, false
}

// submit sends the count of the current location and moves to the next.
func (c *Count) submit(empty bool, at time.Time) Outcome {
	p := domain.CountSubmitted{TaskID: c.TaskID, Location: c.Location(), Empty: empty, Lines: c.lines(), Unknown: c.unknown()}
	ev := domain.NewDraft(domain.EventCountSubmitted, at, c.UserID, p)
	c.Done[c.Cur] = true
	c.Previous = p.Location
	c.next()
	return Outcome{Events: []domain.Draft{ev}, Changed: true}
}

// lines sums the scans per item, with lots and serials.
func (c *Count) lines() []domain.CountLine {
	out := []domain.CountLine{}
	for _, s := range c.Scans {
		if s.SKU == "" {
			continue
		}
		i := slices.IndexFunc(out, func(l domain.CountLine) bool { return l.SKU == s.SKU })
		if i < 0 {
			out = append(out, domain.CountLine{SKU: s.SKU})
			i = len(out) - 1
		}
		out[i].Qty += s.Qty
		if s.Lot != "" {
			out[i].Lots = addLot(out[i].Lots, s.Lot, s.Qty)
		}
		if s.Serial != "" {
			out[i].Serials = append(out[i].Serials, s.Serial)
		}
	}
	return out
}

// unknown sums the scans of barcodes the device did not know.
func (c *Count) unknown() []domain.CountScan {
	var out []domain.CountScan
	for _, s := range c.Scans {
		if s.SKU != "" {
			continue
		}
		i := slices.IndexFunc(out, func(u domain.CountScan) bool { return u.Code == s.Code })
		if i < 0 {
			out = append(out, domain.CountScan{Code: s.Code})
			i = len(out) - 1
		}
		out[i].Qty += s.Qty
	}
	return out
}
