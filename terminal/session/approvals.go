package session

import (
	"context"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
)

// ModeApprovals is the lead's approvals mode.
const ModeApprovals Mode = "approvals"

// approvalsWork is where a lead approves or rejects stock adjustments.
type approvalsWork struct {
	base
	adjs []api.Adjustment // waiting for the lead, as fetched
	at   int              // the one shown
	note string           // the last decision
}

func newApprovalsWork(b base) Workflow { return &approvalsWork{base: b} }

// Open fetches the adjustments waiting for a lead.
func (w *approvalsWork) Open() {
	s, lead, hub := w.s, w.user.ID, w.s.leadHub()
	s.background("Getting adjustments", func(ctx context.Context) func() {
		adjs, err := hub.Adjustments(ctx, lead, api.AdjustPending)
		return func() {
			if err != nil {
				s.hubFailed(err, "Nothing waits for approval.", "Approvals need the hub.")
				return
			}
			w.adjs, w.at, w.note = adjs, 0, ""
			s.show(w)
		}
	})
}

func (w *approvalsWork) Handle(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		w.s.toMenu()
		return Result{}
	}
	if len(w.adjs) == 0 {
		return Result{}
	}
	switch choice(in) {
	case "":
	case "1", "2":
		w.decide(w.adjs[w.at], choice(in) == "1")
	case "3":
		w.at = (w.at + 1) % len(w.adjs)
	default:
		return w.s.fail("NOT ON THE MENU", "Key 1 to approve, 2 to reject, 3 for the next one.")
	}
	return Result{}
}

// decide approves or rejects an adjustment at the hub.
func (w *approvalsWork) decide(a api.Adjustment, approve bool) {
	s, lead, hub := w.s, w.user.ID, w.s.leadHub()
	s.background("Recording the decision", func(ctx context.Context) func() {
		_, err := hub.DecideAdjustment(ctx, a.ID, api.DecisionRequest{UserID: lead, Approve: approve})
		return func() {
			if err != nil {
				if !s.leadEnded(err) && !s.notEnrolledErr(err) {
					s.fail("NOT RECORDED", describe(err))
				}
				return
			}
			for i := range w.adjs {
				if w.adjs[i].ID == a.ID {
					w.adjs = append(w.adjs[:i], w.adjs[i+1:]...)
					break
				}
			}
			w.at = 0
			verb := "rejected"
			if approve {
				verb = "approved"
			}
			w.note = fmt.Sprintf("%s at %s %s.", a.ID, a.Location, verb)
		}
	})
}

func (w *approvalsWork) Prompt() flow.Prompt {
	back := []flow.Action{flow.ActBack}
	if len(w.adjs) == 0 {
		p := flow.Prompt{Title: "APPROVALS", Ask: "Nothing waits", Actions: back}
		if w.note != "" {
			p.Fields = []flow.Field{{Label: "Note", Value: w.note}}
		}
		return p
	}
	a := w.adjs[w.at]
	p := flow.Prompt{
		Title:  fmt.Sprintf("APPROVE %d/%d", w.at+1, len(w.adjs)),
		Fields: []flow.Field{{Label: "Loc", Value: a.Location}, {Label: "Value", Value: money(a.ValueCents)}, {Label: "Why", Value: a.Reason}},
		Menu:   []string{"1 Approve", "2 Reject", "3 Next"}, Ask: "Choose", Scan: "1", Actions: back,
		Essential: []string{"Loc", "Item"}, // where, and each item's quantity change
	}
	for _, l := range a.Lines {
		p.Fields = append(p.Fields, flow.Field{Label: "Item", Value: fmt.Sprintf("%s %d→%d (%+d)", l.SKU, l.System, l.Counted, l.Delta)})
	}
	if w.note != "" {
		p.Fields = append(p.Fields, flow.Field{Label: "Note", Value: w.note})
	}
	return p
}

func money(cents int) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
