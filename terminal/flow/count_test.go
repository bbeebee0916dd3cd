package flow

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

// machine is a flow under test: it takes inputs and says which step it is at.
type machine interface {
	Handle(Env, Input) Outcome
}

// drive runs scripted steps through a flow, checking each outcome; stepOf reads its step.
func drive(t *testing.T, m machine, stepOf func() Step, steps []step) []domain.Draft {
	t.Helper()
	rules := testRules(t)
	var all []domain.Draft
	for i, s := range steps {
		o := m.Handle(Env{Rules: rules}, s.in)
		var types []domain.EventType
		for _, e := range o.Events {
			types = append(types, e.Type)
		}
		all = append(all, o.Events...)
		title := ""
		if o.Problem != nil {
			title = o.Problem.Title
		}
		require.Equal(t, s.problem, title, "step %d (%+v): problem", i, s.in)
		require.Equal(t, s.events, types, "step %d: events", i)
		require.Equal(t, s.refused, o.Refused, "step %d: refused", i)
		require.Equal(t, s.done, o.Done, "step %d: done", i)
		if s.step != "" {
			require.Equal(t, s.step, stepOf(), "step %d: step", i)
		}
	}
	return all
}

func newTestCount(t testing.TB, locs ...string) *Count {
	if len(locs) == 0 {
		locs = []string{"A-01-01", "B-01-01"}
	}
	task := domain.CountTask{ID: "C-000001", By: domain.CountByZone, Locations: locs}
	places := []domain.Location{
		{Code: "A-01-01", Zone: "A", Sequence: 10, Check: "41"},
		{Code: "A-02-01", Zone: "A", Sequence: 20, Check: "42"},
		{Code: "B-01-01", Zone: "B", Sequence: 30, Check: "43"},
	}
	c, err := NewCount(task, []domain.Item{drill, glue, meter}, places, "U1")
	require.NoError(t, err)
	return c
}

func countOf(t *testing.T, d domain.Draft) domain.CountSubmitted {
	t.Helper()
	var p domain.CountSubmitted
	require.NoError(t, json.Unmarshal(mustJSON(t, d.Payload), &p))
	return p
}

var evCount = []domain.EventType{domain.EventCountSubmitted}

func TestCountHappyPath(t *testing.T) {
	c := newTestCount(t, "A-01-01", "A-02-01", "B-01-01")
	evs := drive(t, c, func() Step { return c.Step }, []step{
		{in: scan("A-01-01"), step: StepItem},
		{in: scan("4006381333931"), step: StepItem},           // +1 drill
		{in: scan("HX-4411"), step: StepItem},                 // +1 drill by its own barcode
		{in: typed("10"), step: StepItem},                     // that scan was 10 units
		{in: scan("]C1010003600029145210L7"), step: StepItem}, // glue with its lot
		{in: scan("036000291452"), step: StepItem},            // more glue: same lot
		{in: scan("9999"), step: StepItem},                    // unknown: recorded for review
		{in: act(ActSubmit), step: StepLocation, events: evCount},
		{in: typed("42"), step: StepItem}, // check digits keyed
		{in: act(ActEmpty), step: StepConfirmEmpty},
		{in: typed(""), step: StepLocation, events: evCount},
		{in: scan("B-01-01"), step: StepItem},
		{in: scan("10614141000002"), step: StepSerial},
		{in: scan("S1"), step: StepItem},
		{in: scan("]d2011061414100000221S2"), step: StepItem},
		{in: act(ActSubmit), step: StepDone, events: evCount},
		{in: typed(""), done: true},
	})
	require.Len(t, evs, 3)
	first := countOf(t, evs[0])
	assert.Equal(t, "A-01-01", first.Location)
	assert.False(t, first.Empty)
	assert.Equal(t, []domain.CountLine{
		{SKU: "HX-4411", Qty: 11},
		{SKU: "GL-0100", Qty: 2, Lots: []domain.LotQty{{Lot: "L7", Qty: 2}}},
	}, first.Lines)
	assert.Equal(t, []domain.CountScan{{Code: "9999", Qty: 1}}, first.Unknown)
	empty := countOf(t, evs[1])
	assert.True(t, empty.Empty)
	assert.Empty(t, empty.Lines)
	third := countOf(t, evs[2])
	assert.Equal(t, []domain.CountLine{{SKU: "MT-7000", Qty: 2, Serials: []string{"S1", "S2"}}}, third.Lines)
	assert.True(t, c.Finished())
}

func TestCountErrors(t *testing.T) {
	cases := []struct {
		name  string
		steps []step
	}{
		{"wrong location", []step{{in: scan("A-02-01"), problem: "WRONG LOCATION", step: StepLocation}}},
		{"item before location", []step{{in: scan("4006381333931"), problem: "SCAN LOCATION", step: StepLocation}}},
		{"bad check digit", []step{{in: scan("A-01-01"), step: StepItem}, {in: scan("4006381333932"), problem: "BAD BARCODE"}}},
		{"another location before submit", []step{{in: scan("A-01-01")}, {in: scan("B-01-01"), problem: "SUBMIT FIRST", step: StepItem}}},
		{"same location again is nothing", []step{{in: scan("A-01-01")}, {in: scan("A-01-01"), step: StepItem}}},
		{"a tote is not an item", []step{{in: scan("A-01-01")}, {in: scan("T00001"), problem: "NOT AN ITEM"}}},
		{"qty before any scan", []step{{in: scan("A-01-01")}, {in: typed("5"), problem: "SCAN ITEM FIRST"}}},
		{"qty twice", []step{{in: scan("A-01-01")}, {in: scan("HX-4411")}, {in: typed("5")}, {in: ack()}, {in: typed("6"), problem: "SCAN ITEM FIRST"}}},
		{"zero qty", []step{{in: scan("A-01-01")}, {in: scan("HX-4411")}, {in: typed("0"), problem: "BAD QUANTITY"}}},
		{"qty of a serial", []step{{in: scan("A-01-01")}, {in: scan("]d2011061414100000221S1")}, {in: typed("3"), problem: "SCAN EACH UNIT"}}},
		{"duplicate serial", []step{{in: scan("A-01-01")}, {in: scan("]d2011061414100000221S1")}, {in: scan("10614141000002"), step: StepSerial}, {in: typed("S1"), problem: "DUPLICATE SERIAL"}}},
		{"location as serial", []step{{in: scan("A-01-01")}, {in: scan("10614141000002")}, {in: scan("A-01-01"), problem: "NOT A SERIAL", step: StepSerial}}},
		{"other item's lot", []step{{in: scan("A-01-01")}, {in: scan("036000291452"), step: StepLot}, {in: scan("]C1010400638133393110L1"), problem: "WRONG ITEM", step: StepLot}}},
		{"empty after counting", []step{{in: scan("A-01-01")}, {in: scan("HX-4411")}, {in: act(ActEmpty), problem: "NOT EMPTY", step: StepItem}}},
		{"submit nothing", []step{{in: scan("A-01-01")}, {in: act(ActSubmit), problem: "NOTHING COUNTED", step: StepItem}}},
		{"scan while confirming empty", []step{{in: scan("A-01-01")}, {in: act(ActEmpty)}, {in: scan("HX-4411"), problem: "CONFIRM EMPTY", step: StepConfirmEmpty}}},
		{"scan when done", []step{{in: scan("A-01-01")}, {in: act(ActEmpty)}, {in: typed(""), events: evCount}, {in: scan("B-01-01")}, {in: act(ActEmpty)}, {in: typed(""), step: StepDone, events: evCount}, {in: scan("HX-4411"), problem: "COUNT COMPLETE"}}},
		{"action not offered", []step{{in: act(ActSubmit), step: StepLocation}, {in: act(ActUndo), step: StepLocation}}},
		{"refused until acknowledged", []step{{in: scan("A-02-01"), problem: "WRONG LOCATION"}, {in: scan("A-01-01"), refused: true, step: StepLocation}, {in: typed(""), step: StepLocation}, {in: scan("A-01-01"), step: StepItem}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestCount(t)
			drive(t, c, func() Step { return c.Step }, tc.steps)
		})
	}
}

func TestCountUndoAndBack(t *testing.T) {
	c := newTestCount(t)
	evs := drive(t, c, func() Step { return c.Step }, []step{
		{in: scan("A-01-01"), step: StepItem},
		{in: scan("HX-4411")},
		{in: scan("9999")},
		{in: act(ActUndo), step: StepItem}, // the unknown scan was a mistake
		{in: scan("10614141000002"), step: StepSerial},
		{in: act(ActBack), step: StepItem}, // no serial to hand
		{in: act(ActEmpty), problem: "NOT EMPTY"},
		{in: ack()},
		{in: act(ActUndo), step: StepItem},
		{in: act(ActEmpty), step: StepConfirmEmpty},
		{in: act(ActBack), step: StepItem},
		{in: act(ActBack), step: StepLocation},
		{in: scan("A-01-01"), step: StepItem},
		{in: scan("HX-4411")},
		{in: act(ActSubmit), step: StepLocation, events: evCount},
	})
	assert.Equal(t, []domain.CountLine{{SKU: "HX-4411", Qty: 1}}, countOf(t, evs[0]).Lines)
	assert.Empty(t, countOf(t, evs[0]).Unknown)
}

func TestCountPromptIsBlind(t *testing.T) {
	c := newTestCount(t)
	rules := testRules(t)
	for _, in := range []Input{scan("A-01-01"), scan("HX-4411"), typed("7")} {
		c.Handle(Env{Rules: rules}, in)
	}
	pr := c.Prompt()
	assert.Equal(t, "COUNT 1/2", pr.Title)
	assert.Equal(t, []Field{{"Loc", "A-01-01"}, {"Counted", "7"}, {"Last", "HX-4411 x7"}}, pr.Fields)
	assert.Equal(t, []Action{ActSubmit, ActEmpty, ActUndo, ActBack}, pr.Actions)
	// A recount says so; nothing on any prompt names a system quantity.
	r, err := NewCount(domain.CountTask{ID: "C-2", By: domain.CountByRecount, Locations: []string{"A-01-01"}},
		nil, []domain.Location{{Code: "A-01-01"}}, "U2")
	require.NoError(t, err)
	assert.Equal(t, "RECOUNT 1/1", r.Prompt().Title)
	for _, f := range append(pr.Fields, r.Prompt().Fields...) {
		assert.NotContains(t, strings.ToLower(f.Label), "expect")
		assert.NotContains(t, strings.ToLower(f.Label), "system")
	}
}

func TestCountResumesFromJSON(t *testing.T) {
	c := newTestCount(t)
	rules := testRules(t)
	for _, in := range []Input{scan("A-01-01"), scan("HX-4411"), typed("4"), scan("10614141000002")} {
		c.Handle(Env{Rules: rules}, in)
	}
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	var back Count
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, c, &back)
	drive(t, &back, func() Step { return back.Step }, []step{
		{in: typed("S9"), step: StepItem},
		{in: act(ActSubmit), step: StepLocation, events: evCount},
	})
}

func TestNewCountRejectsIncompleteTasks(t *testing.T) {
	_, err := NewCount(domain.CountTask{ID: "C-1", Locations: []string{"Z-99-99"}}, nil, nil, "U1")
	assert.ErrorContains(t, err, "Z-99-99 unknown")
	_, err = NewCount(domain.CountTask{ID: "C-1"}, nil, nil, "U1")
	assert.ErrorContains(t, err, "no locations")
	// Locations counted before the claim (a resumed task) are skipped.
	c, err := NewCount(domain.CountTask{ID: "C-1", Locations: []string{"A-01-01", "B-01-01"}, Counted: []string{"A-01-01"}},
		nil, []domain.Location{{Code: "A-01-01"}, {Code: "B-01-01"}}, "U1")
	require.NoError(t, err)
	assert.Equal(t, "B-01-01", c.Location())
	assert.Equal(t, "COUNT 2/2", c.Prompt().Title)
}

func TestCountDemoHintsSatisfyEachStep(t *testing.T) {
	c := newTestCount(t, "A-01-01")
	rules := testRules(t)
	for i := 0; i < 3; i++ {
		o := c.Handle(Env{Rules: rules}, scan(c.Prompt().Scan))
		require.Nil(t, o.Problem, "step %s", c.Step)
	}
	assert.Equal(t, StepItem, c.Step)
	assert.Equal(t, 2, c.units())
}

func BenchmarkCountScan(b *testing.B) {
	c := newTestCount(b)
	rules := testRules(b)
	c.Handle(Env{Rules: rules}, scan("A-01-01"))
	in := scan("4006381333931")
	b.ReportAllocs()
	for b.Loop() {
		if o := c.Handle(Env{Rules: rules}, in); o.Problem != nil {
			b.Fatal(o.Problem.Title)
		}
		if len(c.Scans) > 1000 {
			c.Scans = c.Scans[:0]
		}
	}
}
