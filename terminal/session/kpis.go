package session

import (
	"context"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

// ModeKPIs is the lead's count figures mode.
const ModeKPIs Mode = "kpis"

// kpisWork is the lead's count figures, from which a lead makes a count
// task for a location.
type kpisWork struct {
	base
	kpis *api.CountKPIs // as fetched
	scan bool           // the lead is scanning a location to count
	note string
}

func newKPIsWork(b base) Workflow { return &kpisWork{base: b} }

// Open fetches the count KPIs for the lead.
func (w *kpisWork) Open() {
	s, lead, hub := w.s, w.user.ID, w.s.leadHub()
	s.background("Getting count figures", func(ctx context.Context) func() {
		k, err := hub.CountKPIs(ctx, lead)
		return func() {
			if err != nil {
				s.hubFailed(err, "No count figures yet.", "Count figures need the hub.")
				return
			}
			w.kpis, w.scan, w.note = &k, false, ""
			s.show(w)
		}
	})
}

func (w *kpisWork) Handle(in flow.Input) Result {
	s := w.s
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		if w.scan {
			w.scan = false
		} else {
			s.toMenu()
		}
		return Result{}
	}
	if !w.scan {
		switch choice(in) {
		case "":
		case "1":
			w.scan, w.note = true, ""
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
	lead, loc, hub := w.user.ID, c.Code, s.leadHub()
	s.background("Making the count task", func(ctx context.Context) func() {
		resp, err := hub.CreateCounts(ctx, api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{loc}})
		return func() {
			w.scan = false
			if err != nil {
				s.hubFailed(err, "Nothing to count there.", "Count tasks are made on the hub.")
				w.note, s.notice = s.notice, ""
				return
			}
			for _, t := range resp.Tasks {
				w.note = fmt.Sprintf("Count task %s made for %s.", t.ID, loc)
			}
		}
	})
	return Result{}
}

func (w *kpisWork) Prompt() flow.Prompt {
	back := []flow.Action{flow.ActBack}
	if w.scan {
		return flow.Prompt{Title: "NEW COUNT", Ask: "Scan location to count", Expect: "a location", Scan: w.s.cfg.DemoLocation, Actions: back}
	}
	k := w.kpis
	ask := "Choose"
	if w.note != "" {
		ask = w.note
	}
	p := flow.Prompt{Title: "COUNT FIGURES", Ask: ask, Menu: []string{"1 Count a location"}, Scan: "1", Actions: back, Fields: []flow.Field{
		{Label: "IRA", Value: fmt.Sprintf("%.1f%% (%d of %d)", k.Accuracy, k.Matched, k.Counts)},
		{Label: "Recnt", Value: fmt.Sprintf("%d", k.Recounts)},
		{Label: "Per h", Value: fmt.Sprintf("%.1f counts", k.CountsPerHour)},
		{Label: "Unkn", Value: fmt.Sprintf("%d scans", k.Unknown)},
	}}
	p.Essential = []string{"IRA"}
	for i, v := range k.ByLocation {
		if i == 3 {
			break
		}
		p.Fields = append(p.Fields, flow.Field{Label: "Var", Value: fmt.Sprintf("%s %d u %s", v.Key, v.Units, money(v.ValueCents))})
	}
	return p
}
