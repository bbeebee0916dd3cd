package hub_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SO-10003 is claimed first. Its lines (in walk order):
// 5 MK-0100 x20, 4 SF-0310 x8, 3 SF-0201 x12, 1 GL-7731 x10, 2 GL-7732 x5.
const (
	task3  = "T-SO-10003"
	order3 = "SO-10003"
)

func pick(line int, sku string, picked int) domain.PickLine {
	return domain.PickLine{TaskID: task3, Line: line, SKU: sku, Picked: picked, Tote: "T00001"}
}

func short(line int, sku string, n int, reason domain.ShortReason) domain.PickLine {
	return domain.PickLine{TaskID: task3, Line: line, SKU: sku, Short: n, Reason: reason, Tote: "T00001"}
}

func TestIngestRules(t *testing.T) {
	f := newFixture(t, demoSite(t))
	require.Equal(t, task3, f.claim("u1001").Task.ID)
	require.Equal(t, "T-SO-10004", f.claim("u1002").Task.ID)

	steps := []struct {
		name string
		ev   domain.Event
		code string // "" means applied
	}{
		{"start unknown task", f.ev("e1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: "T-NOPE", Tote: "T00001"}), api.CodeNotFound},
		{"start someone else's task", f.ev("e2", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: task3, Tote: "T00001"}), api.CodeTaskNotHeld},
		{"start without tote", f.ev("e3", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3}), api.CodeBadRequest},
		{"start", f.ev("e4", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"}), ""},
		{"unknown line", f.ev("e5", domain.EventLinePicked, "u1001", pick(99, "MK-0100", 1)), api.CodeUnknownLine},
		{"wrong item", f.ev("e6", domain.EventLinePicked, "u1001", pick(5, "SF-0310", 1)), api.CodeUnknownItem},
		{"over quantity", f.ev("e7", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 21)), api.CodeOverQuantity},
		{"negative", f.ev("e8", domain.EventLinePicked, "u1001", pick(5, "MK-0100", -1)), api.CodeBadRequest},
		{"picked with short", f.ev("e9", domain.EventLinePicked, "u1001", domain.PickLine{TaskID: task3, Line: 5, SKU: "MK-0100", Picked: 1, Short: 1}), api.CodeBadRequest},
		{"short without reason", f.ev("e10", domain.EventLineShorted, "u1001", short(5, "MK-0100", 1, "")), api.CodeBadRequest},
		{"line picked by another user", f.ev("e11", domain.EventLinePicked, "u1002", pick(5, "MK-0100", 1)), api.CodeTaskNotHeld},
		{"unknown type", f.ev("e12", "pick.line_juggled", "u1001", pick(5, "MK-0100", 1)), api.CodeBadRequest},
		{"payload not an object", f.ev("e13", domain.EventLinePicked, "u1001", "five"), api.CodeBadRequest},
		{"pick part", f.ev("e14", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 15)), ""},
		{"pick too many after part", f.ev("e15", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 6)), api.CodeOverQuantity},
		{"short the rest", f.ev("e16", domain.EventLineShorted, "u1001", short(5, "MK-0100", 5, domain.ShortDamaged)), ""},
		{"nothing left on line", f.ev("e17", domain.EventLineShorted, "u1001", short(5, "MK-0100", 1, domain.ShortQty)), api.CodeOverQuantity},
		{"pick whole line", f.ev("e18", domain.EventLinePicked, "u1001", pick(4, "SF-0310", 8)), ""},
		{"complete by another user", f.ev("e19", domain.EventTaskCompleted, "u1002", domain.TaskCompleted{TaskID: task3}), api.CodeTaskNotHeld},
	}
	for _, s := range steps {
		r := f.send(s.ev)[0]
		if s.code == "" {
			assert.Equal(t, api.StatusApplied, r.Status, "%s: %s", s.name, r.Message)
			continue
		}
		assert.Equal(t, api.StatusRejected, r.Status, s.name)
		assert.Equal(t, s.code, r.Code, "%s: %s", s.name, r.Message)
		assert.NotEmpty(t, r.Message, s.name)
	}

	task := f.task(task3)
	assert.Equal(t, domain.TaskInProgress, task.Status)
	assert.Equal(t, "T00001", task.Tote)
	assert.Equal(t, domain.TaskLine{Line: 5, SKU: "MK-0100", Location: "A-04-04", Qty: 20, Picked: 15, Short: 5, Done: true}, task.Lines[0])
	assert.Equal(t, domain.TaskLine{Line: 4, SKU: "SF-0310", Location: "B-01-02", Qty: 8, Picked: 8, Done: true}, task.Lines[1])
	assert.False(t, task.Lines[2].Done)
	order := f.order(order3)
	assert.Equal(t, domain.OrderPicking, order.Status)
	assert.Equal(t, domain.OrderLine{Line: 5, SKU: "MK-0100", Qty: 20, Picked: 15, Short: 5}, order.Lines[4])
	assert.Equal(t, domain.OrderLine{Line: 4, SKU: "SF-0310", Qty: 8, Picked: 8}, order.Lines[3])

	bos, err := f.client.Backorders(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []domain.Backorder{{OrderID: order3, Line: 5, SKU: "MK-0100", Qty: 5, Reason: domain.ShortDamaged,
		TaskID: task3, UserID: "u1001", DeviceID: testDevice}}, bos)
	mine, err := f.client.OrderBackorders(ctx(t), order3)
	require.NoError(t, err)
	assert.Equal(t, bos, mine)
	other, err := f.client.OrderBackorders(ctx(t), "SO-10004")
	require.NoError(t, err)
	assert.Empty(t, other)

	// Completing the order's only task makes the order picked; the task is then closed to events.
	r := f.send(f.ev("e20", domain.EventTaskCompleted, "u1001", domain.TaskCompleted{TaskID: task3, Tote: "T00001"}))[0]
	require.Equal(t, api.StatusApplied, r.Status, r.Message)
	assert.Equal(t, domain.TaskDone, f.task(task3).Status)
	assert.Equal(t, domain.OrderPicked, f.order(order3).Status)
	r = f.send(f.ev("e21", domain.EventLinePicked, "u1001", pick(3, "SF-0201", 1)))[0]
	assert.Equal(t, api.CodeTaskNotHeld, r.Code)
	assert.Equal(t, domain.OrderPicked, f.order(order3).Status)
	// The user is free for the next task.
	assert.NotEqual(t, task3, f.claim("u1001").Task.ID)
}

func TestIngestCancelledOrder(t *testing.T) {
	site := demoSite(t)
	site.Orders[0].Status = domain.OrderCancelled // SO-10001
	f := newFixture(t, site)
	assert.Equal(t, domain.TaskCancelled, f.task("T-SO-10001").Status)
	r := f.send(f.ev("c1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: "T-SO-10001", Tote: "T00009"}))[0]
	assert.Equal(t, api.CodeOrderCancelled, r.Code, r.Message)
	for range len(site.Orders) - 1 {
		c := f.claim("u1003")
		assert.NotEqual(t, "T-SO-10001", c.Task.ID, "a cancelled order's task is never handed out")
		f.send(f.ev("done-"+c.Task.ID, domain.EventTaskCompleted, "u1003", domain.TaskCompleted{TaskID: c.Task.ID}))
	}
	_, err := f.client.ClaimTask(ctx(t), "u1003")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNoTask)
}

func TestIngestIdempotent(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim("u1001")
	batch := []domain.Event{
		f.ev("i1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00002"}),
		f.ev("i2", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 12)),
		f.ev("i3", domain.EventLineShorted, "u1001", short(5, "MK-0100", 3, domain.ShortNotFound)),
		f.ev("i4", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 50)), // over quantity
		f.ev("i2", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 12)), // repeated inside the batch
	}
	statuses := func(rs []api.EventResult) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Status+"/"+r.Code)
		}
		return out
	}
	first := f.send(batch...)
	assert.Equal(t, []string{"applied/", "applied/", "applied/", "rejected/over_quantity", "duplicate/"}, statuses(first))

	check := func() {
		t.Helper()
		line := f.task(task3).Lines[0]
		assert.Equal(t, 12, line.Picked)
		assert.Equal(t, 3, line.Short)
		assert.Equal(t, 12, f.order(order3).Lines[4].Picked)
		bos, err := f.client.Backorders(ctx(t))
		require.NoError(t, err)
		assert.Len(t, bos, 1)
	}
	check()
	again := f.send(batch...)
	assert.Equal(t, []string{"duplicate/", "duplicate/", "duplicate/", "rejected/over_quantity", "duplicate/"}, statuses(again))
	assert.Equal(t, first[3].Message, again[3].Message, "a repeated rejection answers the same")
	check()

	// The dedup records live in the file: they survive a restart.
	f.reopen()
	assert.Equal(t, statuses(again), statuses(f.send(batch...)))
	check()

	// A rejection is final even when the event would now be allowed.
	early := f.ev("i5", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: "T-SO-10004", Tote: "T00003"})
	assert.Equal(t, api.CodeTaskNotHeld, f.send(early)[0].Code)
	require.Equal(t, "T-SO-10004", f.claim("u1002").Task.ID)
	assert.Equal(t, api.CodeTaskNotHeld, f.send(early)[0].Code)
	assert.Equal(t, domain.TaskClaimed, f.task("T-SO-10004").Status)

	// The same event id from another device is another event, not a
	// duplicate: judged on its own, it is refused, as the task is held
	// through gun-01.
	reg, err := f.anon.Register(ctx(t), api.RegisterRequest{DeviceID: "gun-02", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	other := sealed(t, "gun-02", 1, "i1", domain.EventLinePicked, "u1001", pick(1, "GL-7731", 1))
	res, err := f.anon.WithToken(reg.Token).SendEvents(ctx(t), api.IngestRequest{DeviceID: "gun-02", Events: []domain.Event{other}})
	require.NoError(t, err)
	assert.Equal(t, api.StatusRejected, res.Results[0].Status, res.Results[0].Message)
	assert.Equal(t, api.CodeTaskNotHeld, res.Results[0].Code, res.Results[0].Message)
}

func TestIngestOtherDeviceForbidden(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim("u1001")
	start := f.ev("x1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"})
	_, err := f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: "gun-99", Events: []domain.Event{start}})
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	forged := sealed(t, "gun-99", 1, "x2", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"})
	_, err = f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{start, forged}})
	requireAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	assert.Equal(t, domain.TaskClaimed, f.task(task3).Status, "nothing of a refused batch is applied")
}

// post sends a raw body with the fixture's token.
func (f *fixture) post(path, contentType string, body io.Reader) (int, api.ErrorBody) {
	f.t.Helper()
	req, err := http.NewRequestWithContext(ctx(f.t), http.MethodPost, f.srv.URL+path, body)
	require.NoError(f.t, err)
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.Header.Set("Content-Type", contentType)
	resp, err := f.srv.Client().Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	assert.Equal(f.t, "application/json", resp.Header.Get("Content-Type"))
	var eb api.ErrorBody
	if resp.StatusCode >= 300 {
		require.NoError(f.t, json.NewDecoder(resp.Body).Decode(&eb))
	}
	return resp.StatusCode, eb
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t, demoSite(t))
	for name, body := range map[string]string{
		"garbage":       "{not json",
		"truncated":     `{"device_id":"gun-01","events":[`,
		"wrong type":    `{"device_id":"gun-01","events":{}}`,
		"trailing data": `{"device_id":"gun-01","events":[]} {}`,
		"empty":         "",
	} {
		status, eb := f.post("/v1/events", "application/json", strings.NewReader(body))
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.Equal(t, api.CodeBadRequest, eb.Error.Code, name)
		assert.NotEmpty(t, eb.Error.Message, name)
	}
	big := bytes.Repeat([]byte(" "), 5<<20)
	status, eb := f.post("/v1/login", "application/json", bytes.NewReader(big))
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, api.CodeBadRequest, eb.Error.Code)

	status, eb = f.post("/v1/nowhere", "application/json", strings.NewReader("{}"))
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, api.CodeNotFound, eb.Error.Code)

	// After all that the hub still works and nothing was applied.
	assert.Equal(t, domain.TaskOpen, f.task(task3).Status)
	res, err := f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice})
	require.NoError(t, err)
	assert.Empty(t, res.Results)
}
