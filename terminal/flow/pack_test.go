package flow

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

func packRules(t testing.TB) *barcode.Rules {
	r, err := barcode.NewRules([]barcode.Rule{
		{Kind: barcode.KindTote, Pattern: `^T\d{5}$`},
		{Kind: barcode.KindLocation, Pattern: `^[A-Z]{1,3}-\d{2}-\d{2}$`},
		{Kind: barcode.KindCarton, Pattern: `^CT-[A-Z0-9]+$`},
	})
	require.NoError(t, err)
	return r
}

// Pack items with weights and sizes: the pick test items, measured.
var (
	pDrill  = withSize(drill, 1800, 300, 250, 100)
	pGlue   = withSize(glue, 250, 60, 60, 180)
	pMeter  = withSize(meter, 400, 150, 80, 50)
	pGloves = withSize(gloves, 100, 200, 150, 20)

	ctSmall = domain.CartonType{Code: "CT-S", InnerLengthMM: 250, InnerWidthMM: 180, InnerHeightMM: 100, TareGrams: 120, MaxGrams: 5000}
	ctLarge = domain.CartonType{Code: "CT-L", InnerLengthMM: 500, InnerWidthMM: 350, InnerHeightMM: 300, TareGrams: 480, MaxGrams: 20000}
	ctXL    = domain.CartonType{Code: "CT-XL", InnerLengthMM: 600, InnerWidthMM: 400, InnerHeightMM: 400, TareGrams: 720, MaxGrams: 25000}
)

func withSize(it domain.Item, g, l, w, h int) domain.Item {
	it.WeightGrams, it.LengthMM, it.WidthMM, it.HeightMM = g, l, w, h
	return it
}

// testWork is order SO-2001 picked into tote T00042: two laser meters
// (serial), three drills, one glue (lot).
func testWork(shipComplete bool) PackWork {
	return PackWork{
		Order: domain.Order{ID: "SO-2001", Customer: "Acme", ShipComplete: shipComplete,
			ShipTo: domain.Address{Name: "Acme Ltd", Street: "1 Main St", City: "Springfield", Postal: "12345", Country: "US"},
			Lines:  []domain.OrderLine{{Line: 1, SKU: meter.SKU, Qty: 2}, {Line: 2, SKU: drill.SKU, Qty: 3}, {Line: 3, SKU: glue.SKU, Qty: 1}}},
		Tote: "T00042",
		Picked: []domain.PickLine{
			{Line: 1, SKU: meter.SKU, Picked: 2, Serials: []string{"SN-1", "SN-2"}},
			{Line: 2, SKU: drill.SKU, Picked: 3},
			{Line: 3, SKU: glue.SKU, Picked: 1, Lots: []domain.LotQty{{Lot: "L7", Qty: 1}}},
		},
		Items: []domain.Item{pDrill, pGlue, pMeter, pGloves},
	}
}

func testPackConfig() PackConfig {
	return PackConfig{CartonTypes: []domain.CartonType{ctXL, ctLarge, ctSmall}, Scale: true,
		Tolerance: domain.WeightTolerance{Grams: 50, Percent: 2}}
}

// seqSSCC hands out SSCCs from a counter under company prefix 4006381,
// extension digit 0; err, when set, is returned instead.
type seqSSCC struct {
	next int
	err  error
}

func (s *seqSSCC) NextSSCC() (string, error) {
	if s.err != nil {
		return "", s.err
	}
	s.next++
	ref := fmt.Sprintf("04006381%09d", s.next)
	d, _ := barcode.CheckDigit(ref)
	return ref + string(d), nil
}

// startedPack is a pack of testWork at the items step.
func startedPack(t testing.TB, cfg PackConfig, shipComplete bool) *Pack {
	p := NewPack(cfg, "U1")
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan("T00042"))
	o := p.Start(testWork(shipComplete), t0)
	require.Nil(t, o.Problem)
	return p
}

// packStep is one scripted input at the pack station and what must follow.
type packStep struct {
	in      Input
	step    PackStep // the step after the input ("" = don't check)
	problem string   // the problem title raised, "" = none
	events  []domain.EventType
	prints  int // labels to print
	refused bool
	done    bool
}

func weigh(grams int) Input {
	return WeightInput(Weighing{Milligrams: int64(grams) * 1000, Stable: true, Source: "scale:test"}, t0)
}

// runPack feeds the steps and returns every event and print job.
func runPack(t *testing.T, p *Pack, sscc SSCCAllocator, steps []packStep) ([]domain.Draft, []PrintJob) {
	t.Helper()
	rules := packRules(t)
	var all []domain.Draft
	var prints []PrintJob
	for i, s := range steps {
		o := p.Handle(Env{Rules: rules, SSCCs: sscc}, s.in)
		var types []domain.EventType
		for _, e := range o.Events {
			types = append(types, e.Type)
		}
		all = append(all, o.Events...)
		prints = append(prints, o.Print...)
		title := ""
		if o.Problem != nil {
			title = o.Problem.Title
		}
		what := fmt.Sprintf("step %d (%s %q%s)", i, s.in.Kind, s.in.Scan.Raw+s.in.Text, s.in.Action)
		assert.Equal(t, s.problem, title, what)
		assert.Equal(t, s.events, types, what)
		assert.Len(t, o.Print, s.prints, what)
		assert.Equal(t, s.refused, o.Refused, what)
		assert.Equal(t, s.done, o.Done, what)
		if s.step != "" {
			assert.Equal(t, s.step, p.Step, what)
		}
		// The state survives a save and a reload at every step.
		raw, err := json.Marshal(p)
		require.NoError(t, err)
		var back Pack
		require.NoError(t, json.Unmarshal(raw, &back))
		require.Equal(t, p.Prompt(), back.Prompt(), what)
	}
	return all, prints
}

func payload[T any](t *testing.T, d domain.Draft) T {
	t.Helper()
	v, ok := d.Payload.(T)
	require.True(t, ok, "payload of %s is %T", d.Type, d.Payload)
	return v
}

// TestPackTwoCartonsSerialShortShipConfirm packs the order into two
// cartons: serials captured and checked, a wrong item and one too many
// refused, a short backordered, a carton overridden, a weight out of
// tolerance weighed again, labels printed and reprinted, shipment confirmed.
func TestPackTwoCartonsSerialShortShipConfirm(t *testing.T) {
	p := NewPack(testPackConfig(), "U1")
	sscc := &seqSSCC{}
	o := p.Handle(Env{Rules: packRules(t), SSCCs: sscc}, scan("T00042"))
	require.Equal(t, &PackLookup{Tote: "T00042"}, o.Lookup)
	assert.Equal(t, PackStepOrder, p.Step, "waits for the session's lookup")
	o = p.Start(testWork(false), t0)
	require.Len(t, o.Events, 1)
	assert.Equal(t, domain.PackStarted{OrderID: "SO-2001", Tote: "T00042"}, payload[domain.PackStarted](t, o.Events[0]))
	assert.Equal(t, PackStepItems, p.Step)
	assert.Equal(t, []string{"Packed", "0 of 6"}, []string{p.Prompt().Fields[0].Label, p.Prompt().Fields[0].Value})

	// carton 1: both meters (400 g) and a drill (1800 g) = 2600 g + small box? no: the drill is 300 mm long
	events, prints := runPack(t, p, sscc, []packStep{
		{in: scan("(01)10614141000002(21)SN-1"), step: PackStepItems},
		{in: scan("10614141000002"), step: PackStepSerial},
		{in: scan("SN-1"), problem: "DUPLICATE SERIAL", step: PackStepSerial},
		{in: ack(), step: PackStepSerial},
		{in: typed("SN-9"), problem: "SERIAL NOT PICKED"},
		{in: ack()},
		{in: scan("T00042"), problem: "NOT A SERIAL"},
		{in: ack()},
		{in: scan("SN-2"), step: PackStepItems},
		{in: scan("(01)10614141000002(21)SN-2"), problem: "TOO MANY"},
		{in: ack()},
		{in: scan("4006381333931"), step: PackStepItems}, // a drill, by its EAN-13
		{in: scan("12345670"), problem: "WRONG ITEM"},    // gloves: not on the order
		{in: weigh(100)}, // a reading meanwhile is no input to refuse
		{in: ack()},
		{in: scan("4006381333932"), problem: "BAD BARCODE"},
		{in: scan("CT-S"), refused: true}, // the problem waits
		{in: ack()},
		{in: act(ActClose), step: PackStepCarton},
		{in: typed(""), step: PackStepWeigh}, // the suggested carton
		{in: WeightInput(Weighing{Milligrams: 3_500_000, Stable: false}, t0), step: PackStepWeigh}, // moving: ignored
		{in: weigh(2600 + 480 + 10), step: PackStepItems, events: []domain.EventType{domain.EventCartonClosed}},
	})
	closed := payload[domain.PackCarton](t, events[0])
	assert.Equal(t, "CT-L", closed.CartonType, "the drill is too long for the small box")
	assert.Equal(t, 3080, closed.ExpectedGrams)
	assert.Equal(t, 3090, closed.WeightGrams)
	assert.False(t, closed.ManualWeight)
	assert.Equal(t, "040063810000000017", closed.SSCC)
	assert.Equal(t, []domain.CartonContent{
		{Line: 1, SKU: meter.SKU, Qty: 2, Serials: []string{"SN-1", "SN-2"}},
		{Line: 2, SKU: drill.SKU, Qty: 1},
	}, closed.Contents)
	assert.Zero(t, closed.Of, "the count is fixed when the order is complete")
	assert.Empty(t, prints)

	// carton 2: two drills, then the glue is missing from the tote
	events, prints = runPack(t, p, sscc, []packStep{
		{in: scan("HX-4411"), step: PackStepItems}, // the SKU label
		{in: scan("04006381333931")},
		{in: scan("04006381333931"), problem: "TOO MANY"},
		{in: ack()},
		{in: act(ActReprint), step: PackStepItems}, // not before the order is complete
		{in: act(ActShort), step: PackStepShort},
		{in: typed("9"), problem: "CHOOSE FROM THE LIST"},
		{in: ack(), step: PackStepShort},
		{in: typed("1"), step: PackStepItems, events: []domain.EventType{domain.EventPackShorted}},
		{in: typed(""), step: PackStepCarton}, // Enter closes the carton
		{in: scan("T00042"), problem: "SCAN A CARTON"},
		{in: ack()},
		{in: scan("CT-NONE"), problem: "UNKNOWN CARTON"},
		{in: ack()},
		{in: scan("CT-XL"), step: PackStepWeigh}, // the packer's choice beats the suggestion
		{in: typed("3.2 kg"), problem: "USE THE SCALE"},
		{in: ack()},
		{in: weigh(3600 + 720 + 200), problem: "WEIGHT OUT OF TOLERANCE", step: PackStepAudit, events: []domain.EventType{domain.EventCartonAudit}},
		{in: ack(), step: PackStepAudit},
		{in: typed("2"), step: PackStepWeigh, events: []domain.EventType{domain.EventCartonAudit}},
		{in: weigh(3600 + 720 - 40), step: PackStepConfirm, events: []domain.EventType{domain.EventCartonClosed}, prints: 6},
	})
	short := payload[domain.PackShort](t, events[0])
	assert.Equal(t, domain.PackShort{OrderID: "SO-2001", Line: 3, SKU: glue.SKU, Short: 1, Backorder: true}, short)
	hold := payload[domain.CartonAudit](t, events[1])
	assert.Equal(t, domain.AuditHold, hold.Decision)
	assert.Equal(t, 4320, hold.ExpectedGrams)
	assert.Equal(t, 4520, hold.WeightGrams)
	assert.Equal(t, 86, hold.AllowedGrams, "2% of 4320 g beats 50 g")
	assert.Equal(t, domain.AuditReweigh, payload[domain.CartonAudit](t, events[2]).Decision)
	require.Len(t, prints, 6)
	for i, job := range prints {
		assert.Equal(t, []LabelKind{LabelSSCC, LabelShipping, LabelPackingList}[i%3], job.Label)
		assert.Equal(t, i/3+1, job.Carton.N)
		assert.Equal(t, 2, job.Carton.Of)
		assert.Equal(t, "Acme Ltd", job.ShipTo.Name)
	}
	assert.Equal(t, "040063810000000024", prints[3].Carton.SSCC)
	assert.Equal(t, "PACKED SO-2001", p.Prompt().Title)

	// reprint carton 2, then confirm the shipment
	events, prints = runPack(t, p, sscc, []packStep{
		{in: scan("4006381333931"), problem: "ORDER PACKED"},
		{in: ack()},
		{in: act(ActReprint), step: PackStepReprint},
		{in: act(ActBack), step: PackStepConfirm},
		{in: act(ActReprint), step: PackStepReprint},
		{in: typed("2"), step: PackStepConfirm, prints: 3},
		{in: typed(""), step: PackStepDone, events: []domain.EventType{domain.EventShipConfirmed}},
		{in: typed(""), done: true},
	})
	assert.Equal(t, 2, prints[0].Carton.N)
	assert.Equal(t, "040063810000000024", prints[0].Carton.SSCC)
	sc := payload[domain.ShipConfirm](t, events[0])
	assert.Equal(t, "SO-2001", sc.OrderID)
	assert.Equal(t, "T00042", sc.Tote)
	require.Len(t, sc.Cartons, 2)
	assert.Equal(t, []int{1, 2}, []int{sc.Cartons[0].N, sc.Cartons[1].N})
	assert.Equal(t, []int{2, 2}, []int{sc.Cartons[0].Of, sc.Cartons[1].Of})
	assert.Equal(t, []string{"SN-1", "SN-2"}, sc.Cartons[0].Contents[0].Serials)
	assert.Equal(t, domain.Dims{LengthMM: 600, WidthMM: 400, HeightMM: 400}, sc.Cartons[1].Dims)
	assert.Equal(t, 4280, sc.Cartons[1].WeightGrams)
	assert.True(t, sc.Partial)
	assert.Equal(t, []domain.PackShort{{OrderID: "SO-2001", Line: 3, SKU: glue.SKU, Short: 1, Backorder: true}}, sc.Short)
	assert.True(t, p.Finished())
}

func TestPackLotTracked(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("(01)00036000291452(10)L8"), problem: "WRONG LOT"},
		{in: ack(), step: PackStepItems},
		{in: scan("036000291452"), step: PackStepLot},
		{in: act(ActBack), step: PackStepItems},
		{in: scan("036000291452"), step: PackStepLot},
		{in: scan("CT-S"), problem: "NOT A LOT"},
		{in: ack()},
		{in: scan("(01)04006381333931(10)L7"), problem: "WRONG ITEM"}, // a drill's lot
		{in: ack()},
		{in: typed("L7"), step: PackStepItems},
	})
	assert.Equal(t, []domain.LotQty{{Lot: "L7", Qty: 1}}, p.Open.Contents[0].Lots)
}

func TestPackShipCompleteShortHolds(t *testing.T) {
	p := startedPack(t, testPackConfig(), true)
	events, _ := runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")},
		{in: act(ActShort), step: PackStepShort},
		{in: act(ActBack), step: PackStepItems},
		{in: act(ActShort)},
		// The drill in the open carton: it is closed, weighed and labelled first.
		{in: typed("3"), problem: "CLOSE THE CARTON", step: PackStepCarton, events: []domain.EventType{domain.EventPackShorted}},
		{in: ack()},
		{in: typed(""), step: PackStepWeigh},
		{in: weigh(2280), problem: "ORDER HELD", step: PackStepDone, prints: 3, events: []domain.EventType{domain.EventCartonClosed, domain.EventPackHeld}},
		{in: typed(""), step: PackStepDone}, // the ack
		{in: typed(""), done: true},
	})
	assert.False(t, payload[domain.PackShort](t, events[0]).Backorder)
	held := payload[domain.PackHold](t, events[2])
	assert.Equal(t, domain.HoldShipComplete, held.Reason)
	assert.Len(t, held.Short, 3, "every line is short of something")
	require.Len(t, held.Cartons, 1, "the open carton closed before the hold")
	assert.Equal(t, 1, held.Cartons[0].Contents[0].Qty)
	assert.Equal(t, "HELD SO-2001", p.Prompt().Title)
}

func TestPackPickShortShipCompleteHeldAtStart(t *testing.T) {
	w := testWork(true)
	w.Picked[1].Picked = 2 // a drill short at picking
	p := NewPack(testPackConfig(), "U1")
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan("SO-2001"))
	require.Equal(t, &PackLookup{OrderID: "SO-2001"}, p.Looking, "an order number")
	o := p.Start(w, t0)
	require.NotNil(t, o.Problem)
	assert.Equal(t, "ORDER HELD", o.Problem.Title)
	require.Len(t, o.Events, 2)
	assert.Equal(t, domain.EventPackHeld, o.Events[1].Type)
	assert.Equal(t, PackStepDone, p.Step)

	// without ship complete, the pick short ships as a backorder
	w.Order.ShipComplete = false
	p = NewPack(testPackConfig(), "U1")
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan("SO-2001"))
	o = p.Start(w, t0)
	require.Nil(t, o.Problem)
	assert.Equal(t, 2, p.Lines[1].Expected)
}

func TestPackStartRefusesBadWork(t *testing.T) {
	for name, mutate := range map[string]func(*PackWork){
		"unknown item":  func(w *PackWork) { w.Items = w.Items[:1] },
		"no lines":      func(w *PackWork) { w.Order.Lines = nil },
		"zero quantity": func(w *PackWork) { w.Order.Lines[0].Qty = 0 },
	} {
		t.Run(name, func(t *testing.T) {
			w := testWork(false)
			mutate(&w)
			p := NewPack(testPackConfig(), "U1")
			p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan("T00042"))
			o := p.Start(w, t0)
			require.NotNil(t, o.Problem)
			assert.Equal(t, "CANNOT PACK", o.Problem.Title)
			assert.Empty(t, o.Events)
			assert.Equal(t, PackStepOrder, p.Step, "scan the next tote")
		})
	}
	p := startedPack(t, testPackConfig(), false)
	assert.Equal(t, Outcome{}, p.Start(testWork(false), t0), "a second Start changes nothing")
}

func TestPackAllShortNothingToShip(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	events, _ := runPack(t, p, &seqSSCC{}, []packStep{
		{in: act(ActShort)}, {in: typed("1"), events: []domain.EventType{domain.EventPackShorted}},
		{in: act(ActShort)}, {in: typed("1"), events: []domain.EventType{domain.EventPackShorted}},
		{in: act(ActShort)}, {in: typed("1"), problem: "ORDER HELD", step: PackStepDone, events: []domain.EventType{domain.EventPackShorted, domain.EventPackHeld}},
	})
	assert.Equal(t, domain.HoldNothingToPack, payload[domain.PackHold](t, events[3]).Reason)
}

func TestPackAuditRecountThenException(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	events, _ := runPack(t, p, &seqSSCC{}, []packStep{
		{in: typed(""), step: PackStepItems},     // Enter with an empty carton: nothing
		{in: act(ActClose), step: PackStepItems}, // not offered with an empty carton
		{in: scan("CT-S"), problem: "CARTON EMPTY"},
		{in: ack()},
		{in: scan("4006381333931")},
		{in: scan("4006381333931")},
		{in: scan("CT-L"), step: PackStepWeigh}, // a carton scan closes with that carton
		{in: act(ActBack), step: PackStepCarton},
		{in: typed(""), step: PackStepWeigh},
		{in: scan("4006381333931"), problem: "WEIGH THE CARTON"},
		{in: ack()},
		{in: scan("2 pcs"), problem: "WEIGH THE CARTON"}, // not a weight
		{in: ack()},
		{in: weigh(2000), problem: "WEIGHT OUT OF TOLERANCE", events: []domain.EventType{domain.EventCartonAudit}},
		{in: ack()},
		{in: scan("T00042"), problem: "CHOOSE FROM THE LIST"},
		{in: ack()},
		{in: typed("1"), step: PackStepItems, events: []domain.EventType{domain.EventCartonAudit}},
	})
	assert.Equal(t, domain.AuditRecount, payload[domain.CartonAudit](t, events[1]).Decision)
	assert.Zero(t, p.Open.Units(), "the carton is emptied to be recounted")
	assert.Equal(t, 0, p.Lines[1].Packed)

	events, _ = runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")},
		{in: act(ActClose), step: PackStepCarton},
		{in: typed(""), step: PackStepWeigh},
		{in: weigh(9000), problem: "WEIGHT OUT OF TOLERANCE", events: []domain.EventType{domain.EventCartonAudit}},
		{in: ack()},
		{in: typed("3"), step: PackStepException},
		{in: act(ActBack), step: PackStepAudit},
		{in: typed("3"), step: PackStepException},
		{in: typed("5"), problem: "CHOOSE FROM THE LIST"},
		{in: ack()},
		{in: typed("1"), problem: "ORDER HELD", step: PackStepDone, events: []domain.EventType{domain.EventPackHeld}},
	})
	held := payload[domain.PackHold](t, events[1])
	assert.Equal(t, domain.HoldWeight, held.Reason)
	assert.Empty(t, held.Cartons)
}

func TestPackManualWeight(t *testing.T) {
	cfg := testPackConfig()
	cfg.Scale = false
	cfg.ManualUnit = domain.UnitG
	p := startedPack(t, cfg, false)
	events, _ := runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")},
		{in: act(ActClose)},
		{in: typed("")},
		{in: typed("two kilos"), problem: "BAD WEIGHT"},
		{in: ack()},
		{in: typed("-5"), problem: "BAD WEIGHT"},
		{in: ack()},
		{in: weigh(2280), step: PackStepItems, events: []domain.EventType{domain.EventCartonClosed}}, // a scale reading still counts
		{in: scan("4006381333931")},
		{in: act(ActClose)},
		{in: typed("")},
		{in: typed("2290"), step: PackStepItems, events: []domain.EventType{domain.EventCartonClosed}}, // grams, the manual unit
	})
	assert.False(t, payload[domain.PackCarton](t, events[0]).ManualWeight)
	c := payload[domain.PackCarton](t, events[1])
	assert.True(t, c.ManualWeight)
	assert.Equal(t, 2290, c.WeightGrams)
}

func TestPackNoCartonFits(t *testing.T) {
	cfg := testPackConfig()
	cfg.CartonTypes = []domain.CartonType{ctSmall}
	p := startedPack(t, cfg, false)
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")},
		{in: act(ActClose), step: PackStepCarton},
		{in: typed(""), problem: "NO CARTON FITS"},
		{in: ack()},
		{in: scan("CT-S"), step: PackStepWeigh}, // the packer knows better
	})
	assert.Equal(t, "Enter or scan carton", func() string { p.Step = PackStepCarton; return p.Prompt().Ask }())
	assert.Equal(t, "none fits: scan one", p.Prompt().Expect)
}

func TestPackSSCCUnavailable(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	sscc := &seqSSCC{err: errors.New("no SSCC block left, hub unreachable")}
	runPack(t, p, sscc, []packStep{
		{in: scan("4006381333931")},
		{in: act(ActClose)},
		{in: typed("")},
		{in: weigh(2280), problem: "NO SSCC", step: PackStepSSCC},
		{in: ack(), step: PackStepSSCC},
		{in: scan("4006381333931"), problem: "NO SSCC YET"},
		{in: ack()},
		{in: typed(""), problem: "NO SSCC"},
		{in: ack()},
	})
	sscc.err = nil
	events, _ := runPack(t, p, sscc, []packStep{
		{in: typed(""), step: PackStepItems, events: []domain.EventType{domain.EventCartonClosed}},
	})
	assert.Equal(t, 2280, payload[domain.PackCarton](t, events[0]).WeightGrams)

	bad := &badSSCC{}
	runPack(t, p, bad, []packStep{
		{in: scan("4006381333931")},
		{in: act(ActClose)},
		{in: typed("")},
		{in: weigh(2280), problem: "NO SSCC", step: PackStepSSCC},
	})
}

// badSSCC hands out an SSCC with a wrong check digit.
type badSSCC struct{}

func (badSSCC) NextSSCC() (string, error) { return "040063810000000011", nil }

// TestPackUnpackBeforeShipConfirm opens a closed carton again, before and
// after the order is complete: the SSCC is void, the count opens again and
// the labels are printed anew.
func TestPackUnpackBeforeShipConfirm(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	sscc := &seqSSCC{}
	events, prints := runPack(t, p, sscc, []packStep{
		{in: scan("(01)10614141000002(21)SN-1")},
		{in: act(ActUnpack), step: PackStepItems}, // no closed carton yet
		{in: act(ActClose)}, {in: typed("")}, {in: weigh(520), events: []domain.EventType{domain.EventCartonClosed}},
		{in: act(ActUnpack), step: PackStepUnpack},
		{in: act(ActBack), step: PackStepItems},
		{in: act(ActUnpack), step: PackStepUnpack},
		{in: typed("1"), problem: "CARTON UNPACKED", step: PackStepItems, events: []domain.EventType{domain.EventCartonUnpacked}},
		{in: ack()},
		{in: scan("(01)10614141000002(21)SN-1"), step: PackStepItems}, // the serial may be packed again
		{in: scan("(01)10614141000002(21)SN-2")},
		{in: scan("4006381333931")}, {in: scan("4006381333931")}, {in: scan("4006381333931")},
		{in: act(ActClose)}, {in: scan("CT-XL")}, {in: weigh(800 + 5400 + 720), events: []domain.EventType{domain.EventCartonClosed}},
		{in: scan("(01)00036000291452(10)L7")},
		{in: act(ActClose)}, {in: typed("")}, {in: weigh(370), step: PackStepConfirm, events: []domain.EventType{domain.EventCartonClosed}, prints: 6},
		{in: act(ActUnpack), step: PackStepUnpack},
		{in: typed("1"), problem: "CARTON UNPACKED", step: PackStepItems, events: []domain.EventType{domain.EventCartonUnpacked}},
		{in: ack()},
	})
	unpacked := payload[domain.CartonUnpacked](t, events[1])
	assert.Equal(t, "040063810000000017", unpacked.SSCC)
	assert.Zero(t, p.Of, "the count is open again")
	assert.Contains(t, p.Prompt().Title, "C2", "one carton left closed")
	assert.Len(t, prints, 6)

	events, prints = runPack(t, p, sscc, []packStep{
		{in: scan("(01)10614141000002(21)SN-1")}, {in: scan("(01)10614141000002(21)SN-2")},
		{in: scan("4006381333931")}, {in: scan("4006381333931")}, {in: scan("4006381333931")},
		{in: act(ActClose)}, {in: scan("CT-XL")}, {in: weigh(6920), step: PackStepConfirm, events: []domain.EventType{domain.EventCartonClosed}, prints: 6},
		{in: typed(""), events: []domain.EventType{domain.EventShipConfirmed}},
	})
	assert.Equal(t, "040063810000000048", payload[domain.PackCarton](t, events[0]).SSCC, "never the void one again")
	assert.Equal(t, []int{1, 2}, []int{prints[0].Carton.N, prints[3].Carton.N})
	sc := payload[domain.ShipConfirm](t, events[1])
	assert.False(t, sc.Partial)
	assert.Empty(t, sc.Short)
	require.Len(t, sc.Cartons, 2)
	assert.Equal(t, "040063810000000031", sc.Cartons[0].SSCC, "the glue's carton is now carton 1")
}

func TestPackPrompts(t *testing.T) {
	p := NewPack(testPackConfig(), "U1")
	assert.Equal(t, "Scan tote or order", p.Prompt().Ask)
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan("T00042"))
	p.Start(testWork(false), t0)
	pr := p.Prompt()
	assert.Equal(t, "PACK SO-2001 C1", pr.Title)
	assert.Equal(t, "(01)10614141000002(21)SN-1", pr.Scan, "the demo hint: a picked serial")
	assert.Equal(t, []Action{ActShort}, pr.Actions)
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan(pr.Scan))
	assert.Equal(t, "(01)10614141000002(21)SN-2", p.Prompt().Scan)
	assert.Equal(t, []Action{ActClose, ActTakeOut, ActShort}, p.Prompt().Actions)
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, act(ActShort))
	assert.Equal(t, []string{"1 MT-7000 missing 1", "2 HX-4411 missing 3", "3 GL-0100 missing 1"}, p.Prompt().Menu)
}

// BenchmarkPackItemScan is the flow's cost of one item scan at the pack
// station: classify the barcode, find the line, put the unit in the carton.
func BenchmarkPackItemScan(b *testing.B) {
	w := testWork(false)
	w.Order.Lines[1].Qty = 1 << 30
	w.Picked[1].Picked = 1 << 30
	p := NewPack(testPackConfig(), "U1")
	rules := packRules(b)
	sscc := &seqSSCC{}
	p.Handle(Env{Rules: rules, SSCCs: sscc}, scan("T00042"))
	p.Start(w, t0)
	in := scan("4006381333931")
	b.ReportAllocs()
	for b.Loop() {
		if o := p.Handle(Env{Rules: rules, SSCCs: sscc}, in); o.Problem != nil {
			b.Fatal(o.Problem.Title)
		}
	}
}

func TestPackIgnoresWhatDoesNotApply(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: weigh(1000), step: PackStepItems},            // the scale talks at every step
		{in: Input{Kind: 0, At: t0}, step: PackStepItems}, // no such input
		{in: act(ActAck), step: PackStepItems},            // nothing to acknowledge
		{in: scan("(01)10614141000002(21)SN-1")}, {in: scan("(01)10614141000002(21)SN-2")},
		{in: scan("4006381333931")}, {in: scan("4006381333931")}, {in: scan("4006381333931")},
		{in: scan("(01)00036000291452(10)L7")},
		{in: act(ActClose)}, {in: scan("CT-XL")}, {in: weigh(7290), step: PackStepConfirm, events: []domain.EventType{domain.EventCartonClosed}, prints: 3},
		{in: act(ActUnpack), step: PackStepUnpack},
		{in: act(ActBack), step: PackStepConfirm},  // back to confirming, nothing unpacked
		{in: act(ActShort), step: PackStepConfirm}, // nothing left to short
		{in: typed(""), step: PackStepDone, events: []domain.EventType{domain.EventShipConfirmed}},
		{in: scan("T00043"), problem: "ORDER DONE"},
	})
}

// TestPackKeyedWeightThatCameAsAScan: without a scale the packer keys the
// weight; a terminal client that sends the line whole makes it look like a
// scan. It is still the keyed weight (marked manual), and a scan that is no
// weight is still refused.
func TestPackKeyedWeightThatCameAsAScan(t *testing.T) {
	cfg := testPackConfig()
	cfg.Scale = false
	p := startedPack(t, cfg, false)
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")},
		{in: scan("CT-L"), step: PackStepWeigh},
		{in: scan("4006381333931"), problem: "WEIGH THE CARTON"},
		{in: ack()},
	})
	p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan(fmt.Sprintf("%d g", p.Open.ExpectedGrams)))
	require.Nil(t, p.Problem)
	require.Len(t, p.Cartons, 1, "the carton is closed with the keyed weight")
	assert.True(t, p.Cartons[0].Manual)
	assert.NotEmpty(t, p.Cartons[0].SSCC)
}

// TestDemoHintClosesAFullCarton: with only small cartons, the demo's hint
// packs units until the next would fit no carton, then closes the carton
// (C) rather than filling it past every carton type.
func TestDemoHintClosesAFullCarton(t *testing.T) {
	cfg := testPackConfig()
	cfg.CartonTypes = []domain.CartonType{ctSmall} // 5 kg at most: one drill and a meter, never three drills
	p := startedPack(t, cfg, false)
	require.NotEqual(t, "C", p.Prompt().Scan, "an empty carton takes the first unit")
	closed := false
	for range 20 {
		hint := p.Prompt().Scan
		if hint == "C" {
			closed = true
			break
		}
		require.NotEmpty(t, hint)
		p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan(hint))
		if p.Step != PackStepItems {
			p.Handle(Env{Rules: packRules(t), SSCCs: &seqSSCC{}}, scan(p.Prompt().Scan))
		}
		require.Equal(t, PackStepItems, p.Step, "%+v", p.Prompt().Problem)
	}
	require.True(t, closed, "the hint never closed the carton")
	_, ok := domain.SuggestCarton(cfg.CartonTypes, p.openItems(), cfg.FillFactor)
	require.True(t, ok, "the carton the hint closes fits a carton type")
}
