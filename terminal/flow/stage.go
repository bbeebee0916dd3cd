package flow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// Steps of staging cartons.
const (
	StepStageCarton Step = "stage-carton" // scan a carton's SSCC
	StepStageLane   Step = "stage-lane"   // scan the staging lane it goes to
)

// Stage is the device-side state of staging shipped cartons in lanes to wait
// for their load. It is plain data, saved as JSON after every step; the
// dock list it checks against comes with each step (Env.Dock).
type Stage struct {
	UserID string      `json:"user_id"`
	Step   Step        `json:"step"`
	Carton *DockCarton `json:"carton,omitempty"` // the carton in hand
	Load   string      `json:"load,omitempty"`   // the open load it is planned on, if any
	Expect string      `json:"expect,omitempty"` // the lane its load waits in: the only lane it may go to
	Staged int         `json:"staged"`           // cartons staged since the loader came in
	Last   string      `json:"last,omitempty"`   // what was staged last, for the screen
	Next   string      `json:"next,omitempty"`   // a carton waiting to be staged (the demo's hint)
	Age    string      `json:"age,omitempty"`    // how old the dock list is
	// Done are the cartons staged here (the latest few), never hinted again:
	// the list as kept may not know yet that they are staged.
	Done []string `json:"done,omitempty"`
	// Problem waits for acknowledgement.
	Problem *Problem `json:"problem,omitempty"`
}

// maxStageDone bounds Stage.Done.
const maxStageDone = 50

// NewStage starts staging for userID.
func NewStage(userID string) *Stage { return &Stage{UserID: userID, Step: StepStageCarton} }

// Finished reports false: staging goes on until the loader leaves it.
func (s *Stage) Finished() bool { return false }

// Refresh takes a new dock list: how old it is, and the demo's hint.
func (s *Stage) Refresh(d *Dock, env Env) {
	s.Age, s.Next = d.Age(env.Now), ""
	if d == nil {
		return
	}
	best := ""
	for sscc, c := range d.Cartons {
		if c.Lane == "" && c.LoadedOn == "" && c.OrderStatus.Shipped() && !slices.Contains(s.Done, sscc) && (best == "" || sscc < best) {
			best = sscc
		}
	}
	s.Next = best
}

// Handle takes one input and returns what it did.
func (s *Stage) Handle(env Env, in Input) Outcome {
	if !in.At.IsZero() && env.Now.IsZero() {
		env.Now = in.At
	}
	return dispatch(&s.Problem, env, in, s.action,
		func(c barcode.Classified, in Input) Outcome { return s.scan(env, c, in) },
		func(in Input) Outcome { return keyed(env, in, s.scan) })
}

// keyed takes a typed line as a keyed scan.
func keyed(env Env, in Input, scan func(Env, barcode.Classified, Input) Outcome) Outcome {
	text := strings.TrimSpace(in.Text)
	if text == "" {
		return Outcome{}
	}
	return scan(env, env.Rules.Classify(barcode.Keyed(text, in.At)), in)
}

func (s *Stage) action(in Input) Outcome {
	if in.Action == ActBack && s.Step == StepStageLane {
		s.Carton, s.Load, s.Expect, s.Step = nil, "", "", StepStageCarton
		return changed()
	}
	return Outcome{}
}

func (s *Stage) scan(env Env, c barcode.Classified, in Input) Outcome {
	if s.Step == StepStageLane {
		return s.lane(env, c, in)
	}
	sscc, pr := scanSSCC(c)
	if pr != nil {
		return Outcome{Problem: pr}
	}
	if pr := env.Dock.refusal(sscc, env.Now); pr != nil {
		return Outcome{Problem: pr}
	}
	carton, _ := env.Dock.Carton(sscc)
	l, _ := env.Dock.plannedOn(carton)
	s.Carton, s.Load, s.Expect, s.Step = &carton, l.ID, l.Lane, StepStageLane
	return changed()
}

// lane takes the staging lane for the carton in hand: one of the site's
// lanes (as the dock list names them), and its load's lane, if the load has
// one; checked in the hub's order (hub/dock_ingest.go, stageCarton).
func (s *Stage) lane(env Env, c barcode.Classified, in Input) Outcome {
	if _, isSSCC, _ := barcode.SSCC(c); isSSCC {
		return problem("SCAN THE LANE", "Scanned a carton. Scan the staging lane for %s first, or go back.", s.Carton.SSCC)
	}
	if c.Err != nil || c.Kind == barcode.KindBadge || c.Kind == barcode.KindTote || c.Kind == barcode.KindGTIN {
		return problem("NOT A LANE", "Scanned %s. Scan a staging lane label.", c.Code)
	}
	if !env.Dock.knowsLane(c.Code) {
		return problem("UNKNOWN LANE", "Lane %s is not one of the site's staging lanes (dock list: %s). Scan a staging lane label.", c.Code, env.Dock.Age(env.Now))
	}
	if s.Expect != "" && c.Code != s.Expect {
		return problem("WRONG LANE", "Lane %s is not for load %s. Carton %s goes to lane %s.", c.Code, s.Load, s.Carton.SSCC, s.Expect)
	}
	ev := domain.NewDraft(domain.EventCartonStaged, in.At, s.UserID, domain.CartonStaged{SSCC: s.Carton.SSCC, OrderID: s.Carton.OrderID, Lane: c.Code})
	s.Last = fmt.Sprintf("%s in %s", s.Carton.SSCC, c.Code)
	s.Staged++
	s.Done = append(s.Done, s.Carton.SSCC)[max(0, len(s.Done)+1-maxStageDone):]
	if s.Next == s.Carton.SSCC {
		s.Next = ""
	}
	s.Carton, s.Load, s.Expect, s.Step = nil, "", "", StepStageCarton
	return Outcome{Events: []domain.Draft{ev}, Changed: true}
}
