package session

import (
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// Workflow is one thing a user does at the terminal — pick, cluster pick,
// pack, count, return, labels, the needs-attention list, approvals, count
// figures — as a session runs it. It holds that workflow's state for the
// logged-in user (the session holds none); a registry row makes it. Its
// methods are called with the session's lock held and must not block: hub
// calls go through Session.background.
type Workflow interface {
	// Open is called when the user chooses it from the menu: resume the work
	// in hand or start new work.
	Open()
	// Handle takes one input while the workflow is on screen.
	Handle(in flow.Input) Result
	// Prompt is the workflow's screen now.
	Prompt() flow.Prompt
}

// saved is a workflow whose work is saved on the device after every step
// (under its row's WorkKey and the user's id), so it resumes after a crash,
// a logout or a move to another terminal.
type saved interface {
	Workflow
	// restore reads the user's saved work at login. inHand reports whether
	// there is work to go back to.
	restore() (inHand bool, err error)
	// inHand names the work in hand for the menu ("SO-10003"); "" when none.
	inHand() string
}

// taskHolder is a workflow that holds hub tasks the hub can take away
// (order cancelled, task reassigned).
type taskHolder interface {
	// dropTask stops the work on taskID at once and tells the worker what to
	// do. handled is false when the workflow has nothing of that task.
	dropTask(taskID string, cancelled bool, adv outbox.Advice) (handled bool)
}

// workRef is a workflow that can say which task and order are in hand,
// for the view (tests and the status of a hosted session).
type workRef interface {
	ref() (taskID, orderID string, step flow.Step)
}

// Resume says what login does with a workflow's saved work.
type Resume int

// What login does with saved work.
const (
	ResumeNone    Resume = iota // nothing is saved
	ResumeMenu                  // the menu offers it ("Resume …"); login goes to the menu
	ResumeAtLogin               // login goes straight back into it
)

// base is what every workflow gets from its session.
type base struct {
	s    *Session
	user domain.User
	row  *Row
}

// key is where the workflow's work is saved on the device.
func (b base) key() string { return b.row.WorkKey + "/" + b.user.ID }

// menuAction adds the way back to the menu to a prompt of work that is saved
// after every step (it resumes from the menu), unless a problem waits.
func menuAction(p flow.Prompt) flow.Prompt {
	if p.Problem == nil {
		p.Actions = append(p.Actions, ActMenu)
	}
	return p
}
