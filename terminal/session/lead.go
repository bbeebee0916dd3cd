package session

import (
	"context"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

// LeadHub is what a lead's screens ask the hub. The hub checks the role.
type LeadHub interface {
	Adjustments(ctx context.Context, leadID, status string) ([]api.Adjustment, error)
	DecideAdjustment(ctx context.Context, id string, req api.DecisionRequest) (api.Adjustment, error)
	CountKPIs(ctx context.Context, leadID string) (api.CountKPIs, error)
	CreateCounts(ctx context.Context, req api.CreateCountsRequest) (api.CreateCountsResponse, error)
}

// isLead says the user may see the lead's screens (the hub enforces it too).
func (s *Session) isLead() bool { return s.user != nil && s.user.Role == domain.RoleLead }

// openApprovals fetches the adjustments waiting for a lead.
func (s *Session) openApprovals() {
	lead := s.user.ID
	s.background("Getting adjustments", func(ctx context.Context) func() {
		adjs, err := s.cfg.Lead.Adjustments(ctx, lead, api.AdjustPending)
		return func() {
			s.mode = ModeMenu
			if err != nil {
				s.hubFailed(err, "Nothing waits for approval.", "Approvals need the hub.")
				return
			}
			s.adjs, s.adjAt, s.mode = adjs, 0, ModeApprovals
		}
	})
}

func (s *Session) handleApprovals(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		s.mode = ModeMenu
		return Result{}
	}
	if len(s.adjs) == 0 {
		return Result{}
	}
	switch choice(in) {
	case "":
	case "1", "2":
		s.decideAdjustment(s.adjs[s.adjAt], choice(in) == "1")
	case "3":
		s.adjAt = (s.adjAt + 1) % len(s.adjs)
	default:
		return s.fail("NOT ON THE MENU", "Key 1 to approve, 2 to reject, 3 for the next one.")
	}
	return Result{}
}

// decideAdjustment approves or rejects an adjustment at the hub.
func (s *Session) decideAdjustment(a api.Adjustment, approve bool) {
	lead := s.user.ID
	s.background("Recording the decision", func(ctx context.Context) func() {
		_, err := s.cfg.Lead.DecideAdjustment(ctx, a.ID, api.DecisionRequest{UserID: lead, Approve: approve})
		return func() {
			s.mode = ModeApprovals
			if err != nil {
				s.fail("NOT RECORDED", describe(err))
				return
			}
			for i := range s.adjs {
				if s.adjs[i].ID == a.ID {
					s.adjs = append(s.adjs[:i], s.adjs[i+1:]...)
					break
				}
			}
			s.adjAt = 0
			verb := "rejected"
			if approve {
				verb = "approved"
			}
			s.notice = fmt.Sprintf("%s at %s %s.", a.ID, a.Location, verb)
		}
	})
}

func (s *Session) approvalsPrompt() flow.Prompt {
	back := []flow.Action{flow.ActBack}
	if len(s.adjs) == 0 {
		p := flow.Prompt{Title: "APPROVALS", Ask: "Nothing waits", Actions: back}
		if s.notice != "" {
			p.Fields = []flow.Field{{Label: "Note", Value: s.notice}}
		}
		return p
	}
	a := s.adjs[s.adjAt]
	p := flow.Prompt{
		Title:  fmt.Sprintf("APPROVE %d/%d", s.adjAt+1, len(s.adjs)),
		Fields: []flow.Field{{Label: "Loc", Value: a.Location}, {Label: "Value", Value: money(a.ValueCents)}, {Label: "Why", Value: a.Reason}},
		Menu:   []string{"1 Approve", "2 Reject", "3 Next"}, Ask: "Choose", Scan: "1", Actions: back,
	}
	for _, l := range a.Lines {
		p.Fields = append(p.Fields, flow.Field{Label: "Item", Value: fmt.Sprintf("%s %d→%d (%+d)", l.SKU, l.System, l.Counted, l.Delta)})
	}
	if s.notice != "" {
		p.Fields = append(p.Fields, flow.Field{Label: "Note", Value: s.notice})
	}
	return p
}

// openKPIs fetches the count KPIs for the lead.
func (s *Session) openKPIs() {
	lead := s.user.ID
	s.background("Getting count figures", func(ctx context.Context) func() {
		k, err := s.cfg.Lead.CountKPIs(ctx, lead)
		return func() {
			s.mode = ModeMenu
			if err != nil {
				s.hubFailed(err, "No count figures yet.", "Count figures need the hub.")
				return
			}
			s.kpis, s.kpiScan, s.mode = &k, false, ModeKPIs
		}
	})
}

func (s *Session) handleKPIs(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		if s.kpiScan {
			s.kpiScan = false
		} else {
			s.mode = ModeMenu
		}
		return Result{}
	}
	if !s.kpiScan {
		switch choice(in) {
		case "":
		case "1":
			s.kpiScan, s.notice = true, ""
		default:
			return s.fail("NOT ON THE MENU", "Key 1 to count a location, or go back.")
		}
		return Result{}
	}
	sc, ok := scanOf(in)
	if !ok {
		return Result{}
	}
	c := s.cfg.Rules.Classify(sc)
	if c.Kind != barcode.KindLocation {
		return s.fail("NOT A LOCATION", "Scanned "+c.Code+". Scan the location to count.")
	}
	lead, loc := s.user.ID, c.Code
	s.background("Making the count task", func(ctx context.Context) func() {
		resp, err := s.cfg.Lead.CreateCounts(ctx, api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{loc}})
		return func() {
			s.mode, s.kpiScan = ModeKPIs, false
			if err != nil {
				s.hubFailed(err, "Nothing to count there.", "Count tasks are made on the hub.")
				return
			}
			for _, t := range resp.Tasks {
				s.notice = fmt.Sprintf("Count task %s made for %s.", t.ID, loc)
			}
		}
	})
	return Result{}
}

func (s *Session) kpiPrompt() flow.Prompt {
	back := []flow.Action{flow.ActBack}
	if s.kpiScan {
		return flow.Prompt{Title: "NEW COUNT", Ask: "Scan location to count", Expect: "a location", Scan: s.cfg.DemoLocation, Actions: back}
	}
	k := s.kpis
	ask := "Choose"
	if s.notice != "" {
		ask = s.notice
	}
	p := flow.Prompt{Title: "COUNT FIGURES", Ask: ask, Menu: []string{"1 Count a location"}, Scan: "1", Actions: back, Fields: []flow.Field{
		{Label: "IRA", Value: fmt.Sprintf("%.1f%% (%d of %d)", k.Accuracy, k.Matched, k.Counts)},
		{Label: "Recnt", Value: fmt.Sprintf("%d", k.Recounts)},
		{Label: "Per h", Value: fmt.Sprintf("%.1f counts", k.CountsPerHour)},
		{Label: "Unkn", Value: fmt.Sprintf("%d scans", k.Unknown)},
	}}
	for i, v := range k.ByLocation {
		if i == 3 {
			break
		}
		p.Fields = append(p.Fields, flow.Field{Label: "Var", Value: fmt.Sprintf("%s %d u %s", v.Key, v.Units, money(v.ValueCents))})
	}
	return p
}

func money(cents int) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
