package flow

import (
	"fmt"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// Step is where a pick is.
type Step string

// Pick steps (a cluster pick adds StepPut).
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
	Pos     int             `json:"pos,omitempty"` // the cart position its units go to (cluster picking); 0 in a single pick
	Lots    []domain.LotQty `json:"lots,omitempty"`
	Serials []string        `json:"serials,omitempty"`
	Skips   int             `json:"skips,omitempty"`
	Reason  string          `json:"reason,omitempty"` // the short reason, once shorted
}

// Pick is the device-side state of one pick task. It is plain data: the
// session saves it as JSON after every change, so a pick resumes exactly
// where it stopped after a crash, a dead battery or a logout.
type Pick struct {
	TaskID  string `json:"task_id"`
	OrderID string `json:"order_id"`
	UserID  string `json:"user_id"`
	Tote    string `json:"tote,omitempty"`
	walk           // the lines, the step, the problem waiting
}

// NewPick starts a pick for a claimed task. Every line's item and location must
// be known, so the whole task can be picked without the network. Lines are
// ordered by the locations' pick sequence.
func NewPick(task domain.Task, items []domain.Item, locations []domain.Location, userID string) (*Pick, error) {
	p := &Pick{TaskID: task.ID, OrderID: task.OrderID, UserID: userID, Tote: task.Tote, walk: newWalk(items, locations)}
	if err := p.addTask(task, 0); err != nil {
		return nil, err
	}
	p.sortLines()
	p.Step = StepTote
	if p.Tote != "" {
		p.advance()
	}
	return p, nil
}

// KnowBusyTotes takes the busy totes of the claim (api.ClaimResponse.BusyTotes):
// the session calls it once after NewPick.
func (p *Pick) KnowBusyTotes(holds []domain.ToteHold) { p.knowBusyTotes(holds, p.OrderID) }

// Handle takes one input and returns what it did.
func (p *Pick) Handle(env Env, in Input) Outcome { return p.handle(p, env, in) }

// Finished reports whether every line is done.
func (p *Pick) Finished() bool { return p.Step == StepDone }

// scan takes a scan at the tote and done steps; the lines' steps are the walk's.
func (p *Pick) scan(c barcode.Classified, in Input) Outcome {
	switch p.Step {
	case StepTote:
		if c.Kind != barcode.KindTote {
			return Outcome{Problem: notATote(c)}
		}
		if pr := p.busyTote(c.Code); pr != nil {
			return Outcome{Problem: pr}
		}
		p.Tote = c.Code
		ev := domain.NewDraft(domain.EventTaskStarted, in.At, p.UserID, domain.TaskStarted{TaskID: p.TaskID, Tote: p.Tote})
		p.advance()
		return Outcome{Events: []domain.Draft{ev}, Changed: true}
	case StepDone:
		return Outcome{Problem: &Problem{Title: "TASK COMPLETE", Detail: fmt.Sprintf("Take tote %s to packing. Then Enter for the next task, or M for the menu.", p.Tote)}}
	}
	return p.lineScan(p, c, in)
}

// notATote is the problem of a scan that should have been a tote.
func notATote(c barcode.Classified) *Problem {
	return &Problem{Title: "NOT A TOTE", Detail: fmt.Sprintf("Scanned %s. Scan a tote label.", c.Code)}
}

// lineDone confirms the finished line and moves on, completing the task
// after the last line.
func (p *Pick) lineDone(at time.Time) Outcome {
	evs := lineEvents(*p.line(), p.TaskID, p.Tote, p.UserID, at)
	if p.advance() {
		evs = append(evs, domain.NewDraft(domain.EventTaskCompleted, at, p.UserID, domain.TaskCompleted{TaskID: p.TaskID, Tote: p.Tote}))
	}
	return Outcome{Events: evs, Changed: true}
}
