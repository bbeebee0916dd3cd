package flow

import (
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// Problem is an error the worker must acknowledge before anything else is taken.
type Problem struct {
	Title  string `json:"title"`  // short, e.g. "WRONG LOCATION"
	Detail string `json:"detail"` // what was scanned and what to do
}

// Field is one labelled value on a prompt, e.g. Loc: A-01-02.
type Field struct {
	Label string
	Value string
}

// Prompt is everything a screen shows for the current step. Screens render it
// and decide nothing.
type Prompt struct {
	Title   string   // e.g. "PICK 2/5"
	Fields  []Field  // the context: location, item, quantity, tote
	Ask     string   // the instruction, e.g. "Scan location"
	Expect  string   // the value expected, as printed on the label
	Scan    string   // the exact barcode data that satisfies the step (demo hint line)
	Menu    []string // numbered choices, when the step is a menu
	Actions []Action // the actions available now
	Problem *Problem // a problem waiting for acknowledgement
	// Essential names the fields (by label) that decide the step — the
	// item, the quantity, where the units go, what an entry is about. A
	// screen too small for every field shows these first, and the screen
	// tests fail when one is not fully visible at any size.
	Essential []string
}

// IsEssential reports whether the field labelled label decides the step.
func (p Prompt) IsEssential(label string) bool {
	for _, e := range p.Essential {
		if e == label {
			return true
		}
	}
	return false
}

// Outcome is what one input did.
type Outcome struct {
	Events  []domain.Draft // confirmed steps to queue, in order
	Problem *Problem       // a new problem (also pending in the state)
	Refused bool           // the input was refused because a problem awaits acknowledgement
	Changed bool           // the state changed and must be saved
	// Transient: the only change is a problem raised or acknowledged;
	// nothing of the work moved, so the session may show it before (or
	// without) saving it: a crash then loses only the problem, never work.
	Transient bool
	Done      bool // the workflow is finished and acknowledged

	// What the session must do for the flow once the step is saved.
	Lookup *PackLookup  // find this order and call Pack.Start with it
	Print  []PrintJob   // print these carton labels, in order
	Labels []RouteLabel // print these route labels for returned units
}

// Env is what a flow's step may use beyond its own state.
type Env struct {
	Rules *barcode.Rules // classify scans
	SSCCs SSCCAllocator  // gives each closed carton its SSCC; nil where no cartons are closed
	Dock  *Dock          // the dock list the dock's flows check scans against; nil elsewhere
	Now   time.Time      // the time of the step, for ages on screen (default the input's)
}

// Flow is a workflow's pure state machine: pick, cluster pick, pack, count,
// return. The session saves it as JSON after every step.
type Flow interface {
	// Handle takes one input and returns what it did.
	Handle(env Env, in Input) Outcome
	// Prompt is the screen for the current step.
	Prompt() Prompt
	// Finished reports whether the work is done.
	Finished() bool
}

// then appends what a later step did to o.
func (o Outcome) then(next Outcome) Outcome {
	o.Events = append(o.Events, next.Events...)
	o.Print = append(o.Print, next.Print...)
	o.Labels = append(o.Labels, next.Labels...)
	o.Changed = o.Changed || next.Changed
	o.Done = o.Done || next.Done
	if next.Problem != nil {
		o.Problem = next.Problem
	}
	if next.Lookup != nil {
		o.Lookup = next.Lookup
	}
	return o
}

// Every workflow's state machine is a Flow.
var (
	_ Flow = (*Pick)(nil)
	_ Flow = (*Cluster)(nil)
	_ Flow = (*Pack)(nil)
	_ Flow = (*Count)(nil)
	_ Flow = (*Return)(nil)
	_ Flow = (*Stage)(nil)
	_ Flow = (*Load)(nil)
)
