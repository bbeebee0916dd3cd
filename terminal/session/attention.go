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
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// ModeAttention is the needs-attention list's mode.
const ModeAttention Mode = "attention"

// syncChanged is the sender's listener: it redraws, and when the hub has
// refused another step it tells the worker at once.
func (s *Session) syncChanged() {
	st := s.sync.Status()
	s.mu.Lock()
	n := s.attentionCount(st)
	grew := n > s.attnSeen
	s.attnSeen = n
	s.printBills() // the hub may have the close of a load now
	s.mu.Unlock()
	if grew {
		s.announceRejection()
	}
	s.changed()
}

// announceRejection interrupts with the newest refused step: why and what to
// do. A refusal that takes work in hand away (order cancelled, task
// reassigned) ends that work in the workflow that holds it.
func (s *Session) announceRejection() {
	s.mu.Lock()
	user := s.user
	s.mu.Unlock()
	if user == nil {
		return // the list has it: the user who did the step sees it at login
	}
	list, err := s.attentionList(*user)
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
	if s.user == nil || s.user.ID != user.ID {
		return // the user left meanwhile: the list has it
	}
	if r.Code == api.CodeOrderCancelled || r.Code == api.CodeTaskNotHeld {
		if s.dropTask(taskID, r.Code == api.CodeOrderCancelled, adv) {
			return
		}
	}
	s.alarms++
	s.problem = &flow.Problem{Title: "HUB REFUSED A STEP", Detail: fmt.Sprintf("%s. %s Menu %s lists it.", adv.Reason, adv.Action, s.menuKey(ModeAttention))}
}

// attentionCount is what the status line counts for the user logged in:
// the refusals of their own steps; a lead's, every refusal on the device.
// Called with the lock held.
func (s *Session) attentionCount(st sender.SyncStatus) int {
	switch {
	case s.user == nil:
		return 0
	case s.user.Role == domain.RoleLead:
		return st.Attention
	}
	return st.AttentionFor(s.user.ID)
}

// attentionList is the needs-attention list a user sees: their own refused
// steps; a lead sees all.
func (s *Session) attentionList(u domain.User) ([]outbox.Rejected, error) {
	if u.Role == domain.RoleLead {
		return s.store.Attention()
	}
	return s.store.AttentionFor(u.ID)
}

// dropTask has the workflow holding taskID stop it; false when none does.
func (s *Session) dropTask(taskID string, cancelled bool, adv outbox.Advice) bool {
	if taskID == "" {
		return false
	}
	for _, e := range s.works {
		if h, ok := e.w.(taskHolder); ok && h.dropTask(taskID, cancelled, adv) {
			return true
		}
	}
	return false
}

// HandleNotice is the change puller's listener: the hub cancelled the order
// of, or reassigned, a task on this device. The work in hand stops at once;
// a user not logged in now is told at the next login.
func (s *Session) HandleNotice(n puller.Notice) {
	s.mu.Lock()
	if s.dropTask(n.TaskID, n.Kind == api.ChangeOrderCancelled, n.Advice()) {
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

// attentionWork is the needs-attention list: steps the hub refused, with
// why and what to do; a lead marks them dealt with.
type attentionWork struct {
	base
	list []outbox.Rejected // as read when opened
	at   int               // the one shown
}

func newAttentionWork(b base) Workflow { return &attentionWork{base: b} }

// waiting is the count on the menu line.
func (w *attentionWork) waiting() int { return w.s.attnSeen }

func (w *attentionWork) Open() {
	list, err := w.s.attentionList(w.user)
	if err != nil {
		w.s.fail("LIST UNREADABLE", err.Error())
		return
	}
	w.list, w.at = list, 0
	w.s.show(w)
}

func (w *attentionWork) Handle(in flow.Input) Result {
	s := w.s
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		s.toMenu()
		return Result{}
	}
	if len(w.list) == 0 {
		return Result{}
	}
	switch choice(in) {
	case "":
	case "1":
		w.at = (w.at + 1) % len(w.list)
	case "2":
		if w.user.Role != domain.RoleLead {
			return s.fail("LEAD ONLY", "Only a lead marks a refused step as dealt with.")
		}
		r := w.list[w.at]
		if err := s.store.Dismiss(r.Event.Seq); err != nil {
			return s.fail("NOT RECORDED", err.Error())
		}
		s.cfg.Log.Info("refused step dealt with", "seq", r.Event.Seq, "by", w.user.ID)
		w.list = slices.Delete(w.list, w.at, w.at+1)
		w.at = 0
		s.attnSeen--
		s.kick = true // the sender recounts: the status line follows
	default:
		return s.fail("NOT ON THE MENU", "Key 1 for the next one, 2 when dealt with.")
	}
	return Result{}
}

func (w *attentionWork) Prompt() flow.Prompt {
	back := []flow.Action{flow.ActBack}
	if len(w.list) == 0 {
		return flow.Prompt{Title: "ATTENTION", Ask: "Nothing needs attention", Actions: back}
	}
	r := w.list[w.at]
	adv := r.Advice()
	return flow.Prompt{
		Title: fmt.Sprintf("ATTENTION %d/%d", w.at+1, len(w.list)),
		Fields: []flow.Field{
			{Label: "Why", Value: adv.Reason},
			{Label: "Do", Value: adv.Action},
			{Label: "Step", Value: describeEvent(r.Event)},
			{Label: "Hub", Value: r.Message},
			{Label: "When", Value: r.Event.At.Local().Format("Jan 2 15:04")},
		},
		Menu: []string{"1 Next", "2 Dealt with (lead)"}, Ask: "Choose", Scan: "1", Actions: back,
		Essential: []string{"Why", "Do", "Step"}, // why, what to do, and the step it is about
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
