package session

import (
	"github.com/rfterm/rfterm/terminal/flow"
)

func (s *Session) handlePick(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActMenu && s.pick.Problem == nil {
		s.mode = ModeMenu // the pick is saved after every step: it resumes from the menu
		return Result{}
	}
	o := s.pick.Handle(flow.Env{Rules: s.cfg.Rules}, in)
	key := pickKey(s.user.ID)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.lastTote = s.pick.Tote
		s.pick = nil
		s.startPick()
		return Result{}
	}
	r, _ := s.saveStep(key, s.pick, o, reloadWork(s, key, &s.pick))
	return r
}
