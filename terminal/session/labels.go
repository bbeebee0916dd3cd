package session

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/label"
	"github.com/rfterm/rfterm/zpl/spool"
)

// Printer is the station's print spool, seen from a session. Jobs are on
// disk when Submit returns; the spool prints them when the printer can.
type Printer interface {
	Submit(r spool.Request) (spool.JobID, error)
	Reprint(id spool.JobID) (spool.JobID, error)
	Confirm(id spool.JobID, printed bool) error
	Last() (spool.Job, bool, error)
	Job(id spool.JobID) (spool.Job, error)
	Jobs() ([]spool.Job, error)
	Status() spool.Status
	Changed() <-chan struct{}
}

// labelStep is where the Labels menu is.
type labelStep string

const (
	labelMenu labelStep = "menu" // choose what to print
	labelLPN  labelStep = "lpn"  // scan the tote/LPN to label
	labelBin  labelStep = "bin"  // scan the location to label
	labelJobs labelStep = "jobs" // print jobs, and the ones whose outcome is unknown
)

// ModeLabels is the labels menu's mode.
const ModeLabels Mode = "labels"

// labelsWork prints tote and bin labels, reprints, and asks about print
// jobs whose outcome is unknown.
type labelsWork struct {
	base
	step labelStep
	jobs []spool.Job // the print jobs, as last read for the jobs screen
	note string
}

func newLabelsWork(b base) Workflow { return &labelsWork{base: b} }

// waiting is the count on the menu line: jobs whose outcome is unknown.
func (w *labelsWork) waiting() int { return w.s.cfg.Printer.Status().NeedsDecision }

// Open shows the labels menu.
func (w *labelsWork) Open() {
	w.step, w.note = labelMenu, ""
	w.s.show(w)
}

func (w *labelsWork) Handle(in flow.Input) Result {
	s := w.s
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		if w.step == labelMenu {
			s.toMenu()
		} else {
			w.step = labelMenu
		}
		return Result{}
	}
	switch w.step {
	case labelMenu:
		switch choice(in) {
		case "":
		case "1":
			w.step = labelLPN
		case "2":
			w.step = labelBin
		case "3":
			w.reprintLast()
		case "4":
			w.step = labelJobs
			w.loadJobs()
		default:
			return s.fail("NOT ON THE MENU", "Key 1 to 4, or go back.")
		}
	case labelLPN, labelBin:
		sc, ok := scanOf(in)
		if !ok {
			return Result{}
		}
		c := s.cfg.Rules.Classify(sc)
		if w.step == labelLPN && c.Kind != barcode.KindTote {
			return s.fail("NOT A TOTE", "Scanned "+c.Code+". Scan or key a tote or LPN.")
		}
		if w.step == labelBin && c.Kind != barcode.KindLocation {
			return s.fail("NOT A LOCATION", "Scanned "+c.Code+". Scan or key a location.")
		}
		w.printLabel(c)
	case labelJobs:
		job, ok := w.undecidedJob()
		if !ok {
			return Result{}
		}
		defer w.loadJobs()
		switch choice(in) {
		case "":
		case "1":
			w.decide(job, func() error { return s.cfg.Printer.Confirm(job.ID, true) }, "marked printed")
		case "2":
			w.decide(job, func() error { return s.cfg.Printer.Confirm(job.ID, false) }, "sent again")
		default:
			return s.fail("NOT ON THE MENU", "Key 1 if it printed, 2 to print it again.")
		}
	}
	return Result{}
}

// choice is a menu choice, keyed or scanned.
func choice(in flow.Input) string {
	if in.Kind == flow.InScan {
		return strings.TrimSpace(in.Scan.Data)
	}
	if in.Kind == flow.InText {
		return strings.TrimSpace(in.Text)
	}
	return ""
}

func (w *labelsWork) printLabel(c barcode.Classified) {
	s := w.s
	var (
		zplData []byte
		err     error
		name    string
	)
	if c.Kind == barcode.KindLocation {
		name = "bin label " + c.Code
		zplData, err = label.Bin{Location: c.Code}.Build(s.dpi())
	} else {
		name = "LPN label " + c.Code
		zplData, err = label.LPN{LPN: c.Code}.Build(s.dpi())
	}
	if err != nil {
		s.fail("LABEL NOT MADE", err.Error())
		return
	}
	id, err := s.cfg.Printer.Submit(spool.Request{Name: name, ZPL: zplData})
	if err != nil {
		s.fail("NOT QUEUED", err.Error())
		return
	}
	s.cfg.Log.Info("label queued", "job", id, "label", name)
	w.note = fmt.Sprintf("%s: %s queued", id, name)
	w.step = labelMenu
}

func (w *labelsWork) reprintLast() {
	s := w.s
	last, found, err := s.cfg.Printer.Last()
	switch {
	case err != nil:
		s.fail("PRINT JOBS UNREADABLE", err.Error())
	case !found:
		w.note = "Nothing printed yet."
	default:
		id, err := s.cfg.Printer.Reprint(last.ID)
		if err != nil {
			s.fail("NOT QUEUED", err.Error())
			return
		}
		w.note = fmt.Sprintf("%s: reprint of %s queued", id, last.Name)
	}
}

// loadJobs reads the print jobs for the jobs screen (View never reads the disk).
func (w *labelsWork) loadJobs() {
	s := w.s
	jobs, err := s.cfg.Printer.Jobs()
	if err != nil {
		s.fail("PRINT JOBS UNREADABLE", err.Error())
	}
	w.jobs = jobs
}

// undecidedJob is the oldest job whose outcome the operator must confirm.
func (w *labelsWork) undecidedJob() (spool.Job, bool) {
	for i := len(w.jobs) - 1; i >= 0; i-- { // Jobs is newest first
		if w.jobs[i].State == spool.Unknown {
			return w.jobs[i], true
		}
	}
	return spool.Job{}, false
}

func (w *labelsWork) decide(job spool.Job, do func() error, what string) {
	s := w.s
	if err := do(); err != nil && !errors.Is(err, spool.ErrState) {
		s.fail("NOT RECORDED", err.Error())
		return
	}
	w.note = fmt.Sprintf("%s %s %s", job.ID, job.Name, what)
}

func (s *Session) dpi() zpl.DPI {
	if s.cfg.PrinterDPI == 0 {
		return zpl.DPI203
	}
	return s.cfg.PrinterDPI
}

// labelsPrompt is the Labels screens.
func (w *labelsWork) Prompt() flow.Prompt {
	s := w.s
	back := []flow.Action{flow.ActBack}
	var p flow.Prompt
	switch w.step {
	case labelLPN:
		p = flow.Prompt{Title: "LPN LABEL", Ask: "Scan or key tote/LPN", Expect: "tote or LPN", Scan: "T00001", Actions: back}
	case labelBin:
		p = flow.Prompt{Title: "BIN LABEL", Ask: "Scan or key location", Expect: "location", Scan: "A-01-01", Actions: back}
	case labelJobs:
		if job, ok := w.undecidedJob(); ok {
			p = flow.Prompt{Title: "DID IT PRINT?", Ask: "Check the printer", Expect: job.Name,
				Fields:    []flow.Field{{Label: "Job", Value: job.ID.String()}, {Label: "Why", Value: job.LastError}},
				Essential: []string{"Job", "Why"},
				Menu:      []string{"1 It printed", "2 Print again"}, Scan: "1", Actions: back}
		} else {
			p = flow.Prompt{Title: "PRINT JOBS", Ask: "Nothing to confirm", Actions: back}
			for i, j := range w.jobs {
				if i == 5 {
					break
				}
				p.Fields = append(p.Fields, flow.Field{Label: j.ID.String(), Value: string(j.State) + " " + j.Name})
			}
		}
	default:
		p = flow.Prompt{Title: "LABELS", Ask: "Choose", Scan: "1", Actions: back,
			Menu: []string{"1 Tote/LPN label", "2 Bin label", "3 Reprint last", "4 Print jobs"}}
		if st := s.cfg.Printer.Status(); st.NeedsDecision > 0 {
			p.Menu[3] = fmt.Sprintf("4 Print jobs (%d!)", st.NeedsDecision)
		}
	}
	if w.note != "" && w.step == labelMenu {
		p.Fields = append(p.Fields, flow.Field{Label: "Note", Value: w.note})
	}
	return p
}
