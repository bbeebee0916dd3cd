package flow

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// walk is the line-by-line part of picking that a single pick (Pick) and a
// cluster pick (Cluster) share: going to each line's location in walk order,
// the item, its lot or serial, the quantity, short picks and skips. Its
// owner decides what a finished line does (events, put to tote) and handles
// the steps before and after the lines (totes, done). It is plain data: its
// fields are saved as part of the owner's JSON.
type walk struct {
	Lines     []PickLine                 `json:"lines"` // walk order; a skipped line moves to the end
	Items     map[string]domain.Item     `json:"items"` // by SKU
	Locations map[string]domain.Location `json:"locations"`
	Cur       int                        `json:"cur"`            // the line being picked
	Step      Step                       `json:"step"`           // where the pick is
	Back      Step                       `json:"back,omitempty"` // where the short-reason menu returns to
	Lot       string                     `json:"lot,omitempty"`  // the lot of the units being picked
	LastDone  int                        `json:"last_done"`      // the line finished last, or -1
	Problem   *Problem                   `json:"problem,omitempty"`
	// Busy are the totes known (from the claim) to hold another order's
	// picked, unpacked goods: tote -> that order. They are refused as a
	// task's tote, offline too.
	Busy map[string]string `json:"busy_totes,omitempty"`
}

// picking is what a walk needs from the work it belongs to.
type picking interface {
	// lineDone is called once the current line is complete, in full or
	// short: it returns the line's events and moves on.
	lineDone(at time.Time) Outcome
	// scan takes a classified scan at the current step; the owner handles
	// its own steps and hands the line steps to walk.lineScan.
	scan(c barcode.Classified, in Input) Outcome
}

// newWalk makes an empty walk over the given master data.
func newWalk(items []domain.Item, locations []domain.Location) walk {
	w := walk{Items: map[string]domain.Item{}, Locations: map[string]domain.Location{}, LastDone: -1}
	for _, it := range items {
		w.Items[it.SKU] = it
	}
	for _, l := range locations {
		w.Locations[l.Code] = l
	}
	return w
}

// knowBusyTotes takes the totes the claim said are busy
// (api.ClaimResponse.BusyTotes, api.ClusterResponse.BusyTotes): each is
// refused as a tote for this work, naming the order it holds. A tote held
// by an order of this work is not busy for it.
func (w *walk) knowBusyTotes(holds []domain.ToteHold, own ...string) {
	for _, h := range holds {
		if h.Tote == "" || slices.Contains(own, h.OrderID) {
			continue
		}
		if w.Busy == nil {
			w.Busy = map[string]string{}
		}
		w.Busy[h.Tote] = h.OrderID
	}
}

// busyTote is the problem of a tote that holds another order's goods, or nil.
func (w *walk) busyTote(tote string) *Problem {
	order, busy := w.Busy[tote]
	if !busy {
		return nil
	}
	return &Problem{Title: "TOTE IN USE", Detail: fmt.Sprintf("Tote %s holds order %s (picked, not packed). Scan an empty tote.", tote, order)}
}

// addTask appends a task's lines for cart position pos (0 in a single
// pick). Every line's item and location must be known, so the whole task can
// be picked without the network.
func (w *walk) addTask(task domain.Task, pos int) error {
	for _, tl := range task.Lines {
		if _, ok := w.Items[tl.SKU]; !ok {
			return fmt.Errorf("task %s line %d: item %s not in the task's item rows", task.ID, tl.Line, tl.SKU)
		}
		if _, ok := w.Locations[tl.Location]; !ok {
			return fmt.Errorf("task %s line %d: location %s unknown", task.ID, tl.Line, tl.Location)
		}
		if tl.Qty <= 0 {
			return fmt.Errorf("task %s line %d: quantity %d", task.ID, tl.Line, tl.Qty)
		}
		w.Lines = append(w.Lines, PickLine{TaskLine: tl, Pos: pos})
	}
	if len(task.Lines) == 0 {
		return fmt.Errorf("task %s has no lines", task.ID)
	}
	return nil
}

// sortLines orders the lines by the locations' pick sequence; lines at one
// location keep the order they were added in.
func (w *walk) sortLines() {
	sort.SliceStable(w.Lines, func(i, j int) bool {
		return w.Locations[w.Lines[i].Location].Sequence < w.Locations[w.Lines[j].Location].Sequence
	})
}

// handle takes one input for own and returns what it did.
func (w *walk) handle(own picking, env Env, in Input) Outcome {
	return dispatch(&w.Problem, env, in, w.action, own.scan, func(in Input) Outcome { return w.text(own, env.Rules, in) })
}

// dispatch is the frame every flow's Handle shares: while a problem waits,
// only its acknowledgement is taken; otherwise the input goes to the step
// for its kind, and a problem that step raises waits in *problem.
func dispatch(problem **Problem, env Env, in Input, action func(Input) Outcome,
	scan func(barcode.Classified, Input) Outcome, text func(Input) Outcome) Outcome {
	if o, waiting := awaitAck(problem, in); waiting {
		return o
	}
	var o Outcome
	switch in.Kind {
	case InAction:
		o = action(in)
	case InScan:
		o = scan(env.Rules.Classify(in.Scan), in)
	case InText:
		o = text(in)
	}
	if o.Problem != nil {
		*problem = o.Problem
		o.Transient = !o.Changed && !o.Done && len(o.Events) == 0 && o.Lookup == nil && len(o.Print) == 0 && len(o.Labels) == 0
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
		return Outcome{Changed: true, Transient: true}, true
	}
	return Outcome{Refused: true}, true
}

func isAck(in Input) bool {
	return (in.Kind == InAction && (in.Action == ActAck || in.Action == ActBack)) || (in.Kind == InText && in.Text == "")
}

// line is the line being picked.
func (w *walk) line() *PickLine { return &w.Lines[w.Cur] }

func (w *walk) item() domain.Item { return w.Items[w.line().SKU] }

// advance moves to the first open line; done is true when there is none.
func (w *walk) advance() (done bool) {
	w.Lot = ""
	for i := range w.Lines {
		if !w.Lines[i].Done {
			w.Cur, w.Step = i, StepLocation
			return false
		}
	}
	w.Step = StepDone
	return true
}

// openLines counts the lines not yet done.
func (w *walk) openLines() int {
	n := 0
	for _, l := range w.Lines {
		if !l.Done {
			n++
		}
	}
	return n
}

// lineEvents are the events confirming a finished line picked into tote for
// task: the units picked, then the short with its reason.
func lineEvents(l PickLine, taskID, tote, userID string, at time.Time) []domain.Draft {
	picked := domain.PickLine{TaskID: taskID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: tote,
		Picked: l.Picked, Lots: l.Lots, Serials: l.Serials}
	if l.Reason == "" {
		return []domain.Draft{domain.NewDraft(domain.EventLinePicked, at, userID, picked)}
	}
	var evs []domain.Draft
	if l.Picked > 0 {
		// A short carries no picked units (the hub refuses them there): what
		// was picked of a shorted line goes first, as a pick of its own.
		evs = append(evs, domain.NewDraft(domain.EventLinePicked, at, userID, picked))
	}
	return append(evs, domain.NewDraft(domain.EventLineShorted, at, userID, domain.PickLine{
		TaskID: taskID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: tote,
		Short: l.Short, Reason: domain.ShortReason(l.Reason),
	}))
}
