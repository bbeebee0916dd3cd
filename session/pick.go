package session

import (
	"github.com/rfterm/rfterm/flow"
)

func (s *Session) handlePick(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActMenu && s.pick.Problem == nil {
		s.mode = ModeMenu // the pick is saved after every step: it resumes from the menu
		return Result{}
	}
	o := s.pick.Handle(s.cfg.Rules, in)
	if o.Refused {
		s.alarms++
		return Result{Refused: true}
	}
	if o.Problem != nil {
		s.alarms++
	}
	key := pickKey(s.user.ID)
	if o.Done {
		if _, err := s.store.Commit(key, nil, nil); err != nil {
			return s.fail("NOT SAVED", err.Error())
		}
		s.lastTote = s.pick.Tote
		s.pick = nil
		s.startPick()
		return Result{}
	}
	if !o.Changed && len(o.Events) == 0 {
		return Result{}
	}
	if _, err := s.store.Commit(key, s.pick, o.Events); err != nil {
		s.cfg.Log.Error("commit pick step", "err", err)
		var saved flow.Pick
		if found, lerr := s.store.LoadWork(key, &saved); lerr == nil && found {
			s.pick = &saved // back to the last step that is on disk
		}
		return s.fail("NOT SAVED", "Could not save ("+err.Error()+"). Repeat the last step.")
	}
	s.kick = s.kick || len(o.Events) > 0
	return Result{}
}
