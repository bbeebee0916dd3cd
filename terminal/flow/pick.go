package flow

import (
	"fmt"
	"sort"

	"github.com/rfterm/rfterm/domain"
)

// Step is where a pick is.
type Step string

// Pick steps.
const (
	StepTote     Step = "tote"     // scan the tote to pick into
	StepLocation Step = "location" // go to and scan the line's location
	StepItem     Step = "item"     // scan the item
	StepLot      Step = "lot"      // scan or key the lot of a lot-tracked item
	StepSerial   Step = "serial"   // scan or key the serial of a serial-tracked unit
	StepQty      Step = "qty"      // scan more units or key the quantity
	StepShort    Step = "short"    // choose the short-pick reason
	StepDone     Step = "done"     // task complete: take the tote to packing
)

// PickLine is one task line and what has been picked for it so far.
type PickLine struct {
	domain.TaskLine
	Lots    []domain.LotQty `json:"lots,omitempty"`
	Serials []string        `json:"serials,omitempty"`
	Skips   int             `json:"skips,omitempty"`
	Reason  string          `json:"reason,omitempty"` // the short reason, once shorted
}

// Pick is the device-side state of one pick task. It is plain data: the
// session saves it as JSON after every change, so a pick resumes exactly
// where it stopped after a crash, a dead battery or a logout.
type Pick struct {
	TaskID    string                     `json:"task_id"`
	OrderID   string                     `json:"order_id"`
	UserID    string                     `json:"user_id"`
	Tote      string                     `json:"tote,omitempty"`
	Lines     []PickLine                 `json:"lines"` // pick order; a skipped line moves to the end
	Items     map[string]domain.Item     `json:"items"` // by SKU
	Locations map[string]domain.Location `json:"locations"`
	Cur       int                        `json:"cur"`            // the line being picked
	Step      Step                       `json:"step"`           // where the pick is
	Back      Step                       `json:"back,omitempty"` // where the short-reason menu returns to
	Lot       string                     `json:"lot,omitempty"`  // the lot of the units being picked
	LastDone  int                        `json:"last_done"`      // the line finished last, or -1
	Problem   *Problem                   `json:"problem,omitempty"`
}

// NewPick starts a pick for a claimed task. Every line's item and location must
// be known, so the whole task can be picked without the network. Lines are
// ordered by the locations' pick sequence.
func NewPick(task domain.Task, items []domain.Item, locations []domain.Location, userID string) (*Pick, error) {
	p := &Pick{
		TaskID: task.ID, OrderID: task.OrderID, UserID: userID, Tote: task.Tote,
		Items: map[string]domain.Item{}, Locations: map[string]domain.Location{}, LastDone: -1,
	}
	for _, it := range items {
		p.Items[it.SKU] = it
	}
	for _, l := range locations {
		p.Locations[l.Code] = l
	}
	for _, tl := range task.Lines {
		if _, ok := p.Items[tl.SKU]; !ok {
			return nil, fmt.Errorf("task %s line %d: item %s not in the task's item rows", task.ID, tl.Line, tl.SKU)
		}
		if _, ok := p.Locations[tl.Location]; !ok {
			return nil, fmt.Errorf("task %s line %d: location %s unknown", task.ID, tl.Line, tl.Location)
		}
		if tl.Qty <= 0 {
			return nil, fmt.Errorf("task %s line %d: quantity %d", task.ID, tl.Line, tl.Qty)
		}
		p.Lines = append(p.Lines, PickLine{TaskLine: tl})
	}
	if len(p.Lines) == 0 {
		return nil, fmt.Errorf("task %s has no lines", task.ID)
	}
	sort.SliceStable(p.Lines, func(i, j int) bool {
		return p.Locations[p.Lines[i].Location].Sequence < p.Locations[p.Lines[j].Location].Sequence
	})
	p.Step = StepTote
	if p.Tote != "" {
		p.advance()
	}
	return p, nil
}

// Handle takes one input and returns what it did. rules classify scans.
func (p *Pick) Handle(env Env, in Input) Outcome {
	rules := env.Rules
	if o, waiting := awaitAck(&p.Problem, in); waiting {
		return o
	}
	var o Outcome
	switch in.Kind {
	case InAction:
		o = p.action(in)
	case InScan:
		o = p.scan(rules.Classify(in.Scan), in)
	case InText:
		o = p.text(rules, in)
	}
	if o.Problem != nil {
		p.Problem = o.Problem
		o.Changed = true
	}
	return o
}

// awaitAck takes an input while a problem waits: an acknowledgement clears
// it, anything else is refused. waiting is false when no problem waits.
func awaitAck(problem **Problem, in Input) (o Outcome, waiting bool) {
	if *problem == nil {
		return Outcome{}, false
	}
	if isAck(in) {
		*problem = nil
		return Outcome{Changed: true}, true
	}
	return Outcome{Refused: true}, true
}

func isAck(in Input) bool {
	return (in.Kind == InAction && (in.Action == ActAck || in.Action == ActBack)) || (in.Kind == InText && in.Text == "")
}

// line is the line being picked.
func (p *Pick) line() *PickLine { return &p.Lines[p.Cur] }

func (p *Pick) item() domain.Item { return p.Items[p.line().SKU] }

// Finished reports whether every line is done.
func (p *Pick) Finished() bool { return p.Step == StepDone }

// advance moves to the first open line, or completes the task.
func (p *Pick) advance() (done bool) {
	p.Lot = ""
	for i := range p.Lines {
		if !p.Lines[i].Done {
			p.Cur, p.Step = i, StepLocation
			return false
		}
	}
	p.Step = StepDone
	return true
}

// openLines counts the lines not yet done.
func (p *Pick) openLines() int {
	n := 0
	for _, l := range p.Lines {
		if !l.Done {
			n++
		}
	}
	return n
}
