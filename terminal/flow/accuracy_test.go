package flow

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

// TestKeyedQuantityIsWhatThePromptSays: the quantity step says "N more",
// and a keyed number is that many more units, for a plain item and a lot.
func TestKeyedQuantityIsWhatThePromptSays(t *testing.T) {
	task := domain.Task{ID: "TK-9", OrderID: "SO-9", Lines: []domain.TaskLine{
		{Line: 1, SKU: "HX-4411", Location: "A-01-01", Qty: 20},
		{Line: 2, SKU: "GL-0100", Location: "A-02-01", Qty: 5},
	}}
	locs := []domain.Location{{Code: "A-01-01", Sequence: 1}, {Code: "A-02-01", Sequence: 2}}
	p, err := NewPick(task, []domain.Item{drill, glue}, locs, "U1")
	require.NoError(t, err)
	run(t, p, []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}},
		{in: scan("A-01-01")},
		{in: scan("4006381333931"), step: StepQty},
	})
	pr := p.Prompt()
	assert.Equal(t, "19 more", pr.Expect)
	assert.Contains(t, pr.Ask, "key how many")
	run(t, p, []step{
		{in: typed("5"), step: StepQty}, // 6 of 20 now
	})
	assert.Equal(t, "14 more", p.Prompt().Expect)
	assert.Contains(t, p.Prompt().Fields, Field{"Qty", "6 of 20"})
	run(t, p, []step{
		{in: typed("15"), problem: "OVER PICK", step: StepQty},
		{in: ack()},
		{in: typed("14"), step: StepLocation, events: []domain.EventType{evPick}}, // following the prompt picks in full
		{in: scan("A-02-01")},
		{in: scan("(01)00036000291452(10)LA"), step: StepQty},
	})
	assert.Equal(t, "4 more", p.Prompt().Expect)
	evs := run(t, p, []step{{in: typed("4"), step: StepDone, events: []domain.EventType{evPick, evDone}}})
	lot := payload[domain.PickLine](t, evs[0])
	assert.Equal(t, 5, lot.Picked)
	assert.Equal(t, []domain.LotQty{{Lot: "LA", Qty: 5}}, lot.Lots)
	assert.Equal(t, 20, p.Lines[0].Picked)
}

// TestFinishedPickSaysWhatComesNext: the done screen of a pick and of a
// cluster names the way on (Enter: the next task; M: the menu), and Enter
// there finishes the flow.
func TestFinishedPickSaysWhatComesNext(t *testing.T) {
	task := domain.Task{ID: "TK-9", OrderID: "SO-9", Lines: []domain.TaskLine{{Line: 1, SKU: "HX-4411", Location: "A-01-01", Qty: 1}}}
	p, err := NewPick(task, []domain.Item{drill}, []domain.Location{{Code: "A-01-01"}}, "U1")
	require.NoError(t, err)
	run(t, p, []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}}, {in: scan("A-01-01")},
		{in: scan("4006381333931"), step: StepDone, events: []domain.EventType{evPick, evDone}},
		{in: scan("4006381333931"), problem: "TASK COMPLETE"},
		{in: ack()},
	})
	for _, pr := range []Prompt{p.Prompt(), finishedCluster(t).Prompt()} {
		assert.Contains(t, pr.Fields, Field{"Enter", "next task"}, pr.Title)
		assert.Contains(t, pr.Fields, Field{"M", "menu"}, pr.Title)
		assert.Contains(t, pr.Ask, "to packing", pr.Title)
	}
	assert.Equal(t, "T00001", p.Prompt().Expect, "the tote to take")
	assert.Contains(t, p.Handle(Env{Rules: testRules(t)}, scan("T00001")).Problem.Detail, "Enter for the next task")
	p.Problem = nil
	assert.True(t, p.Handle(Env{Rules: testRules(t)}, typed("")).Done)
}

// finishedCluster is a one-order cluster picked to the end.
func finishedCluster(t *testing.T) *Cluster {
	t.Helper()
	c := newTestCluster(t, []domain.Task{{ID: "TK-1", OrderID: "SO-1", Lines: []domain.TaskLine{{Line: 1, SKU: "HX-4411", Location: "A-01-01", Qty: 1}}}})
	runCluster(t, c, []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}}, {in: scan("A-01-01")}, {in: scan("4006381333931"), step: StepPut},
		{in: scan("T00001"), step: StepDone, events: []domain.EventType{evPick, evDone}},
	})
	return c
}

// TestReturnPutawayIsTheItemsOwnLocation: a restocked unit is suggested its
// own item's home location (not another item's), and an item of the site
// that is not on the RMA is named as such, not as an unknown item.
func TestReturnPutawayIsTheItemsOwnLocation(t *testing.T) {
	homed := func(it domain.Item, home string) domain.Item { it.Home = home; return it }
	r, err := NewReturn([]domain.RMA{testRMA()},
		[]domain.Item{homed(drill, "A-01-01"), homed(glue, "A-02-01"), homed(meter, "B-01-01"), gloves},
		[]domain.Location{{Code: "A-01-01"}, {Code: "A-02-01"}, {Code: "B-01-01"}, {Code: "C-01-01"}}, "U1")
	require.NoError(t, err)
	driveReturn(t, r, []step{
		{in: scan("RMA-50001"), step: StepItem},
		{in: scan("4006381333931"), step: StepCondition}, // the drill
		{in: typed("1")}, {in: typed("1"), step: StepPutaway},
	})
	pr := r.Prompt()
	assert.Equal(t, "A-01-01", pr.Expect, "the drill's own location")
	assert.Equal(t, "A-01-01", pr.Scan)
	driveReturn(t, r, []step{
		{in: scan(pr.Scan), step: StepItem},
		{in: scan("(01)00036000291452(10)LA"), problem: "NOT ON RMA"}, // glue: an item of the site, not on the RMA
	})
	assert.Contains(t, r.Problem.Detail, "GL-0100 Wood glue")
	assert.Contains(t, r.Problem.Detail, "not on RMA-50001")
	driveReturn(t, r, []step{
		{in: ack(), step: StepCondition},
		{in: typed("1")}, {in: typed("1"), step: StepPutaway},
	})
	assert.Equal(t, "A-02-01", r.Prompt().Expect, "the glue's own location")
	driveReturn(t, r, []step{
		{in: scan("A-02-01"), step: StepItem},
		{in: scan("ZZ-NOTHING"), problem: "UNKNOWN ITEM"},
	})
	assert.Contains(t, r.Problem.Detail, "not an item of this site")
}

// TestPackKeyedWeightIsInTheUnitShown: without a scale the weigh prompt
// names its unit; a bare number is in it (7050 where the prompt says g is
// 7050 g), a written g, kg, lb or oz is taken, and a weight above the
// carton type's maximum or the scale's range is refused.
func TestPackKeyedWeightIsInTheUnitShown(t *testing.T) {
	cfg := testPackConfig()
	cfg.Scale = false
	p := startedPack(t, cfg, false)
	toWeigh := []packStep{
		{in: scan("4006381333931")}, {in: act(ActClose)}, {in: typed(""), step: PackStepWeigh},
	}
	runPack(t, p, &seqSSCC{}, toWeigh)
	pr := p.Prompt()
	assert.Equal(t, "Key weight in g", pr.Ask)
	assert.Equal(t, "2280 g", pr.Expect)
	assert.Contains(t, pr.Fields, Field{"Expect", "2280 g"})
	closed := []domain.EventType{domain.EventCartonClosed}
	sscc := &seqSSCC{}
	evs, _ := runPack(t, p, sscc, []packStep{
		{in: typed("2280"), step: PackStepItems, events: closed}, // bare: grams, as shown
	})
	evs2, _ := runPack(t, p, sscc, append(toWeigh,
		packStep{in: typed("80.4 oz"), step: PackStepItems, events: closed},
	))
	evs3, _ := runPack(t, p, sscc, append(toWeigh,
		packStep{in: typed("25000"), problem: "CARTON OVERWEIGHT", step: PackStepWeigh}, // CT-L takes 20 kg
		packStep{in: ack()},
		packStep{in: typed("25 kg"), problem: "CARTON OVERWEIGHT", step: PackStepWeigh},
		packStep{in: ack()},
		packStep{in: typed("5.03 lb"), step: PackStepItems, events: closed},
	))
	assert.Equal(t, 2280, payload[domain.PackCarton](t, evs[0]).WeightGrams)
	assert.Equal(t, 2279, payload[domain.PackCarton](t, evs2[0]).WeightGrams)
	assert.Equal(t, 2282, payload[domain.PackCarton](t, evs3[0]).WeightGrams)

	kg := testPackConfig()
	kg.Scale, kg.ManualUnit = false, domain.UnitKG
	q := startedPack(t, kg, false)
	runPack(t, q, &seqSSCC{}, toWeigh)
	assert.Equal(t, "Key weight in kg", q.Prompt().Ask)
	assert.Equal(t, "2.280 kg", q.Prompt().Expect)
	runPack(t, q, &seqSSCC{}, []packStep{{in: typed("2.28"), step: PackStepItems, events: closed}})

	scale := testPackConfig()
	scale.ScaleMaxGrams = 2000
	s := startedPack(t, scale, false)
	runPack(t, s, &seqSSCC{}, append(toWeigh,
		packStep{in: weigh(2280), problem: "OVER SCALE RANGE", step: PackStepWeigh},
	))
	assert.Empty(t, s.Cartons)
}

// TestBusyToteRefusedOnTheDevice: a tote the claim says holds another
// order's picked goods is refused as the pick's tote (offline: no hub
// needed), naming the order; in a cluster too, while a tote held by one of
// the cluster's own orders is not busy for it.
func TestBusyToteRefusedOnTheDevice(t *testing.T) {
	p := newTestPick(t)
	p.KnowBusyTotes([]domain.ToteHold{{Tote: "T00007", OrderID: "SO-0999"}, {Tote: "T00008", OrderID: p.OrderID}})
	run(t, p, []step{
		{in: scan("T00007"), problem: "TOTE IN USE", step: StepTote},
	})
	assert.Contains(t, p.Problem.Detail, "holds order SO-0999")
	run(t, p, []step{
		{in: ack()},
		{in: scan("T00008"), step: StepLocation, events: []domain.EventType{evStart}}, // its own order's tote
	})

	c := newTestCluster(t, clusterTasks())
	c.KnowBusyTotes([]domain.ToteHold{{Tote: "T00007", OrderID: "SO-0999"}, {Tote: "T00002", OrderID: "SO-2"}})
	runCluster(t, c, []step{
		{in: scan("T00007"), problem: "TOTE IN USE", step: StepTote},
		{in: ack()},
		{in: scan("T00001"), events: []domain.EventType{evStart}},
		{in: scan("T00002"), events: []domain.EventType{evStart}}, // SO-2's own tote, resumed
	})
	var q Cluster
	require.NoError(t, json.Unmarshal(mustJSON(t, c), &q))
	runCluster(t, &q, []step{{in: scan("T00007"), problem: "TOTE IN USE", step: StepTote}})
	assert.Contains(t, q.Problem.Detail, "SO-0999")
}

// TestLotsKnownAtTheLocationFirstExpiryFirst: the lot step suggests the
// lot that expires first of those at the line's location, and a lot not
// there is refused, keyed or in a GS1 scan.
func TestLotsKnownAtTheLocationFirstExpiryFirst(t *testing.T) {
	task := domain.Task{ID: "TK-9", OrderID: "SO-9", Lines: []domain.TaskLine{
		{Line: 1, SKU: "GL-0100", Location: "A-02-01", Qty: 3, KnownLots: []domain.LotExpiry{{Lot: "LA", Expiry: "2026-12-31"}, {Lot: "LB", Expiry: "2027-03-01"}}},
	}}
	p, err := NewPick(task, []domain.Item{glue}, []domain.Location{{Code: "A-02-01"}}, "U1")
	require.NoError(t, err)
	run(t, p, []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}},
		{in: scan("A-02-01")},
		{in: scan("00036000291452"), step: StepLot},
	})
	pr := p.Prompt()
	assert.Equal(t, "LA", pr.Expect, "first expiry first")
	assert.Contains(t, pr.Fields, Field{"Exp", "2026-12-31"})
	assert.Equal(t, "LA", pr.Scan)
	run(t, p, []step{
		{in: typed("L999999"), problem: "UNKNOWN LOT", step: StepLot},
	})
	assert.Contains(t, p.Problem.Detail, "LA (exp 2026-12-31), LB (exp 2027-03-01)")
	run(t, p, []step{
		{in: ack()},
		{in: typed("LB"), step: StepQty}, // a known lot, if not the first to expire
		{in: scan("(01)00036000291452(10)L999999"), problem: "UNKNOWN LOT", step: StepQty},
		{in: ack()},
		{in: scan("(01)00036000291452(10)LA"), step: StepQty},
		{in: scan("00036000291452"), step: StepDone, events: []domain.EventType{evPick, evDone}}, // the last lot again
	})
	assert.Equal(t, []domain.LotQty{{Lot: "LB", Qty: 1}, {Lot: "LA", Qty: 2}}, p.Lines[0].Lots)
}

// TestSerialsFollowTheRuleAndAreUniqueInTheWork: a serial must match the
// item's rule, and one scanned on any line of the task (or cluster) is
// refused again; the pack station checks the rule too.
func TestSerialsFollowTheRuleAndAreUniqueInTheWork(t *testing.T) {
	ruled := meter
	ruled.SerialPattern = `S[0-9]+`
	task := domain.Task{ID: "TK-9", OrderID: "SO-9", Lines: []domain.TaskLine{
		{Line: 1, SKU: "MT-7000", Location: "B-01-01", Qty: 2},
		{Line: 2, SKU: "MT-7000", Location: "B-01-02", Qty: 1},
	}}
	p, err := NewPick(task, []domain.Item{ruled}, []domain.Location{{Code: "B-01-01", Sequence: 1}, {Code: "B-01-02", Sequence: 2}}, "U1")
	require.NoError(t, err)
	run(t, p, []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}},
		{in: scan("B-01-01")},
		{in: scan("10614141000002"), step: StepSerial},
		{in: typed("x"), problem: "BAD SERIAL"},
		{in: ack(), step: StepSerial}, // keyed at the serial step: the serial is asked again, as the problem says
		{in: typed("S1"), step: StepQty},
		{in: scan("(01)10614141000002(21)Q9"), problem: "BAD SERIAL"},
		{in: ack(), step: StepQty}, // scanned with the item: the unit is scanned again
		{in: scan("(01)10614141000002(21)S2"), step: StepLocation, events: []domain.EventType{evPick}},
		{in: scan("B-01-02")},
		{in: scan("(01)10614141000002(21)S1"), problem: "DUPLICATE SERIAL", step: StepItem}, // picked on line 1
		{in: ack()},
		{in: scan("(01)10614141000002(21)S3"), step: StepDone, events: []domain.EventType{evPick, evDone}},
	})
	assert.Contains(t, p.Lines[0].Serials, "S1")

	pk := startedPack(t, testPackConfig(), false)
	pk.Items[meter.SKU] = ruled
	runPack(t, pk, &seqSSCC{}, []packStep{
		{in: scan("(01)10614141000002(21)SN-1"), problem: "BAD SERIAL"},
	})
}

// TestPackTakeOutOverweightAndHandling: a unit can be taken out of the open
// carton (the scanned serial, or the last put in) and packed again; a
// carton chosen whose maximum the items exceed is refused; a carton is
// suggested, and taken, only for the items' handling class.
func TestPackTakeOutOverweightAndHandling(t *testing.T) {
	p := startedPack(t, testPackConfig(), false)
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("(01)10614141000002(21)SN-1")},
		{in: scan("(01)10614141000002(21)SN-2")},
		{in: scan("4006381333931")},
		{in: act(ActTakeOut), step: PackStepTakeOut},
		{in: scan("00036000291452"), problem: "NOT IN CARTON"}, // glue: not in it
		{in: ack()},
		{in: scan("(01)10614141000002(21)SN-1"), step: PackStepItems},
	})
	assert.Equal(t, 2, p.Open.Units())
	assert.Equal(t, []string{"SN-2"}, p.Open.Contents[0].Serials)
	assert.Equal(t, 1, p.Lines[0].Packed, "SN-1 is to pack again")
	assert.Equal(t, "(01)10614141000002(21)SN-1", p.demoItem())
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: act(ActTakeOut)},
		{in: scan("4006381333931"), step: PackStepItems}, // the drill
		{in: act(ActTakeOut)},
	})
	assert.Equal(t, "(01)10614141000002(21)SN-2", p.Prompt().Scan, "the hint: the last unit in")
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan(p.Prompt().Scan), step: PackStepItems},
	})
	assert.Equal(t, 0, p.Open.Units())
	assert.Equal(t, 0, p.Lines[0].Packed+p.Lines[1].Packed)
	assert.NotContains(t, p.Prompt().Actions, ActTakeOut, "nothing to take out")

	// Overweight: three drills (5.4 kg) and a 5 kg carton.
	runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")}, {in: scan("4006381333931")}, {in: scan("4006381333931")},
		{in: scan("CT-S"), problem: "CARTON OVERWEIGHT", step: PackStepCarton},
	})
	assert.Contains(t, p.Problem.Detail, "at most 5000 g")

	// Handling class: gloves never go in the cool box, frozen goods only do.
	cool := domain.CartonType{Code: "CT-FRZ", Name: "Insulated cool box", InnerLengthMM: 300, InnerWidthMM: 250, InnerHeightMM: 150, TareGrams: 900, MaxGrams: 15000, Handling: []domain.HandlingClass{"frozen"}}
	box := domain.CartonType{Code: "CT-BOX", Name: "Box", InnerLengthMM: 400, InnerWidthMM: 300, InnerHeightMM: 200, TareGrams: 300, MaxGrams: 15000}
	peas := withSize(domain.Item{SKU: "FZ-1", GTIN: "05401230051735", Description: "Frozen peas", Handling: "frozen"}, 500, 200, 150, 50)
	g := withSize(gloves, 100, 200, 150, 20)
	fits := []domain.CartonType{cool, box}
	one := func(it domain.Item) []domain.ItemQty { return []domain.ItemQty{{Item: it, Qty: 1}} }
	c, ok := domain.SuggestCarton(fits, one(g), 0)
	assert.True(t, ok)
	assert.Equal(t, "CT-BOX", c.Code, "the smaller cool box is not for gloves")
	c, ok = domain.SuggestCarton(fits, one(peas), 0)
	assert.True(t, ok)
	assert.Equal(t, "CT-FRZ", c.Code)
	_, ok = domain.SuggestCarton(fits, append(one(peas), one(g)...), 0)
	assert.False(t, ok, "no carton takes both")

	cfg := PackConfig{CartonTypes: fits, Scale: true}
	q := NewPack(cfg, "U1")
	q.Handle(Env{Rules: packRules(t)}, scan("T00042"))
	require.Nil(t, q.Start(PackWork{Order: domain.Order{ID: "SO-7", Lines: []domain.OrderLine{{Line: 1, SKU: gloves.SKU, Qty: 1}}},
		Items: []domain.Item{g}}, t0).Problem)
	runPack(t, q, &seqSSCC{}, []packStep{
		{in: scan("12345670")},
		{in: act(ActClose), step: PackStepCarton},
	})
	assert.Equal(t, "CT-BOX", q.Prompt().Expect)
	runPack(t, q, &seqSSCC{}, []packStep{
		{in: scan("CT-FRZ"), problem: "WRONG CARTON", step: PackStepCarton},
		{in: ack()},
		{in: typed(""), step: PackStepWeigh},
	})
}

// TestHeldPackIsLabelledAndResumed: a hold closes the open carton first and
// prints every closed carton's labels; a carton whose weight is out of
// tolerance is said to stay loose; the order scanned again resumes with the
// held cartons (kept, not void) and ships with them.
func TestHeldPackIsLabelledAndResumed(t *testing.T) {
	p := startedPack(t, testPackConfig(), true)
	closed, held := domain.EventCartonClosed, domain.EventPackHeld
	_, prints := runPack(t, p, &seqSSCC{}, []packStep{
		{in: scan("(01)10614141000002(21)SN-1")}, {in: act(ActClose)}, {in: typed("")},
		{in: weigh(400 + 120), step: PackStepItems, events: []domain.EventType{closed}}, // CT-S
		{in: scan("4006381333931")},
		{in: act(ActShort)}, {in: typed("3"), problem: "CLOSE THE CARTON", step: PackStepCarton, events: []domain.EventType{domain.EventPackShorted}},
		{in: ack()},
	})
	assert.Contains(t, p.Prompt().Fields, Field{"Hold", domain.HoldShipComplete.Label()})
	evs2, prints2 := runPack(t, p, &seqSSCC{next: 1}, []packStep{
		{in: typed(""), step: PackStepWeigh},
		{in: weigh(2280), problem: "ORDER HELD", step: PackStepDone, prints: 6, events: []domain.EventType{closed, held}},
	})
	assert.Empty(t, prints)
	assert.Contains(t, p.Problem.Detail, "2 carton(s) closed, labels printing")
	hold := payload[domain.PackHold](t, evs2[1])
	require.Len(t, hold.Cartons, 2)
	for i, j := range prints2 {
		assert.Equal(t, i/3+1, j.Carton.N)
		assert.Equal(t, 2, j.Carton.Of, "numbered of the cartons closed, never 0 of 0")
	}

	// Resumed at the same or another station: the held cartons are kept.
	q := NewPack(testPackConfig(), "U2")
	q.Handle(Env{Rules: packRules(t)}, scan("SO-2001"))
	w := testWork(true)
	w.Held = hold.Cartons
	o := q.Start(w, t0)
	require.NotNil(t, o.Problem)
	assert.Equal(t, "PACK RESUMED", o.Problem.Title)
	started := payload[domain.PackStarted](t, o.Events[0])
	assert.True(t, started.Resume)
	assert.Equal(t, []string{hold.Cartons[0].SSCC, hold.Cartons[1].SSCC}, started.Kept)
	assert.Len(t, q.Cartons, 2)
	assert.Equal(t, 1, q.Lines[0].Packed)
	assert.Equal(t, 1, q.Lines[1].Packed)
	evs3, prints3 := runPack(t, q, &seqSSCC{next: 2}, []packStep{
		{in: ack()},
		{in: scan("(01)10614141000002(21)SN-2")},
		{in: scan("4006381333931")}, {in: scan("4006381333931")},
		{in: scan("(01)00036000291452(10)L7")},
		{in: scan("CT-L"), step: PackStepWeigh},
		{in: weigh(400 + 3600 + 250 + 480), step: PackStepConfirm, prints: 9, events: []domain.EventType{closed}},
		{in: typed(""), step: PackStepDone, events: []domain.EventType{domain.EventShipConfirmed}},
	})
	assert.Len(t, prints3, 9, "every carton's labels again, of 3")
	ship := payload[domain.ShipConfirm](t, evs3[1])
	require.Len(t, ship.Cartons, 3)
	assert.Equal(t, hold.Cartons[0].SSCC, ship.Cartons[0].SSCC)
	assert.Empty(t, ship.Short)

	// Sent to the exception lane from a weight audit: that carton stays loose.
	r := startedPack(t, testPackConfig(), false)
	runPack(t, r, &seqSSCC{}, []packStep{
		{in: scan("4006381333931")}, {in: act(ActClose)}, {in: typed("")},
		{in: weigh(9000), problem: "WEIGHT OUT OF TOLERANCE", step: PackStepAudit, events: []domain.EventType{domain.EventCartonAudit}},
		{in: ack()}, {in: typed("3"), step: PackStepException},
		{in: typed("1"), problem: "ORDER HELD", step: PackStepDone, events: []domain.EventType{held}},
	})
	assert.Contains(t, r.Problem.Detail, "not closed (weight out of tolerance): its 1 unit(s) stay loose")
	assert.Contains(t, r.Problem.Detail, "No carton was closed")
}
