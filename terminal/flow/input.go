package flow

import (
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// InputKind says what kind of input the worker gave.
type InputKind int

// Input kinds.
const (
	InScan   InputKind = iota + 1 // a barcode scan
	InText                        // a typed line ended by Enter (may be empty)
	InAction                      // an action key (F-key or its plain-key alternative)
	InWeight                      // a scale reading (pack station)
)

// Action is something the worker asks for by key rather than by scan.
type Action string

// Actions. Not every action is available at every step: Prompt.Actions lists the ones that are.
const (
	ActAck   Action = "ack"   // acknowledge the problem on screen
	ActShort Action = "short" // short pick the current line
	ActSkip  Action = "skip"  // skip the line; it comes back at the end
	ActBack  Action = "back"  // leave the current step or menu
)

// Actions lists every action a flow may offer, for the key table's checks.
func Actions() []Action {
	return []Action{ActAck, ActShort, ActSkip, ActBack, ActClose, ActUnpack, ActReprint, ActTakeOut, ActSubmit, ActEmpty, ActUndo, ActMissing, ActNoSeal}
}

// Input is one thing the worker did.
type Input struct {
	Kind   InputKind
	Scan   barcode.Scan
	Text   string
	Action Action
	Weight Weighing // for InWeight
	At     time.Time
}

// Weighing is a reading of the pack station's scale, as the session hands
// it to the flow (from scale.Weight).
type Weighing struct {
	Milligrams int64  // net weight
	Stable     bool   // only stable readings close a carton
	Source     string // which scale, e.g. "scale:/dev/ttyUSB0", for logs
}

// WeightInput makes a scale-reading input.
func WeightInput(w Weighing, at time.Time) Input { return Input{Kind: InWeight, Weight: w, At: at} }

// ScanInput makes a scan input.
func ScanInput(s barcode.Scan) Input { return Input{Kind: InScan, Scan: s, At: s.At} }

// TextInput makes a typed-line input.
func TextInput(text string, at time.Time) Input { return Input{Kind: InText, Text: text, At: at} }

// ActionInput makes an action input.
func ActionInput(a Action, at time.Time) Input { return Input{Kind: InAction, Action: a, At: at} }

// String names the kind, for logs.
func (k InputKind) String() string {
	switch k {
	case InScan:
		return "scan"
	case InText:
		return "text"
	case InAction:
		return "action"
	case InWeight:
		return "weight"
	}
	return "unknown"
}
