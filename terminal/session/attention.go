package session

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/puller"
)

// syncChanged is the sender's listener: it redraws, and when the hub has
// refused another step it tells the worker at once.
func (s *Session) syncChanged() {
	n := s.sync.Status().Attention
	s.mu.Lock()
	grew := n > s.attnSeen
	s.attnSeen = n
	s.mu.Unlock()
	if grew {
		s.announceRejection()
	}
	s.changed()
}

// announceRejection interrupts with the newest refused step: why and what to
// do. A refusal that takes the task in hand away (order cancelled, task
// reassigned) ends that pick: nothing more is picked for it.
func (s *Session) announceRejection() {
	list, err := s.store.Attention()
	if err != nil || len(list) == 0 {
		s.cfg.Log.Error("needs-attention list", "err", err)
		return
	}
	r := list[len(list)-1]
	adv := r.Advice()
	taskID := payloadTask(r.Event)
	s.cfg.Log.Warn("step refused by the hub", "seq", r.Event.Seq, "type", r.Event.Type, "code", r.Code, "message", r.Message)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.pick != nil && s.pick.TaskID == taskID && (r.Code == api.CodeOrderCancelled || r.Code == api.CodeTaskNotHeld):
		s.dropPick(takenAwayTitle(r.Code == api.CodeOrderCancelled), adv)
	case taskID != "" && taskID == s.dropped:
		// The picker was told already (a notice ended this pick): the list has it.
	default:
		s.alarms++
		s.problem = &flow.Problem{Title: "HUB REFUSED A STEP", Detail: adv.Reason + ". " + adv.Action + " Menu 3 lists it."}
	}
}

// takenAwayTitle is the short title of a pick the hub took away.
func takenAwayTitle(cancelled bool) string {
	if cancelled {
		return "ORDER CANCELLED"
	}
	return "TASK REASSIGNED"
}

// dropPick ends the pick in hand because the hub took it away (order
// cancelled, task reassigned), telling the picker what to do with the tote.
// Called with the lock held.
func (s *Session) dropPick(title string, adv outbox.Advice) {
	if _, err := s.store.Commit(pickKey(s.pick.UserID), nil, nil); err != nil {
		s.cfg.Log.Error("drop pick", "err", err)
	}
	s.alarms++
	s.problem = &flow.Problem{Title: title, Detail: fmt.Sprintf("%s. Tote %s: %s", adv.Reason, s.pick.Tote, adv.Action)}
	s.dropped = s.pick.TaskID
	s.pick = nil
	if s.mode == ModePick {
		s.mode = ModeMenu
	}
}

// HandleNotice is the change puller's listener: the hub cancelled the order
// of, or reassigned, a task on this device. The pick in hand stops at once;
// a user not logged in now is told at the next login.
func (s *Session) HandleNotice(n puller.Notice) {
	s.mu.Lock()
	if s.pick != nil && s.pick.TaskID == n.TaskID {
		s.dropPick(takenAwayTitle(n.Kind == api.ChangeOrderCancelled), n.Advice())
		if err := s.store.DismissNotice(n.TaskID); err != nil {
			s.cfg.Log.Error("dismiss notice", "err", err)
		}
	}
	s.mu.Unlock()
	s.cfg.Log.Info("notice from the hub", "kind", n.Kind, "task", n.TaskID, "order", n.OrderID)
	s.changed()
}

// payloadTask is the task an event is about, if it names one.
func payloadTask(ev domain.Event) string {
	var p struct {
		TaskID string `json:"task_id"`
	}
	_ = json.Unmarshal(ev.Payload, &p)
	return p.TaskID
}

func (s *Session) openAttention() {
	list, err := s.store.Attention()
	if err != nil {
		s.fail("LIST UNREADABLE", err.Error())
		return
	}
	s.attn, s.attnAt, s.mode = list, 0, ModeAttention
}

func (s *Session) handleAttention(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		s.mode = ModeMenu
		return Result{}
	}
	if len(s.attn) == 0 {
		return Result{}
	}
	switch choice(in) {
	case "":
	case "1":
		s.attnAt = (s.attnAt + 1) % len(s.attn)
	case "2":
		if s.user == nil || s.user.Role != domain.RoleLead {
			return s.fail("LEAD ONLY", "Only a lead marks a refused step as dealt with.")
		}
		r := s.attn[s.attnAt]
		if err := s.store.Dismiss(r.Event.Seq); err != nil {
			return s.fail("NOT RECORDED", err.Error())
		}
		s.cfg.Log.Info("refused step dealt with", "seq", r.Event.Seq, "by", s.user.ID)
		s.attn = slices.Delete(s.attn, s.attnAt, s.attnAt+1)
		s.attnAt = 0
		s.attnSeen--
		s.kick = true // the sender recounts: the status line follows
	default:
		return s.fail("NOT ON THE MENU", "Key 1 for the next one, 2 when dealt with.")
	}
	return Result{}
}

func (s *Session) attentionPrompt() flow.Prompt {
	back := []flow.Action{flow.ActBack}
	if len(s.attn) == 0 {
		return flow.Prompt{Title: "ATTENTION", Ask: "Nothing needs attention", Actions: back}
	}
	r := s.attn[s.attnAt]
	adv := r.Advice()
	return flow.Prompt{
		Title: fmt.Sprintf("ATTENTION %d/%d", s.attnAt+1, len(s.attn)),
		Fields: []flow.Field{
			{Label: "Why", Value: adv.Reason},
			{Label: "Do", Value: adv.Action},
			{Label: "Step", Value: describeEvent(r.Event)},
			{Label: "Hub", Value: r.Message},
			{Label: "When", Value: r.Event.At.Local().Format("Jan 2 15:04")},
		},
		Menu: []string{"1 Next", "2 Dealt with (lead)"}, Ask: "Choose", Scan: "1", Actions: back,
	}
}

// describeEvent says what a step was, for people.
func describeEvent(ev domain.Event) string {
	switch ev.Type {
	case domain.EventLinePicked, domain.EventLineShorted:
		var p domain.PickLine
		if json.Unmarshal(ev.Payload, &p) == nil {
			return fmt.Sprintf("%s line %d: %d × %s, short %d, tote %s", p.TaskID, p.Line, p.Picked, p.SKU, p.Short, p.Tote)
		}
	case domain.EventTaskStarted, domain.EventTaskCompleted:
		var p domain.TaskStarted
		if json.Unmarshal(ev.Payload, &p) == nil {
			return fmt.Sprintf("%s %s, tote %s", p.TaskID, ev.Type, p.Tote)
		}
	}
	return string(ev.Type)
}
