package session

import (
	"github.com/rfterm/rfterm/terminal/flow"
)

// ModeStage is staging cartons' mode.
const ModeStage Mode = "stage"

// stageWork stages shipped cartons in lanes, checked against the dock list
// kept on the device; saved after every step.
type stageWork struct {
	base
	st *flow.Stage
}

func newStageWork(b base) Workflow { return &stageWork{base: b} }

func (w *stageWork) restore() (bool, error) {
	var st flow.Stage
	found, err := w.s.store.LoadWork(w.key(), &st)
	if err != nil || !found {
		return false, err
	}
	w.st = &st
	return w.inHand() != "", nil
}

func (w *stageWork) inHand() string {
	if w.st == nil || w.st.Carton == nil {
		return ""
	}
	return w.st.Carton.OrderID
}

func (w *stageWork) Prompt() flow.Prompt { return menuAction(w.st.Prompt()) }

// Open fetches the dock list and resumes staging, or starts it.
func (w *stageWork) Open() {
	w.s.openDock(func() {
		if w.st == nil {
			w.st = flow.NewStage(w.user.ID)
		}
		w.dockChanged()
		w.s.show(w)
	})
}

// dockChanged takes the dock list as kept now.
func (w *stageWork) dockChanged() { w.s.dockEnv(w.st, w.s.cfg.Now()) }

func (w *stageWork) Handle(in flow.Input) Result {
	s, key := w.s, w.key()
	return s.dockStep(w.st, in, func(env flow.Env) Result {
		o := w.st.Handle(env, in)
		r, ok := s.saveStep(key, w.st, o, reloadWork(s, key, &w.st))
		if ok {
			w.dockChanged() // with this step laid over the list
		}
		return r
	})
}
