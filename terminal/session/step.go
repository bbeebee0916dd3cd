package session

import (
	"github.com/rfterm/rfterm/terminal/flow"
)

// saveStep does what every workflow step asks of the session: sound the
// error tone for a problem or a refused input, and save the state with the
// step's events in one transaction before anything shows as confirmed (a
// problem alone, or its acknowledgement, is not waited for; a nil
// state deletes it: the work is finished). When the save fails, reload puts
// back the last state on disk. ok is false when the caller must stop there.
func (s *Session) saveStep(key string, state any, o flow.Outcome, reload func()) (r Result, ok bool) {
	if o.Refused {
		s.alarms++
		return Result{Refused: true}, false
	}
	if o.Problem != nil {
		s.alarms++
	}
	if (!o.Changed || o.Transient) && !o.Done && len(o.Events) == 0 {
		// A refused scan and its acknowledgement move no work: they show
		// at once, without waiting for the disk, and are saved with the
		// next step that moves the work (the whole state is saved then).
		return Result{}, true
	}
	if err := s.commit(key, state, o.Events); err != nil {
		s.cfg.Log.Error("save step", "work", key, "err", err)
		reload()
		return s.fail("NOT SAVED", "Could not save ("+err.Error()+"). Repeat the last step."), false
	}
	s.kick = s.kick || len(o.Events) > 0
	return Result{}, true
}

// reloadWork reads the last saved state of a piece of work into v, for saveStep.
func reloadWork[T any](s *Session, key string, into **T) func() {
	return func() {
		var saved T
		if found, err := s.store.LoadWork(key, &saved); err == nil && found {
			*into = &saved
		}
	}
}
