package flow

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

// clusterTasks are three small orders. Merged in walk order:
//
//	A-01-01 P1 drill x2, A-01-01 P2 drill x1, A-02-01 P1 glue x1 (lot),
//	A-02-01 P3 glue x2 (lot), B-01-01 P2 meter x1 (serial), C-01-01 P3 gloves x3
func clusterTasks() []domain.Task {
	return []domain.Task{
		{ID: "TK-1", OrderID: "SO-1", Lines: []domain.TaskLine{
			{Line: 1, SKU: "HX-4411", Location: "A-01-01", Qty: 2},
			{Line: 2, SKU: "GL-0100", Location: "A-02-01", Qty: 1},
		}},
		{ID: "TK-2", OrderID: "SO-2", Lines: []domain.TaskLine{
			{Line: 1, SKU: "MT-7000", Location: "B-01-01", Qty: 1},
			{Line: 2, SKU: "HX-4411", Location: "A-01-01", Qty: 1},
		}},
		{ID: "TK-3", OrderID: "SO-3", Lines: []domain.TaskLine{
			{Line: 1, SKU: "GV-0001", Location: "C-01-01", Qty: 3},
			{Line: 2, SKU: "GL-0100", Location: "A-02-01", Qty: 2},
		}},
	}
}

var clusterLocations = []domain.Location{
	{Code: "A-01-01", Zone: "A", Sequence: 10, Check: "41"},
	{Code: "A-02-01", Zone: "A", Sequence: 20, Check: "42"},
	{Code: "B-01-01", Zone: "B", Sequence: 30, Check: "43"},
	{Code: "C-01-01", Zone: "C", Sequence: 40, Check: "44"},
}

func newTestCluster(t testing.TB, tasks []domain.Task) *Cluster {
	t.Helper()
	c, err := NewCluster("CL-000001", tasks, []domain.Item{drill, glue, meter, gloves}, clusterLocations, "U1")
	require.NoError(t, err)
	return c
}

// threeTotes puts a tote on each of the three cart positions.
func threeTotes() []step {
	return []step{
		{in: scan("T00001"), events: []domain.EventType{evStart}},
		{in: scan("T00002"), events: []domain.EventType{evStart}},
		{in: scan("T00003"), events: []domain.EventType{evStart}, step: StepLocation},
	}
}

func runCluster(t *testing.T, c *Cluster, steps []step) []domain.Draft {
	t.Helper()
	return drive(t, c, func() Step { return c.Step }, steps)
}

// picked is one event as the hub reads it: the type, the task, the tote and
// for a line its number and quantities.
type picked struct {
	Type          domain.EventType
	Task, Tote    string
	Line          int
	Picked, Short int
}

func decodePicks(t *testing.T, evs []domain.Draft) map[string][]picked {
	t.Helper()
	out := map[string][]picked{}
	for _, e := range evs {
		var p struct {
			TaskID string `json:"task_id"`
			Tote   string `json:"tote"`
			Line   int    `json:"line"`
			Picked int    `json:"picked"`
			Short  int    `json:"short"`
		}
		require.NoError(t, json.Unmarshal(mustJSON(t, e.Payload), &p))
		out[p.TaskID] = append(out[p.TaskID], picked{e.Type, p.TaskID, p.Tote, p.Line, p.Picked, p.Short})
	}
	return out
}

func TestClusterThreeOrders(t *testing.T) {
	c := newTestCluster(t, clusterTasks())
	require.Equal(t, StepTote, c.Step)
	assert.Equal(t, "CLUSTER TOTE P1", c.Prompt().Title)
	evs := runCluster(t, c, []step{
		{in: scan("T00001"), step: StepTote, events: []domain.EventType{evStart}},
		{in: scan("T00001"), problem: "TOTE ON CART"}, // already at P1
		{in: ack()},
		{in: scan("A-01-01"), problem: "NOT A TOTE"},
		{in: ack()},
		{in: scan("T00002"), step: StepTote, events: []domain.EventType{evStart}},
		{in: typed("T00003"), step: StepLocation, events: []domain.EventType{evStart}}, // a tote keyed by hand
		// A-01-01: P1's drills, then P2's drill without scanning the location again.
		{in: scan("A-01-01"), step: StepItem},
		{in: scan("4006381333931"), step: StepQty},
		{in: typed("1"), step: StepPut},
		{in: scan("T00002"), problem: "WRONG TOTE"}, // P2's tote: refused, naming P1's
		{in: scan("T00001"), refused: true, step: StepPut},
		{in: ack()},
		{in: scan("T00009"), problem: "WRONG TOTE"}, // not on the cart
		{in: ack()},
		{in: scan("4006381333931"), problem: "SCAN TOTE"},
		{in: ack()},
		{in: scan("T00001"), step: StepItem, events: []domain.EventType{evPick}},
		{in: scan("HX-4411"), step: StepPut},
		{in: scan("T00002"), step: StepLocation, events: []domain.EventType{evPick}},
		// A-02-01: P1's glue is skipped (it comes back at the end); P3's is shorted after one unit.
		{in: act(ActSkip), step: StepLocation},
		{in: typed("42"), step: StepItem},
		{in: scan("(01)00036000291452(10)LA"), step: StepQty},
		{in: act(ActShort), step: StepShort},
		{in: typed("3"), step: StepPut},
		{in: scan("T00003"), step: StepLocation, events: []domain.EventType{evPick, evShort}},
		// B-01-01: P2's meter completes P2.
		{in: scan("B-01-01"), step: StepItem},
		{in: scan("(01)10614141000002(21)S1"), step: StepPut},
		{in: scan("T00002"), step: StepLocation, events: []domain.EventType{evPick, evDone}},
		// C-01-01: one glove in hand when P3's order is cancelled (below).
		{in: scan("C-01-01"), step: StepItem},
		{in: scan("12345670"), step: StepQty},
	})
	assert.Equal(t, Field{"Put", "P3 T00003"}, c.Prompt().Fields[len(c.Prompt().Fields)-1])

	words, ok := c.StopOrder("TK-3", StopCancelled)
	require.True(t, ok)
	assert.Equal(t, "Order SO-3 is cancelled. Put the 1 GV-0001 in hand back at C-01-01. Take tote T00003 off P3 and return its items to their locations.", words)
	_, again := c.StopOrder("TK-3", StopCancelled)
	assert.False(t, again, "stopped already")
	_, done := c.StopOrder("TK-2", StopReassigned)
	assert.False(t, done, "a completed order stays on the cart")
	_, unknown := c.StopOrder("TK-9", StopCancelled)
	assert.False(t, unknown)
	require.Equal(t, StepLocation, c.Step, "on to the skipped line")
	assert.Equal(t, "A-02-01", c.line().Location)
	assert.Equal(t, 1, c.line().Pos)

	evs = append(evs, runCluster(t, c, []step{
		{in: scan("A-02-01"), step: StepItem},
		{in: scan("(01)00036000291452(10)LB"), step: StepPut},
		{in: scan("T00001"), step: StepDone, events: []domain.EventType{evPick, evDone}},
		{in: scan("T00001"), problem: "CLUSTER COMPLETE"},
		{in: ack()},
		{in: typed(""), done: true},
	})...)

	assert.Equal(t, map[string][]picked{
		"TK-1": {
			{evStart, "TK-1", "T00001", 0, 0, 0},
			{evPick, "TK-1", "T00001", 1, 2, 0},
			{evPick, "TK-1", "T00001", 2, 1, 0},
			{evDone, "TK-1", "T00001", 0, 0, 0},
		},
		"TK-2": {
			{evStart, "TK-2", "T00002", 0, 0, 0},
			{evPick, "TK-2", "T00002", 2, 1, 0},
			{evPick, "TK-2", "T00002", 1, 1, 0},
			{evDone, "TK-2", "T00002", 0, 0, 0},
		},
		"TK-3": { // stopped: what was confirmed, and no completion
			{evStart, "TK-3", "T00003", 0, 0, 0},
			{evPick, "TK-3", "T00003", 2, 1, 0}, // the unit picked of a shorted line, then the short
			{evShort, "TK-3", "T00003", 2, 0, 1},
		},
	}, decodePicks(t, evs))
	var picked, short domain.PickLine
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[5].Payload), &picked))
	assert.Equal(t, domain.PickLine{TaskID: "TK-3", Line: 2, SKU: "GL-0100", Location: "A-02-01", Tote: "T00003",
		Picked: 1, Lots: []domain.LotQty{{Lot: "LA", Qty: 1}}}, picked)
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[6].Payload), &short))
	assert.Equal(t, domain.PickLine{TaskID: "TK-3", Line: 2, SKU: "GL-0100", Location: "A-02-01", Tote: "T00003",
		Short: 1, Reason: domain.ShortQty}, short)

	pr := c.Prompt()
	assert.Equal(t, "CLUSTER DONE", pr.Title)
	assert.Equal(t, []Field{{"P1", "T00001 SO-1"}, {"P2", "T00002 SO-2"}, {"P3", "SO-3 stopped"}, {"Short", "1 line(s)"}, {"Enter", "next task"}, {"M", "menu"}}, pr.Fields)
}

func TestClusterPromptsFitTwentyColumns(t *testing.T) {
	// Following the demo hint line alone picks the whole cluster; every
	// title, instruction, expected value and the Put field fit an RF gun's 20 columns.
	c := newTestCluster(t, clusterTasks())
	rules := testRules(t)
	var titles []string
	for i := 0; i < 60 && c.Step != StepDone; i++ {
		pr := c.Prompt()
		require.NotEmpty(t, pr.Scan, "step %s has no hint", c.Step)
		for _, s := range []string{pr.Title, pr.Ask, pr.Expect} {
			assert.LessOrEqual(t, len(s), 20, "%q at %s", s, c.Step)
		}
		for _, f := range pr.Fields {
			if f.Label == "Put" || f.Label == "Loc" || f.Label == "Qty" {
				assert.LessOrEqual(t, len(fmt.Sprintf("%-5s %s", f.Label, f.Value)), 20, "%+v", f)
			}
		}
		if c.Step != StepTote {
			require.Equal(t, "Put", pr.Fields[len(pr.Fields)-1].Label, "every pick says where the units go")
		}
		titles = append(titles, pr.Title)
		o := c.Handle(Env{Rules: rules}, scan(pr.Scan))
		require.Nil(t, o.Problem, "hint %q at %s", pr.Scan, c.Step)
	}
	require.Equal(t, StepDone, c.Step)
	assert.Contains(t, titles, "CLUSTER 6/6")
	for _, l := range c.Lines {
		assert.Equal(t, l.Qty, l.Picked, l.SKU)
	}
	for _, o := range c.Orders {
		assert.True(t, o.Done, o.TaskID)
	}
	for _, f := range c.Prompt().Fields {
		assert.LessOrEqual(t, len(fmt.Sprintf("%-5s %s", f.Label, f.Value)), 20, "%+v", f)
	}
}

func TestClusterSurvivesJSON(t *testing.T) {
	c := newTestCluster(t, clusterTasks())
	runCluster(t, c, append(threeTotes(), []step{
		{in: scan("A-01-01")},
		{in: scan("4006381333931")},
		{in: scan("4006381333931"), step: StepPut},
	}...))
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	var d Cluster
	require.NoError(t, json.Unmarshal(raw, &d))
	assert.Equal(t, c.Prompt(), d.Prompt())
	assert.Equal(t, "Put 2, scan P1 tote", d.Prompt().Ask)
	runCluster(t, &d, []step{{in: scan("T00001"), events: []domain.EventType{evPick}, step: StepItem}})
}

func TestClusterStopBeforeItsTote(t *testing.T) {
	c := newTestCluster(t, clusterTasks())
	runCluster(t, c, []step{{in: scan("T00001"), events: []domain.EventType{evStart}}})
	words, ok := c.StopOrder("TK-2", StopReassigned)
	require.True(t, ok)
	assert.Equal(t, "Order SO-2 went to someone else. P2 stays empty.", words)
	assert.Equal(t, "CLUSTER TOTE P3", c.Prompt().Title, "P2 wants no tote now")
	runCluster(t, c, []step{
		{in: scan("T00003"), step: StepLocation, events: []domain.EventType{evStart}},
		{in: scan("A-01-01")},
		{in: scan("4006381333931")},
		{in: typed("1"), step: StepPut},
		{in: scan("T00001"), step: StepLocation, events: []domain.EventType{evPick}}, // no drill for P2 any more
	})
	assert.Len(t, c.Lines, 4, "P2's two lines are gone")
	assert.Equal(t, "CLUSTER 2/4", c.Prompt().Title)
}

func TestClusterStopWithUnitsWaitingForTheTote(t *testing.T) {
	c := newTestCluster(t, clusterTasks())
	runCluster(t, c, append(threeTotes(), []step{
		{in: scan("A-01-01")},
		{in: scan("4006381333931")},
		{in: typed("1"), step: StepPut}, // P1's two drills in hand
	}...))
	words, ok := c.StopOrder("TK-1", StopReassigned)
	require.True(t, ok)
	assert.Equal(t, "Order SO-1 went to someone else. Put the 2 HX-4411 in hand back at A-01-01. Take the empty tote T00001 off P1.", words)
	assert.Equal(t, StepLocation, c.Step)
	assert.Equal(t, 2, c.line().Pos, "on to P2's drill")
	runCluster(t, c, []step{
		{in: scan("A-01-01")},
		{in: scan("4006381333931"), step: StepPut},
		{in: scan("T00001"), problem: "WRONG TOTE"}, // off the cart now
		{in: ack()},
		{in: scan("T00002"), events: []domain.EventType{evPick}},
	})
}

func TestClusterStopAnotherOrderKeepsTheLineInHand(t *testing.T) {
	c := newTestCluster(t, clusterTasks())
	runCluster(t, c, append(threeTotes(), []step{
		{in: scan("A-01-01")},
		{in: scan("4006381333931"), step: StepQty},
	}...))
	words, ok := c.StopOrder("TK-3", StopCancelled)
	require.True(t, ok)
	assert.Equal(t, "Order SO-3 is cancelled. Take the empty tote T00003 off P3.", words)
	assert.Equal(t, StepQty, c.Step)
	assert.Equal(t, PickLine{TaskLine: domain.TaskLine{Line: 1, SKU: "HX-4411", Location: "A-01-01", Qty: 2, Picked: 1}, Pos: 1}, *c.line())
	runCluster(t, c, []step{
		{in: scan("4006381333931"), step: StepPut},
		{in: scan("T00001"), step: StepItem, events: []domain.EventType{evPick}},
	})
}

func TestClusterAllStopped(t *testing.T) {
	c := newTestCluster(t, clusterTasks()[:1])
	runCluster(t, c, []step{{in: scan("T00001"), events: []domain.EventType{evStart}}})
	_, ok := c.StopOrder("TK-1", Stop("")) // an unknown reason counts as cancelled
	require.True(t, ok)
	assert.Equal(t, StopCancelled, c.Orders[0].Stopped)
	assert.True(t, c.Finished())
	runCluster(t, c, []step{{in: typed(""), done: true}})
}

func TestNewClusterResumesStartedTasks(t *testing.T) {
	tasks := clusterTasks()
	tasks[0].Tote, tasks[0].Position = "T00011", 2
	tasks[1].Position = 3
	tasks[2].Tote, tasks[2].Position = "T00013", 4
	c := newTestCluster(t, tasks)
	assert.Equal(t, []int{2, 3, 4}, []int{c.Orders[0].Pos, c.Orders[1].Pos, c.Orders[2].Pos}, "the hub's cart positions")
	runCluster(t, c, []step{
		{in: scan("T00013"), problem: "TOTE ON CART"},
		{in: ack(), step: StepTote},
		{in: scan("T00012"), step: StepLocation, events: []domain.EventType{evStart}}, // only P3 wanted a tote
	})
}

func TestNewClusterRejects(t *testing.T) {
	tasks := func(edit func([]domain.Task)) []domain.Task {
		ts := clusterTasks()
		edit(ts)
		return ts
	}
	for name, c := range map[string]struct {
		tasks []domain.Task
		want  string
	}{
		"no tasks":          {nil, "1 to 24"},
		"too many":          {make([]domain.Task, domain.MaxClusterOrders+1), "1 to 24"},
		"unknown item":      {tasks(func(ts []domain.Task) { ts[1].Lines[0].SKU = "NOPE" }), "item NOPE"},
		"no lines":          {tasks(func(ts []domain.Task) { ts[2].Lines = nil }), "no lines"},
		"two at a position": {tasks(func(ts []domain.Task) { ts[0].Position, ts[1].Position = 2, 2 }), "two tasks at cart position 2"},
		"off the cart":      {tasks(func(ts []domain.Task) { ts[0].Position = 25 }), "cart position 25"},
		"a task twice":      {tasks(func(ts []domain.Task) { ts[1].ID = "TK-1" }), "TK-1 twice"},
		"a tote twice":      {tasks(func(ts []domain.Task) { ts[0].Tote, ts[2].Tote = "T00001", "T00001" }), "tote T00001"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewCluster("CL-1", c.tasks, []domain.Item{drill, glue, meter, gloves}, clusterLocations, "U1")
			assert.ErrorContains(t, err, c.want)
		})
	}
}
