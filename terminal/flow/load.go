package flow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// Steps of loading a trailer.
const (
	StepLoadDoor    Step = "load-door"    // scan the dock door or the load id
	StepLoadCarton  Step = "load-carton"  // scan each carton as it goes on
	StepLoadMissing Step = "load-missing" // the list of what is still missing
	StepLoadLead    Step = "load-lead"    // cartons missing: a lead scans their badge
	StepLoadPIN     Step = "load-pin"     // the lead keys their PIN (the session asks the hub)
	StepLoadReason  Step = "load-reason"  // the lead chooses why the load closes short
	StepLoadSeal    Step = "load-seal"    // scan the trailer seal, or no seal
)

// Actions of loading.
const (
	ActMissing Action = "missing" // list the cartons and orders still missing
	ActNoSeal  Action = "no-seal" // close the load without a seal
)

// Load is the device-side state of loading one load's trailer, carton by
// carton, and closing it. It is plain data, saved as JSON after every step;
// the dock list it checks against comes with each step (Env.Dock).
type Load struct {
	UserID  string               `json:"user_id"`
	Step    Step                 `json:"step"`
	LoadID  string               `json:"load_id,omitempty"`
	Door    string               `json:"door,omitempty"`
	Carrier string               `json:"carrier,omitempty"`
	Service string               `json:"service,omitempty"`
	Planned int                  `json:"planned"`
	Loaded  []domain.ShortCarton `json:"loaded"` // loaded here, in order
	// Missing and MissingOrders are what is planned and not loaded, as of
	// the last dock list (Refresh).
	Missing       []domain.ShortCarton   `json:"missing"`
	MissingOrders []string               `json:"missing_orders"`
	LeadBadge     string                 `json:"lead_badge,omitempty"` // the lead asked for a short close
	Lead          string                 `json:"lead,omitempty"`       // the lead who allowed it (user id)
	LeadName      string                 `json:"lead_name,omitempty"`
	Reason        domain.LoadShortReason `json:"reason,omitempty"`
	Seal          string                 `json:"seal,omitempty"`
	Short         int                    `json:"short,omitempty"` // cartons closed short
	Last          string                 `json:"last,omitempty"`  // the carton loaded last
	Hint          string                 `json:"hint,omitempty"`  // what to scan next (the demo's hint)
	Age           string                 `json:"age,omitempty"`   // how old the dock list is
	// Closed is the load closed here last, never hinted again: the list as
	// kept may not know yet that it is closed.
	Closed string `json:"closed,omitempty"`
	// Bills are the loads closed here whose bill of lading the station has
	// yet to print, oldest first: saved with the close, they outlive the
	// load's screen until the session prints them (or drops them when the
	// station has no printer).
	Bills   []string `json:"bills,omitempty"`
	Problem *Problem `json:"problem,omitempty"`
}

// NewLoad starts loading for userID: the door or load comes first.
func NewLoad(userID string) *Load { return &Load{UserID: userID, Step: StepLoadDoor} }

// Next is the next load's loading, after this one closed.
func (l *Load) Next() *Load {
	return &Load{UserID: l.UserID, Step: StepLoadDoor, Closed: l.LoadID, Bills: l.Bills}
}

// restart goes back to the door step, keeping the bills to print.
func (l *Load) restart() {
	*l = Load{UserID: l.UserID, Step: StepLoadDoor, Bills: l.Bills}
}

// Finished reports whether the load is closed.
func (l *Load) Finished() bool { return l.Step == StepDone }

// Refresh takes a new dock list: what is missing, how old the list is, and
// the demo's hint.
func (l *Load) Refresh(d *Dock, env Env) {
	l.Age, l.Hint = d.Age(env.Now), ""
	if d == nil {
		return
	}
	if l.LoadID != "" && l.Step != StepDone {
		l.Missing, l.MissingOrders = d.Missing(l.LoadID, l.Loaded)
		if len(l.Missing) > 0 {
			l.Hint = l.Missing[0].SSCC
		}
		return
	}
	first := ""
	for _, ld := range d.Loads {
		if ld.Status != domain.LoadStatusClosed && ld.ID != l.Closed && (first == "" || ld.Door < first) {
			first = ld.Door
		}
	}
	l.Hint = first
}

// Handle takes one input and returns what it did.
func (l *Load) Handle(env Env, in Input) Outcome {
	if env.Now.IsZero() {
		env.Now = in.At
	}
	if l.Step == StepLoadReason && in.Kind == InText && strings.TrimSpace(in.Text) != "" && l.Problem == nil {
		return l.choose(strings.TrimSpace(in.Text))
	}
	if l.Step == StepDone && isAck(in) && l.Problem == nil {
		return Outcome{Done: true}
	}
	return dispatch(&l.Problem, env, in, func(in Input) Outcome { return l.action(env, in) },
		func(c barcode.Classified, in Input) Outcome { return l.scan(env, c, in) },
		func(in Input) Outcome { return keyed(env, in, l.scan) })
}

func (l *Load) action(env Env, in Input) Outcome {
	if !slices.Contains(l.actions(), in.Action) {
		return Outcome{}
	}
	switch in.Action {
	case ActBack:
		switch l.Step {
		case StepLoadCarton:
			l.restart() // the cartons loaded stay loaded
			l.Refresh(env.Dock, env)
		default:
			l.LeadBadge, l.Lead, l.LeadName, l.Reason, l.Step = "", "", "", "", StepLoadCarton
		}
	case ActMissing:
		l.Step = StepLoadMissing
	case ActClose:
		if pr := l.closed(env); pr != nil {
			return Outcome{Problem: pr}
		}
		l.Step = StepLoadSeal
		if len(l.Missing) > 0 {
			l.Step = StepLoadLead
		}
	case ActNoSeal:
		return l.close("", in.At)
	}
	return changed()
}

func (l *Load) scan(env Env, c barcode.Classified, in Input) Outcome {
	switch l.Step {
	case StepLoadDoor:
		return l.open(env, c)
	case StepLoadCarton, StepLoadMissing:
		return l.carton(env, c, in)
	case StepLoadLead:
		if c.Kind != barcode.KindBadge {
			return problem("NOT A BADGE", "Scanned %s. The lead scans their badge to allow the short close, or go back.", c.Code)
		}
		l.LeadBadge, l.Step = c.Code, StepLoadPIN
		return changed()
	case StepLoadReason:
		if len(c.Code) <= 2 {
			return l.choose(c.Code)
		}
		return problem("CHOOSE A REASON", "Key the number of the reason.")
	case StepLoadSeal:
		if _, isSSCC, _ := barcode.SSCC(c); isSSCC || c.Err != nil || c.Kind == barcode.KindBadge {
			return problem("NOT A SEAL", "Scanned %s. Scan the seal on the trailer doors, or N for no seal.", c.Code)
		}
		if err := domain.CheckSeal(c.Code); err != nil {
			return problem("NOT A SEAL", "Scanned %s: a seal number is 1 to %d letters, digits and '-'. Key it as printed on the seal, or N for no seal.", c.Code, domain.MaxSealLen)
		}
		return l.close(c.Code, in.At)
	case StepDone:
		return problem("LOAD CLOSED", "Load %s is closed. Press Enter for the next load.", l.LoadID)
	}
	return Outcome{}
}

// open starts loading the load scanned by id or dock door. A code that is
// neither a load's id nor one of the site's doors is no door (UNKNOWN
// DOOR); a door of the site with no open load is UNKNOWN LOAD.
func (l *Load) open(env Env, c barcode.Classified) Outcome {
	ld, ok := env.Dock.Load(c.Code)
	switch {
	case !ok && !env.Dock.knowsDoor(c.Code):
		return problem("UNKNOWN DOOR", "%s is not one of the site's dock doors nor an open load (dock list: %s). Scan the door's label or the load id on the dock sheet.", c.Code, env.Dock.Age(env.Now))
	case !ok:
		return problem("UNKNOWN LOAD", "No open load at door or with id %s (dock list: %s). Scan the door's label or the load id on the dock sheet.", c.Code, env.Dock.Age(env.Now))
	case ld.Status == domain.LoadStatusClosed:
		return problem("LOAD CLOSED", "Load %s at door %s is closed: nothing more goes on it. Call the lead.", ld.ID, ld.Door)
	}
	*l = Load{UserID: l.UserID, Step: StepLoadCarton, LoadID: ld.ID, Door: ld.Door, Carrier: ld.Carrier, Service: ld.Service, Planned: len(ld.Planned),
		Bills: l.Bills}
	l.Refresh(env.Dock, env)
	return changed()
}

// closed is the problem of a load closed since loading began, or nil.
func (l *Load) closed(env Env) *Problem {
	ld, ok := env.Dock.Loads[l.LoadID]
	if ok && ld.Status != domain.LoadStatusClosed {
		return nil
	}
	id := l.LoadID
	l.restart()
	l.Refresh(env.Dock, env)
	return &Problem{Title: "LOAD CLOSED", Detail: fmt.Sprintf("Load %s is closed: nothing more goes on it. Keep the cartons off and call the lead.", id)}
}

// carton takes a carton going onto the trailer.
func (l *Load) carton(env Env, c barcode.Classified, in Input) Outcome {
	sscc, pr := scanSSCC(c)
	if pr != nil {
		return Outcome{Problem: pr}
	}
	if i := slices.IndexFunc(l.Loaded, func(s domain.ShortCarton) bool { return s.SSCC == sscc }); i >= 0 {
		return problem("ALREADY LOADED", "You loaded carton %s of order %s onto %s already. Do not load it twice.", sscc, l.Loaded[i].OrderID, l.LoadID)
	}
	if pr := l.closed(env); pr != nil {
		return Outcome{Problem: pr}
	}
	if pr := env.Dock.refusal(sscc, env.Now); pr != nil {
		return Outcome{Problem: pr}
	}
	ct, _ := env.Dock.Carton(sscc)
	other, planned := env.Dock.plannedOn(ct)
	switch {
	case planned && other.ID != l.LoadID:
		return problem("WRONG LOAD", "Carton %s of order %s is for load %s (door %s, %s %s). Not this trailer: keep it off.", sscc, ct.OrderID, other.ID, other.Door, other.Carrier, other.Service)
	case !planned && (ct.Carrier != l.Carrier || ct.Service != l.Service):
		return problem("WRONG LOAD", "Carton %s of order %s goes by %s %s; load %s is %s %s. Keep it off.", sscc, ct.OrderID, ct.Carrier, ct.Service, l.LoadID, l.Carrier, l.Service)
	}
	l.Loaded = append(l.Loaded, domain.ShortCarton{SSCC: sscc, OrderID: ct.OrderID})
	l.Last = fmt.Sprintf("%s %s %s", sscc, ct.OrderID, cartonOf(ct))
	l.Step = StepLoadCarton
	l.Refresh(env.Dock, env)
	ev := domain.NewDraft(domain.EventCartonLoaded, in.At, l.UserID, domain.CartonLoaded{LoadID: l.LoadID, SSCC: sscc, OrderID: ct.OrderID})
	return Outcome{Events: []domain.Draft{ev}, Changed: true}
}

// Override records the lead whose PIN the hub took for a short close: the
// lead chooses the reason next.
func (l *Load) Override(leadID, name string) {
	l.Lead, l.LeadName, l.Step = leadID, name, StepLoadReason
}

// NoOverride goes back to loading when no lead allowed the short close
// (the lead went back, or the hub was not reachable): the load stays open.
func (l *Load) NoOverride() {
	l.LeadBadge, l.Lead, l.LeadName, l.Step = "", "", "", StepLoadCarton
}

// choose takes the lead's reason for the short close.
func (l *Load) choose(text string) Outcome {
	reasons := domain.LoadShortReasons()
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || n > len(reasons) {
		return problem("CHOOSE A REASON", "Key 1 to %d.", len(reasons))
	}
	l.Reason, l.Step = reasons[n-1], StepLoadSeal
	return changed()
}

// close closes the load with the seal (or none): short, with the lead's
// override, when cartons are missing.
func (l *Load) close(seal string, at time.Time) Outcome {
	p := domain.LoadClosed{LoadID: l.LoadID, Seal: seal}
	if len(l.Missing) > 0 {
		if l.Lead == "" || l.Reason == "" {
			l.Step = StepLoadLead
			return problem("LEAD NEEDED", "%d carton(s) are missing: a lead allows a short close with badge and PIN.", len(l.Missing))
		}
		p.Short = slices.Clone(l.Missing)
		p.Override = &domain.LoadOverride{LeadID: l.Lead, Reason: string(l.Reason)}
	}
	l.Seal, l.Short, l.Step = seal, len(p.Short), StepDone
	l.Bills = append(l.Bills, l.LoadID)
	ev := domain.NewDraft(domain.EventLoadClosed, at, l.UserID, p)
	return Outcome{Events: []domain.Draft{ev}, Changed: true}
}
