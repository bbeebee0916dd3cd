package flow

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

func testRules(t testing.TB) *barcode.Rules {
	r, err := barcode.NewRules([]barcode.Rule{
		{Kind: barcode.KindBadge, Pattern: `^U\d{4}$`},
		{Kind: barcode.KindTote, Pattern: `^T\d{5}$`},
		{Kind: barcode.KindLocation, Pattern: `^[A-Z]{1,3}-\d{2}-\d{2}$`},
	})
	require.NoError(t, err)
	return r
}

// Items: a plain one, a lot-tracked one, a serial-tracked one.
var (
	drill  = domain.Item{SKU: "HX-4411", GTIN: "04006381333931", Description: "Cordless drill", Barcodes: []string{"HX-4411"}}
	glue   = domain.Item{SKU: "GL-0100", GTIN: "00036000291452", Description: "Wood glue", Tracking: domain.TrackLot}
	meter  = domain.Item{SKU: "MT-7000", GTIN: "10614141000002", Description: "Laser meter", Tracking: domain.TrackSerial}
	gloves = domain.Item{SKU: "GV-0001", GTIN: "00000012345670", Description: "Gloves"}
)

func newTestPick(t testing.TB) *Pick {
	task := domain.Task{ID: "TK-1001", OrderID: "SO-1001", Lines: []domain.TaskLine{
		{Line: 1, SKU: "MT-7000", Location: "B-01-01", Qty: 2},
		{Line: 2, SKU: "HX-4411", Location: "A-01-01", Qty: 3},
		{Line: 3, SKU: "GL-0100", Location: "A-02-01", Qty: 2},
	}}
	locs := []domain.Location{
		{Code: "A-01-01", Zone: "A", Sequence: 10, Check: "41"},
		{Code: "A-02-01", Zone: "A", Sequence: 20, Check: "42"},
		{Code: "B-01-01", Zone: "B", Sequence: 30, Check: "43"},
	}
	p, err := NewPick(task, []domain.Item{drill, glue, meter, gloves}, locs, "U1")
	require.NoError(t, err)
	return p
}

// step is one scripted input and what must follow.
type step struct {
	in      Input
	step    Step   // the step after the input ("" = don't check)
	problem string // the problem title raised, "" = none
	events  []domain.EventType
	refused bool
	done    bool
}

func scan(s string) Input  { return ScanInput(barcode.NewScan(s, t0, "test")) }
func typed(s string) Input { return TextInput(s, t0) }
func act(a Action) Input   { return ActionInput(a, t0) }
func ack() Input           { return act(ActAck) }

func run(t *testing.T, p *Pick, steps []step) []domain.Draft {
	t.Helper()
	return drive(t, p, func() Step { return p.Step }, steps)
}

var (
	evStart = domain.EventTaskStarted
	evPick  = domain.EventLinePicked
	evShort = domain.EventLineShorted
	evDone  = domain.EventTaskCompleted
)

func TestPickHappyPath(t *testing.T) {
	p := newTestPick(t)
	require.Equal(t, "HX-4411", p.Lines[0].SKU, "lines follow the location sequence")
	evs := run(t, p, []step{
		{in: scan("T00042"), step: StepLocation, events: []domain.EventType{evStart}},
		{in: scan("A-01-01"), step: StepItem},
		{in: scan("4006381333931"), step: StepQty},
		{in: scan("HX-4411"), step: StepQty},                                     // the SKU's own barcode counts too
		{in: typed("1"), step: StepLocation, events: []domain.EventType{evPick}}, // "1 more"
		{in: typed("42"), step: StepItem},                                        // location check digits keyed by hand
		{in: scan("]C1010003600029145210L1"), step: StepQty},
		{in: typed("036000291452"), step: StepLocation, events: []domain.EventType{evPick}}, // a GTIN keyed at the quantity step is an item, same lot
		{in: scan("B-01-01"), step: StepItem},
		{in: scan("]d2011061414100000221S1"), step: StepQty},
		{in: scan("10614141000002"), step: StepSerial},
		{in: typed("S2"), step: StepDone, events: []domain.EventType{evPick, evDone}},
		{in: typed(""), done: true},
	})
	require.Len(t, evs, 5)
	var line domain.PickLine
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[2].Payload), &line))
	assert.Equal(t, []domain.LotQty{{Lot: "L1", Qty: 2}}, line.Lots)
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[3].Payload), &line))
	assert.Equal(t, []string{"S1", "S2"}, line.Serials)
	assert.Equal(t, 2, line.Picked)
	assert.Equal(t, "T00042", line.Tote)
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestPickErrors(t *testing.T) {
	cases := []struct {
		name  string
		steps []step
	}{
		{"not a tote", []step{{in: scan("A-01-01"), problem: "NOT A TOTE", step: StepTote}}},
		{"wrong location", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-02-01"), problem: "WRONG LOCATION", step: StepLocation},
		}},
		{"item before location", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("4006381333931"), problem: "SCAN LOCATION"},
		}},
		{"wrong item names what was scanned", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("12345670"), problem: "WRONG ITEM", step: StepItem},
		}},
		{"unknown barcode", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("[red]X"), problem: "WRONG ITEM"},
		}},
		{"bad check digit", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("4006381333932"), problem: "BAD BARCODE"},
		}},
		{"bad gs1", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("]C101400638133393"), problem: "BAD BARCODE"},
		}},
		{"over pick keyed", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("4006381333931")},
			{in: typed("3"), problem: "OVER PICK", step: StepQty}, // 1 scanned, "2 more": 3 more is too many
		}},
		{"over pick scanned after the line is full", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("4006381333931")},
			{in: typed("2"), events: []domain.EventType{evPick}},
			{in: scan("4006381333931"), problem: "OVER PICK", step: StepLocation},
		}},
		{"zero quantity", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("4006381333931")},
			{in: typed("0"), problem: "BAD QUANTITY"},
		}},
		{"negative quantity is a barcode", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("4006381333931")},
			{in: typed("-1"), problem: "WRONG ITEM"},
		}},
		{"serial item refuses keyed quantity and duplicate serials", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: act(ActSkip)}, {in: act(ActSkip)}, // drill and glue to the end
			{in: scan("B-01-01")},
			{in: scan("(01)10614141000002(21)S1"), step: StepQty},
			{in: typed("2"), problem: "SCAN EACH UNIT"},
			{in: ack()},
			{in: scan("(01)10614141000002(21)S1"), problem: "DUPLICATE SERIAL"},
		}},
		{"lot step refuses a location", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: act(ActSkip)},
			{in: scan("A-02-01")},
			{in: scan("036000291452"), step: StepLot},
			{in: scan("A-01-01"), problem: "NOT A LOT"},
		}},
		{"lot scan of another item", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: act(ActSkip)},
			{in: scan("A-02-01")},
			{in: scan("036000291452"), step: StepLot},
			{in: scan("(01)04006381333931(10)X"), problem: "WRONG ITEM"},
		}},
		{"skip a started line", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: scan("A-01-01")},
			{in: scan("4006381333931")},
			{in: act(ActSkip)}, // not offered: ignored
			{in: act(ActShort), step: StepShort},
			{in: typed("9"), problem: "CHOOSE A REASON"},
			{in: ack()},
			{in: scan("A-01-01"), problem: "CHOOSE A REASON"},
		}},
		{"last line cannot be skipped", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: act(ActShort)}, {in: typed("1"), events: []domain.EventType{evShort}},
			{in: act(ActShort)}, {in: typed("2"), events: []domain.EventType{evShort}},
			{in: act(ActSkip)}, // only one line open: not offered
			{in: scan("4006381333931"), problem: "SCAN LOCATION"},
		}},
		{"scan on the done screen", []step{
			{in: scan("T00001"), events: []domain.EventType{evStart}},
			{in: act(ActShort)}, {in: typed("1"), events: []domain.EventType{evShort}},
			{in: act(ActShort)}, {in: typed("1"), events: []domain.EventType{evShort}},
			{in: act(ActShort)}, {in: typed("1"), events: []domain.EventType{evShort, evDone}, step: StepDone},
			{in: scan("T00001"), problem: "TASK COMPLETE"},
			{in: typed(""), step: StepDone},
			{in: typed(""), done: true},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, newTestPick(t), c.steps) })
	}
}

func TestProblemMustBeAcknowledged(t *testing.T) {
	p := newTestPick(t)
	run(t, p, []step{
		{in: scan("A-01-01"), problem: "NOT A TOTE"},
		{in: scan("T00001"), refused: true, step: StepTote}, // a right scan is refused too
		{in: typed("T00001"), refused: true},                // typed text is not an acknowledgement
		{in: act(ActShort), refused: true},
		{in: typed("")}, // Enter on an empty line acknowledges
		{in: scan("T00001"), events: []domain.EventType{evStart}, step: StepLocation},
	})
	assert.Nil(t, p.Problem)
}

func TestShortAndSkip(t *testing.T) {
	p := newTestPick(t)
	evs := run(t, p, []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}},
		{in: act(ActSkip), step: StepLocation}, // drill goes to the end
		{in: scan("A-02-01")},
		{in: scan("(01)00036000291452(10)LA"), step: StepQty},
		{in: act(ActShort), step: StepShort},
		{in: act(ActBack), step: StepQty},
		{in: act(ActShort), step: StepShort},
		{in: typed("2"), events: []domain.EventType{evPick, evShort}, step: StepLocation},
		{in: scan("B-01-01")},
		{in: scan("(01)10614141000002(21)A")},
		{in: scan("(01)10614141000002(21)B"), events: []domain.EventType{evPick}},
		{in: scan("A-01-01")}, // the skipped line came back
		{in: scan("4006381333931")},
		{in: typed("2"), events: []domain.EventType{evPick, evDone}, step: StepDone},
	})
	// The unit picked of the shorted line goes as a pick, the rest as a short.
	var picked, short domain.PickLine
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[1].Payload), &picked))
	assert.Equal(t, domain.PickLine{TaskID: "TK-1001", Line: 3, SKU: "GL-0100", Location: "A-02-01", Tote: "T00001",
		Picked: 1, Lots: []domain.LotQty{{Lot: "LA", Qty: 1}}}, picked)
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[2].Payload), &short))
	assert.Equal(t, domain.PickLine{TaskID: "TK-1001", Line: 3, SKU: "GL-0100", Location: "A-02-01", Tote: "T00001",
		Short: 1, Reason: domain.ShortDamaged}, short)
	pr := p.Prompt()
	assert.Contains(t, pr.Fields, Field{"Short", "1 line(s)"})
}

func TestPickSurvivesJSON(t *testing.T) {
	p := newTestPick(t)
	run(t, p, []step{{in: scan("T00001"), events: []domain.EventType{evStart}}, {in: scan("A-01-01")}, {in: scan("4006381333931")}})
	raw, err := json.Marshal(p)
	require.NoError(t, err)
	var q Pick
	require.NoError(t, json.Unmarshal(raw, &q))
	assert.Equal(t, p.Prompt(), q.Prompt())
	run(t, &q, []step{{in: typed("2"), events: []domain.EventType{evPick}, step: StepLocation}})
}

func TestNewPickRejectsIncompleteTasks(t *testing.T) {
	_, err := NewPick(domain.Task{ID: "X", Lines: []domain.TaskLine{{Line: 1, SKU: "NOPE", Location: "A-01-01", Qty: 1}}}, nil, nil, "U")
	assert.ErrorContains(t, err, "NOPE")
	_, err = NewPick(domain.Task{ID: "X"}, nil, nil, "U")
	assert.ErrorContains(t, err, "no lines")
}

func TestDemoHintsSatisfyEachStep(t *testing.T) {
	// Following the demo hint line alone completes the task: the hints are real barcodes.
	p := newTestPick(t)
	rules := testRules(t)
	for i := 0; i < 40 && p.Step != StepDone; i++ {
		pr := p.Prompt()
		require.NotEmpty(t, pr.Scan, "step %s has no hint", p.Step)
		in := scan(pr.Scan)
		if p.Step == StepShort {
			in = typed(pr.Scan)
		}
		o := p.Handle(Env{Rules: rules}, in)
		require.Nil(t, o.Problem, "hint %q at %s", pr.Scan, p.Step)
	}
	require.Equal(t, StepDone, p.Step)
	for _, l := range p.Lines {
		assert.Equal(t, l.Qty, l.Picked, l.SKU)
	}
}

// BenchmarkPickScan is the workflow's share of one item scan: classify the
// barcode, check it against the line, count the unit.
func BenchmarkPickScan(b *testing.B) {
	rules := testRules(b)
	p := newTestPick(b)
	p.Lines[0].Qty = 1 << 30 // a line that never fills
	p.Handle(Env{Rules: rules}, scan("T00001"))
	p.Handle(Env{Rules: rules}, scan("A-01-01"))
	in := scan("4006381333931")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if o := p.Handle(Env{Rules: rules}, in); o.Problem != nil {
			b.Fatal(o.Problem)
		}
	}
}
