package session

import (
	"fmt"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/zpl/spool"
)

// Status is the status line.
type Status struct {
	User         string
	OfflineLogin bool // logged in from the device's cache
	Online       bool
	Queued       int
	Oldest       time.Time
	Attention    int
	Scanner      string // "" when the scanner is fine, else why not
	Printer      string // "" when the printer is ready with nothing waiting, else its state
	PrinterFault bool   // the printer is in a fault
	// NotEnrolled: the hub does not know this device (revoked, or its id
	// enrolled elsewhere); nothing reaches the hub until it is enrolled again.
	NotEnrolled bool
	// PlainHTTP: the hub is reached over plain HTTP off loopback.
	PlainHTTP bool
}

// View is everything a screen shows: a snapshot, safe to keep.
type View struct {
	Mode    Mode
	TaskID  string    // the task being picked, if any
	OrderID string    // its order
	Step    flow.Step // its step
	Prompt  flow.Prompt
	Status  Status
	Demo    bool
	Secret  bool // the input line takes a secret (a PIN): mask it, never echo it
	Alarms  int  // grows with every problem raised or input refused
	Handled int  // grows with every input taken: tests wait on it
}

// View takes a snapshot of what to show.
func (s *Session) View() View {
	st := s.sync.Status()
	s.mu.Lock()
	defer s.mu.Unlock()
	v := View{Mode: ModeMenu, Demo: s.cfg.Demo, Alarms: s.alarms, Handled: s.handled}
	v.Status = Status{Online: st.Online, Queued: st.Queued, Oldest: st.Oldest, Attention: s.attentionCount(st), Scanner: s.scanner, OfflineLogin: s.offline,
		NotEnrolled: s.notEnrolled || st.NotEnrolled, PlainHTTP: s.cfg.PlainHTTP}
	if s.user != nil {
		v.Status.User = s.user.Name
	}
	if s.cfg.Printer != nil {
		v.Status.Printer, v.Status.PrinterFault = printerLine(s.cfg.Printer.Status())
	}
	switch {
	case s.busy != "":
		v.Mode = ModeBusy
		v.Prompt = flow.Prompt{Title: "PLEASE WAIT", Ask: s.busy + "…"}
	case s.user == nil:
		v.Mode = ModeLogin
		v.Prompt = flow.Prompt{Title: "RFTERM LOGIN", Ask: "Scan your badge", Expect: "badge", Scan: s.cfg.DemoBadge}
	case s.pinFor != nil:
		v.Mode, v.Secret = ModePIN, true
		v.Prompt = s.pinPrompt()
	case s.active == nil:
		v.Prompt = flow.Prompt{Title: "MENU", Ask: "Choose", Menu: s.menu(), Scan: "1", Actions: []flow.Action{ActLogout}}
		if s.notice != "" {
			v.Prompt.Ask = s.notice // on the instruction line: a long menu cannot push it off a small screen
		}
	default:
		v.Mode = s.active.row.Mode
		v.Prompt = s.active.w.Prompt()
		if r, ok := s.active.w.(workRef); ok {
			v.TaskID, v.OrderID, v.Step = r.ref()
		}
	}
	if s.problem != nil {
		v.Prompt.Problem = s.problem
		v.Prompt.Actions = []flow.Action{flow.ActAck}
	}
	return v
}

// HandleScan takes a scan from a scanner source: it makes the session a scanner.Handler.
func (s *Session) HandleScan(sc barcode.Scan) { s.Handle(flow.ScanInput(sc)) }

// HandleStatus takes a scanner's connection state for the status line.
func (s *Session) HandleStatus(st scanner.Status) {
	s.mu.Lock()
	if st.Connected {
		s.scanner = ""
	} else {
		s.scanner = fmt.Sprintf("scanner disconnected: %s", st.Reason)
	}
	s.mu.Unlock()
	s.changed()
}

// printerLine is the printer's state for the status line, "" when it is ready
// with nothing waiting: a fault, jobs waiting, or jobs to confirm.
func printerLine(st spool.Status) (string, bool) {
	fault := st.State == spool.PrinterFault
	if !fault && st.Waiting == 0 && st.NeedsDecision == 0 {
		return "", false
	}
	line := "Printer " + string(st.State)
	if fault {
		line = "Printer: " + st.Reason
	}
	if st.Waiting > 0 {
		line += fmt.Sprintf(", %d waiting", st.Waiting)
	}
	if st.NeedsDecision > 0 {
		line += fmt.Sprintf(", %d to confirm", st.NeedsDecision)
	}
	return line, fault
}
