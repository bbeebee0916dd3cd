package session

import (
	"context"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
)

// ModeFloor is the lead's floor figures mode: the coordinator's figures
// of the last 24 hours (GET /v1/kpis).
const ModeFloor Mode = "floor"

// Pages of the floor figures.
const (
	floorSummary = iota // on time, accuracy, fill, picking and dock
	floorUsers          // picking per user
	floorZones          // picking per zone
)

// floorWork shows the coordinator's figures: a summary, and the picking
// pace per user and per zone, each a page (the body pages down when the
// rows are more than the screen).
type floorWork struct {
	base
	kpis *api.KPIs // as fetched
	page int
}

func newFloorWork(b base) Workflow { return &floorWork{base: b} }

// Open fetches the figures of the last 24 hours (the hub's default window).
func (w *floorWork) Open() {
	s, hub := w.s, w.s.leadHub()
	s.background("Getting floor figures", func(ctx context.Context) func() {
		k, err := hub.KPIs(ctx, time.Time{}, time.Time{})
		return func() {
			if err != nil {
				s.hubFailed(err, "No floor figures yet.", "Floor figures need the hub.")
				return
			}
			w.kpis, w.page = &k, floorSummary
			s.show(w)
		}
	})
}

func (w *floorWork) Handle(in flow.Input) Result {
	s := w.s
	if in.Kind == flow.InAction && in.Action == flow.ActBack {
		if w.page != floorSummary {
			w.page = floorSummary
		} else {
			s.toMenu()
		}
		return Result{}
	}
	if w.page != floorSummary {
		return Result{}
	}
	switch choice(in) {
	case "":
	case "1":
		w.page = floorUsers
	case "2":
		w.page = floorZones
	case "3":
		w.Open()
	default:
		return s.fail("NOT ON THE MENU", "Key 1 for users, 2 for zones, 3 to refresh, or go back.")
	}
	return Result{}
}

func (w *floorWork) Prompt() flow.Prompt {
	k := w.kpis
	switch w.page {
	case floorUsers:
		return ratesPrompt("PICKS BY USER", k.ByUser)
	case floorZones:
		return ratesPrompt("PICKS BY ZONE", k.ByZone)
	}
	p := flow.Prompt{Title: "FLOOR FIGURES", Ask: "Last 24 h. Choose", Menu: []string{"1 Users", "2 Zones", "3 Refresh"}, Scan: "1", Actions: []flow.Action{flow.ActBack},
		Fields: []flow.Field{
			{Label: "OTIF", Value: share(k.OnTimeInFull)},
			{Label: "Acc", Value: share(k.OrderAccuracy)},
			{Label: "Fill", Value: share(k.FillRate)},
			{Label: "Lines", Value: share(k.LineFillRate)},
			{Label: "Pick", Value: perHour(k.Picking)},
			{Label: "Dock", Value: fmt.Sprintf("%.1f ctn/h", k.CartonsPerHour.Value)},
			{Label: "Late", Value: fmt.Sprintf("%d of %d loads", k.LateLoads.Numerator, k.LateLoads.Denominator)},
		}}
	p.Essential = []string{"OTIF"}
	return p
}

// share is a ratio for a 20-column row: "66.7% 2/3".
func share(r api.Ratio) string {
	if r.Denominator == 0 {
		return "- 0/0"
	}
	return fmt.Sprintf("%.1f%% %d/%d", 100*r.Value, r.Numerator, r.Denominator)
}

// perHour is a pace for a 20-column row: units and lines per active hour.
func perHour(r api.PickRate) string {
	return fmt.Sprintf("%.1fu %.1fln/h", r.UnitsPerHour, r.LinesPerHour)
}

// ratesPrompt is a page of picking paces, one field per user or zone.
func ratesPrompt(title string, rows []api.PickRate) flow.Prompt {
	p := flow.Prompt{Title: title, Ask: "Units, lines per active h", Actions: []flow.Action{flow.ActBack}}
	if len(rows) == 0 {
		p.Ask = "No picks in the last 24 h."
	}
	for _, r := range rows {
		p.Fields = append(p.Fields, flow.Field{Label: r.Key, Value: perHour(r)})
	}
	return p
}
