package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

// LeadHub is what a lead's screens ask the hub. The hub checks the role, and
// takes lead calls only with a lead session: LeadLogin opens one with the
// lead's badge and PIN, and AsLead is the hub as seen with it.
type LeadHub interface {
	Adjustments(ctx context.Context, leadID, status string) ([]api.Adjustment, error)
	DecideAdjustment(ctx context.Context, id string, req api.DecisionRequest) (api.Adjustment, error)
	CountKPIs(ctx context.Context, leadID string) (api.CountKPIs, error)
	CreateCounts(ctx context.Context, req api.CreateCountsRequest) (api.CreateCountsResponse, error)
	// LeadLogin opens a lead session at this device with a badge and PIN.
	LeadLogin(ctx context.Context, badge, pin string) (api.LeadSessionResponse, error)
	// AsLead is the hub for calls made with the lead session token.
	AsLead(token string) LeadHub
}

// LeadClient makes the hub client a LeadHub: AsLead sends the lead session
// token with every call (api.Client.WithLeadSession).
func LeadClient(c *api.Client) LeadHub { return leadClient{c} }

type leadClient struct{ *api.Client }

func (c leadClient) AsLead(token string) LeadHub { return leadClient{c.WithLeadSession(token)} }

// ModePIN is the lead's PIN prompt, shown before a lead row's screen.
const ModePIN Mode = "pin"

// leadPass is the logged-in lead's session at the hub: the lead screens'
// calls carry its token until it ends or the lead logs out.
type leadPass struct {
	token   string
	expires time.Time
}

// needsPIN reports whether the row's screen needs a lead session: the
// registry's lead rows do.
func (r *Row) needsPIN() bool { return r.Role == domain.RoleLead }

// leadValid reports whether the user holds a lead session that has not
// ended. Called with the lock held.
func (s *Session) leadValid() bool {
	return s.lead != nil && s.cfg.Now().Before(s.lead.expires)
}

// leadHub is the hub for the lead's calls, with the lead session. Called
// with the lock held.
func (s *Session) leadHub() LeadHub {
	token := ""
	if s.lead != nil {
		token = s.lead.token
	}
	return s.cfg.Lead.AsLead(token)
}

// pinAsk is a lead's PIN asked for at this terminal: before a lead row's
// screen (the logged-in lead's), or for a lead's override at another
// user's work (the lead who scanned their badge). The hub opens a lead
// session at this device with the badge and the PIN; granted takes it.
type pinAsk struct {
	what    string // what the PIN is for, on the prompt: "Approvals"
	badge   string // the lead's badge
	name    string // the lead's name, for "not the PIN of …"; "" when not known yet
	offline string // what the hub being unreachable stops, for OFFLINE
	granted func(api.LeadSessionResponse)
	back    func() // the PIN prompt was left; nil: nothing to undo
	// dropOffline leaves the PIN prompt (calling back) when the hub is not
	// reachable, rather than waiting for another try.
	dropOffline bool
}

// open opens a menu entry, first asking a lead for the PIN when its row
// needs a lead session and the user holds none.
func (s *Session) open(e *entry) {
	if e.row.needsPIN() && !s.leadValid() {
		s.lead = nil
		s.askPIN(&pinAsk{what: e.row.Label, badge: s.user.Badge, name: s.user.Name, offline: "Lead screens need the hub.",
			granted: func(ls api.LeadSessionResponse) {
				s.lead = &leadPass{token: ls.Token, expires: ls.Expires}
				e.w.Open()
			}})
		return
	}
	e.w.Open()
}

// askPIN puts the PIN prompt on screen for a. Called with the lock held.
func (s *Session) askPIN(a *pinAsk) { s.pinFor = a }

// pinPrompt is the PIN prompt for the request waiting on it.
func (s *Session) pinPrompt() flow.Prompt {
	p := flow.Prompt{Title: "LEAD PIN", Ask: "Key your PIN for " + s.pinFor.what, Expect: "PIN", Actions: []flow.Action{flow.ActBack}}
	if s.cfg.Demo {
		p.Scan = s.cfg.DemoPIN
	}
	return p
}

// handlePIN takes the lead's PIN, opens a lead session with it at the hub
// and hands it to the request. The PIN is never logged or shown.
func (s *Session) handlePIN(in flow.Input) Result {
	a := s.pinFor
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		s.pinFor = nil
		if a.back != nil {
			a.back()
		}
		return Result{}
	}
	sc, ok := scanOf(in)
	if !ok {
		return Result{}
	}
	pin := sc.Data
	s.background("Checking PIN", func(ctx context.Context) func() {
		ls, err := s.cfg.Lead.LeadLogin(ctx, a.badge, pin)
		if err == nil && ls.User.Role != "" && ls.User.Role != domain.RoleLead {
			err = &api.Error{Code: api.CodeForbidden, Message: ls.User.Name + " is not a lead."}
		}
		if err != nil {
			s.cfg.Log.Info("lead session refused", "badge", a.badge, "err", err)
			return func() { s.pinRefused(a, err) }
		}
		s.cfg.Log.Info("lead session opened", "user", ls.User.ID, "expires", ls.Expires)
		return func() {
			if s.pinFor != a {
				return // the lead went back meanwhile
			}
			s.pinFor = nil
			a.granted(ls)
		}
	})
	return Result{}
}

// pinRefused says why the hub opened no lead session; the PIN prompt stays.
func (s *Session) pinRefused(a *pinAsk, err error) {
	var apiErr *api.Error
	who := a.name
	if who == "" {
		who = "badge " + a.badge
	}
	switch {
	case errors.Is(err, api.ErrNotEnrolled):
		s.notEnrolledFailure()
	case errors.As(err, &apiErr) && apiErr.Code == api.CodeTooManyAttempts:
		s.fail("TOO MANY TRIES", "Too many wrong PINs. Try again in "+waitText(apiErr.RetryAfter)+".")
	case errors.As(err, &apiErr) && apiErr.Code == api.CodeBadPIN:
		s.fail("WRONG PIN", "That is not the PIN of "+who+". Key it again, or go back.")
	case unreachable(err):
		s.fail("OFFLINE", a.offline+" Retry when online.")
		if a.dropOffline && s.pinFor == a {
			s.pinFor = nil
			if a.back != nil {
				a.back()
			}
		}
	default:
		s.fail("PIN REFUSED", describe(err))
	}
}

// leadEnded handles a lead call the hub refused for want of a lead session
// (it ended at the hub): the next lead screen asks for the PIN again. It
// reports whether err was that. Called with the lock held.
func (s *Session) leadEnded(err error) bool {
	if !api.NeedsLeadSession(err) {
		return false
	}
	s.lead = nil
	s.toMenu()
	s.fail("PIN NEEDED", "Your lead session has ended. Choose the screen again and key your PIN.")
	return true
}

// waitText is a wait for people: "45 s", "2 min"; a minute when unknown.
func waitText(d time.Duration) string {
	switch {
	case d <= 0:
		return "a minute"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int((d+time.Second-1)/time.Second))
	}
	return fmt.Sprintf("%d min", int((d+time.Minute-1)/time.Minute))
}
