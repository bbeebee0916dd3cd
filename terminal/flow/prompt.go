package flow

import "github.com/rfterm/rfterm/domain"

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
}

// Outcome is what one input did.
type Outcome struct {
	Events  []domain.Draft // confirmed steps to queue, in order
	Problem *Problem       // a new problem (also pending in the state)
	Refused bool           // the input was refused because a problem awaits acknowledgement
	Changed bool           // the state changed and must be saved
	Done    bool           // the workflow is finished and acknowledged
}
