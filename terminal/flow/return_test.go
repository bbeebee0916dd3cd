package flow

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

func testRMA() domain.RMA {
	return domain.RMA{Number: "RMA-50001", Label: "RL00050001", OrderID: "SO-1001", Customer: "Acme", Status: domain.RMAOpen,
		Lines: []domain.RMALine{
			{Line: 1, SKU: "MT-7000", Qty: 2, Serials: []string{"S1", "S2"}},
			{Line: 2, SKU: "HX-4411", Qty: 1},
		}}
}

func newTestReturn(t testing.TB) *Return {
	r, err := NewReturn([]domain.RMA{testRMA()}, []domain.Item{drill, glue, meter, gloves},
		[]domain.Location{{Code: "A-01-01"}, {Code: "B-01-01"}}, "U1")
	require.NoError(t, err)
	return r
}

// returnMachine adapts a Return to the test driver, keeping the labels it asked for.
type returnMachine struct {
	r      *Return
	labels []RouteLabel
}

func (m *returnMachine) Handle(env Env, in Input) Outcome {
	o := m.r.Handle(env, in)
	m.labels = append(m.labels, o.Labels...)
	return o
}

func driveReturn(t *testing.T, r *Return, steps []step) ([]domain.Draft, []RouteLabel) {
	t.Helper()
	m := &returnMachine{r: r}
	evs := drive(t, m, func() Step { return r.Step }, steps)
	return evs, m.labels
}

var evReturn = []domain.EventType{domain.EventReturnReceived}

func TestReturnThreeDispositions(t *testing.T) {
	r := newTestReturn(t)
	evs, labels := driveReturn(t, r, []step{
		{in: scan("RL00050001"), step: StepItem}, // the return label finds the RMA
		{in: scan("10614141000002"), step: StepSerial},
		{in: typed("S1"), step: StepCondition},
		{in: typed("1"), step: StepDisposition},                    // new
		{in: typed("1"), step: StepPutaway},                        // restock
		{in: scan("B-01-01"), step: StepItem},                      // put away
		{in: scan("]d2011061414100000221S2"), step: StepCondition}, // serial in the barcode
		{in: typed("3"), step: StepDisposition},                    // damaged
		{in: typed("3"), step: StepItem},                           // scrap: a label
		{in: scan("4006381333931"), step: StepCondition},
		{in: typed("2"), step: StepDisposition},          // opened
		{in: typed("2"), step: StepItem},                 // refurbish: a label
		{in: scan("4006381333931"), problem: "TOO MANY"}, // a second drill: not on the RMA any more
		{in: ack(), step: StepCondition},
		{in: typed("2")},
		{in: typed("4"), step: StepItem}, // quarantine
		{in: act(ActSubmit), step: StepDone, events: evReturn},
		{in: typed(""), done: true},
	})
	var got domain.ReturnReceived
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[0].Payload), &got))
	assert.Equal(t, "RMA-50001", got.RMA)
	assert.Equal(t, []domain.ReturnedUnit{
		{Line: 1, SKU: "MT-7000", Serial: "S1", Qty: 1, Condition: domain.CondNew, Disposition: domain.DispRestock, Location: "B-01-01"},
		{Line: 1, SKU: "MT-7000", Serial: "S2", Qty: 1, Condition: domain.CondDamaged, Disposition: domain.DispScrap},
		{Line: 2, SKU: "HX-4411", Qty: 1, Condition: domain.CondOpened, Disposition: domain.DispRefurbish},
		{Line: 0, SKU: "HX-4411", Qty: 1, Condition: domain.CondOpened, Disposition: domain.DispQuarantine},
	}, got.Units)
	require.Len(t, labels, 3, "a label for each unit not restocked")
	assert.Equal(t, RouteLabel{RMA: "RMA-50001", OrderID: "SO-1001", Customer: "Acme", SKU: "MT-7000", Description: "Laser meter",
		Serial: "S2", Qty: 1, Condition: domain.CondDamaged, Disposition: domain.DispScrap, Expected: true}, labels[0])
	assert.Equal(t, domain.DispRefurbish, labels[1].Disposition)
	assert.False(t, labels[2].Expected)
}

func TestReturnErrors(t *testing.T) {
	atItem := []step{{in: scan("RMA-50001"), step: StepItem}}
	cases := []struct {
		name  string
		steps []step
	}{
		{"unknown rma", []step{{in: scan("RMA-99999"), problem: "UNKNOWN RMA", step: StepRMA}}},
		{"bad barcode", append(atItem, step{in: scan("4006381333932"), problem: "BAD BARCODE"})},
		{"location as item", append(atItem, step{in: scan("A-01-01"), problem: "NOT AN ITEM"})},
		{"serial not shipped", append(atItem, step{in: scan("10614141000002"), step: StepSerial}, step{in: typed("S9"), problem: "SERIAL NOT SHIPPED"}, step{in: ack(), step: StepCondition})},
		{"duplicate serial", append(atItem, step{in: scan("]d2011061414100000221S1")}, step{in: typed("1")}, step{in: typed("3")},
			step{in: scan("]d2011061414100000221S1"), problem: "DUPLICATE SERIAL"}, step{in: ack(), step: StepSerial})},
		{"a tote as serial", append(atItem, step{in: scan("10614141000002")}, step{in: scan("T00001"), problem: "NOT A SERIAL", step: StepSerial})},
		{"unknown item", append(atItem, step{in: scan("SOMETHING"), problem: "UNKNOWN ITEM"}, step{in: ack(), step: StepCondition},
			step{in: typed("1")}, step{in: typed("1"), problem: "CANNOT RESTOCK", step: StepDisposition})},
		{"damaged restock", append(atItem, step{in: scan("HX-4411")}, step{in: typed("3")}, step{in: typed("1"), problem: "CANNOT RESTOCK", step: StepDisposition})},
		{"bad condition", append(atItem, step{in: scan("HX-4411")}, step{in: typed("7"), problem: "CHOOSE CONDITION", step: StepCondition})},
		{"bad disposition", append(atItem, step{in: scan("HX-4411")}, step{in: typed("1")}, step{in: typed("x"), problem: "CHOOSE DISPOSITION", step: StepDisposition})},
		{"scan at a menu", append(atItem, step{in: scan("HX-4411")}, step{in: scan("HX-4411"), problem: "CHOOSE FROM MENU"})},
		{"put away not a location", append(atItem, step{in: scan("HX-4411")}, step{in: typed("1")}, step{in: typed("1")}, step{in: scan("HX-4411"), problem: "SCAN LOCATION", step: StepPutaway})},
		{"put away unknown location", append(atItem, step{in: scan("HX-4411")}, step{in: typed("1")}, step{in: typed("1")}, step{in: scan("C-09-09"), problem: "UNKNOWN LOCATION", step: StepPutaway})},
		{"next rma before submit", append(atItem, step{in: scan("RL00050001"), problem: "FINISH FIRST"})},
		{"submit nothing", append(atItem, step{in: act(ActSubmit), problem: "NOTHING RECEIVED", step: StepItem})},
		{"scan after sending", append(atItem, step{in: scan("HX-4411")}, step{in: typed("1")}, step{in: typed("3")}, step{in: act(ActSubmit), events: evReturn},
			step{in: scan("HX-4411"), problem: "RETURN SENT", step: StepDone})},
		{"action not offered", []step{{in: act(ActSubmit), step: StepRMA}}},
		{"refused until acknowledged", []step{{in: scan("RMA-9"), problem: "UNKNOWN RMA"}, {in: scan("RMA-50001"), refused: true, step: StepRMA}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			driveReturn(t, newTestReturn(t), tc.steps)
		})
	}
}

func TestReturnBackUndoAndResume(t *testing.T) {
	r := newTestReturn(t)
	evs, _ := driveReturn(t, r, []step{
		{in: scan("RMA-50001"), step: StepItem},
		{in: act(ActBack), step: StepRMA},
		{in: scan("RMA-50001"), step: StepItem},
		{in: scan("HX-4411"), step: StepCondition},
		{in: act(ActBack), step: StepItem}, // the unit in hand is dropped
		{in: scan("HX-4411")},
		{in: typed("1")},
		{in: typed("5"), step: StepItem}, // back to the vendor
		{in: act(ActUndo), step: StepItem},
		{in: scan("HX-4411")},
		{in: typed("2")},
		{in: typed("1"), step: StepPutaway},
	})
	assert.Empty(t, evs)
	raw, err := json.Marshal(r)
	require.NoError(t, err)
	var back Return
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, r, &back)
	evs, _ = driveReturn(t, &back, []step{
		{in: typed("A-01-01"), step: StepItem}, // the location keyed by hand
		{in: act(ActSubmit), events: evReturn},
	})
	var got domain.ReturnReceived
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[0].Payload), &got))
	assert.Equal(t, []domain.ReturnedUnit{{Line: 2, SKU: "HX-4411", Qty: 1, Condition: domain.CondOpened, Disposition: domain.DispRestock, Location: "A-01-01"}}, got.Units)
}

func TestReturnSumsUnitsAlike(t *testing.T) {
	r, err := NewReturn([]domain.RMA{{Number: "RMA-50002", Lines: []domain.RMALine{{Line: 1, SKU: "GV-0001", Qty: 3}}}}, []domain.Item{gloves}, nil, "U1")
	require.NoError(t, err)
	steps := []step{{in: scan("RMA-50002")}}
	for i := 0; i < 3; i++ {
		steps = append(steps, step{in: scan("12345670")}, step{in: typed("1")}, step{in: typed("3")})
	}
	evs, _ := driveReturn(t, r, append(steps, step{in: act(ActSubmit), events: evReturn}))
	var got domain.ReturnReceived
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[0].Payload), &got))
	assert.Equal(t, []domain.ReturnedUnit{{Line: 1, SKU: "GV-0001", Qty: 3, Condition: domain.CondNew, Disposition: domain.DispScrap}}, got.Units)
}

func TestReturnPrompt(t *testing.T) {
	r := newTestReturn(t)
	assert.Equal(t, "RMA-50001", r.Prompt().Scan)
	rules := testRules(t)
	r.Handle(Env{Rules: rules}, scan("RMA-50001"))
	r.Handle(Env{Rules: rules}, scan("4006381333931"))
	pr := r.Prompt()
	assert.Equal(t, "RETURN RMA-50001", pr.Title)
	assert.Equal(t, []Field{{"Order", "SO-1001"}, {"MT-7000", "0/2"}, {"HX-4411", "0/1"}, {"Unit", "HX-4411"}}, pr.Fields)
	assert.Equal(t, []string{"1 New", "2 Opened", "3 Damaged"}, pr.Menu)
	_, err := NewReturn([]domain.RMA{testRMA()}, nil, nil, "U1")
	assert.ErrorContains(t, err, "MT-7000 not in the item rows")
}

func TestReturnDemoHintsSatisfyEachStep(t *testing.T) {
	r := newTestReturn(t)
	rules := testRules(t)
	for r.Step != StepItem || len(r.Units) < 3 {
		require.NotEmpty(t, r.Prompt().Scan, "hint at %s", r.Step)
		o := r.Handle(Env{Rules: rules}, scan(r.Prompt().Scan))
		require.Nil(t, o.Problem, "step %s", r.Step)
	}
	assert.Equal(t, 2, r.received(1))
	assert.Equal(t, 1, r.received(2))
}
