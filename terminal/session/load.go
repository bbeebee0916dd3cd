package session

import (
	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl/spool"
)

// ModeLoad is loading trailers' mode.
const ModeLoad Mode = "load"

// loadWork loads one load's trailer carton by carton and closes it, short
// with a lead's override when cartons are missing; saved after every step.
type loadWork struct {
	base
	ld       *flow.Load
	printing bool        // a bill of lading is being fetched (dock_bills.go)
	billNote string      // what became of the last bill of lading
	billJob  spool.JobID // its print job, once handed to the spool
}

func newLoadWork(b base) Workflow { return &loadWork{base: b} }

func (w *loadWork) restore() (bool, error) {
	var ld flow.Load
	found, err := w.s.store.LoadWork(w.key(), &ld)
	if err != nil || !found {
		return false, err
	}
	if ld.Step == flow.StepLoadPIN {
		ld.NoOverride() // the lead was keying the PIN: the lead scans the badge again
	}
	w.ld = &ld
	return w.inHand() != "", nil
}

func (w *loadWork) inHand() string {
	if w.ld == nil || w.ld.Finished() {
		return ""
	}
	return w.ld.LoadID
}

func (w *loadWork) Prompt() flow.Prompt {
	p := w.ld.Prompt()
	if f, ok := w.billField(); ok && (w.ld.Step == flow.StepDone || w.ld.Step == flow.StepLoadDoor) {
		p.Fields = append(p.Fields, f)
	}
	if w.s.cfg.Demo && w.ld.Step == flow.StepLoadLead {
		p.Scan = w.s.cfg.DemoLeadBadge // the demo's lead allows the short close
	}
	return menuAction(p)
}

// Open fetches the dock list and resumes the load in hand, or starts one.
func (w *loadWork) Open() {
	w.s.openDock(func() {
		if w.ld == nil {
			w.ld = flow.NewLoad(w.user.ID)
		}
		w.dockChanged()
		w.s.show(w)
		w.askLead()
		w.printBills()
	})
}

// dockChanged takes the dock list as kept now.
func (w *loadWork) dockChanged() { w.s.dockEnv(w.ld, w.s.cfg.Now()) }

func (w *loadWork) Handle(in flow.Input) Result {
	s, key := w.s, w.key()
	return s.dockStep(w.ld, in, func(env flow.Env) Result {
		o := w.ld.Handle(env, in)
		if !s.printsBills() {
			w.ld.Bills = nil
		}
		if o.Done {
			next := w.ld.Next()
			var keep any // the next load's state, kept while bills wait to print
			if len(next.Bills) > 0 {
				keep = next
			}
			if r, ok := s.saveStep(key, keep, o, func() {}); !ok {
				return r
			}
			w.ld = next
			w.dockChanged()
			w.printBills()
			return Result{}
		}
		r, ok := s.saveStep(key, w.ld, o, reloadWork(s, key, &w.ld))
		if ok {
			w.dockChanged() // with this step laid over the list
			w.askLead()
			w.printBills()
		}
		return r
	})
}

// askLead asks the lead who scanned their badge for a short close for the
// PIN: the hub opens a lead session at this device with them (its check of
// the override), and the lead chooses the reason next. Offline the load
// stays open.
func (w *loadWork) askLead() {
	s, ld := w.s, w.ld
	if ld.Step != flow.StepLoadPIN || s.pinFor != nil || s.cfg.Lead == nil {
		return
	}
	save := func() {
		if err := s.commit(w.key(), ld, nil); err != nil {
			s.fail("NOT SAVED", err.Error())
		}
	}
	s.askPIN(&pinAsk{what: "short close", badge: ld.LeadBadge,
		offline: "A short close needs the hub to check the lead's PIN; the load stays open.", dropOffline: true,
		granted: func(ls api.LeadSessionResponse) { ld.Override(ls.User.ID, ls.User.Name); save() },
		back:    func() { ld.NoOverride(); save() }})
}
