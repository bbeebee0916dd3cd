package device_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A count and a return worked with the hub out of reach: the claim and the
// returns list are all the device needs, every step is committed with its
// events, a store closed mid-count (a crash) resumes with its scans, and the
// queued events reach the hub exactly once when the sender runs.
func TestCountAndReturnOfflineThenDelivered(t *testing.T) {
	h := hubtest.StartDemo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := filepath.Join(t.TempDir(), "device.db")
	cfg := sender.SenderConfig{Backoff: sender.Backoff{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond}, Probe: 20 * time.Millisecond}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dev, err := device.Open(ctx, path, "gun-inv", h.URL(), h.Site.EnrollKey, cfg, log)
	require.NoError(t, err)
	rules, err := demodata.Rules()
	require.NoError(t, err)

	// Online: a lead makes a task, Ana claims it, the returns list is cached.
	lead, err := dev.Client.LeadLogin(ctx, "U1003", "4242") // the demo lead's PIN
	require.NoError(t, err)
	_, err = dev.Client.WithLeadSession(lead.Token).CreateCounts(ctx, api.CreateCountsRequest{UserID: "u1003", By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	require.NoError(t, err)
	claim, err := dev.Client.ClaimCount(ctx, "u1001")
	require.NoError(t, err)
	returns, err := dev.Client.Returns(ctx)
	require.NoError(t, err)

	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	in := func(s string) flow.Input { return flow.ScanInput(barcode.NewScan(s, at, "test")) }
	count, err := flow.NewCount(claim.Task, claim.Items, claim.Locations, "u1001")
	require.NoError(t, err)
	step := func(c *flow.Count, input flow.Input) {
		o := c.Handle(flow.Env{Rules: rules}, input)
		require.Nil(t, o.Problem, "%+v", input)
		_, err := dev.Store.Commit("count", c, o.Events)
		require.NoError(t, err)
	}
	step(count, in("A-01-01"))
	step(count, in("5401230041002"))
	step(count, flow.TextInput("20", at))

	// The battery dies: the store is closed and opened again.
	require.NoError(t, dev.Close())
	dev, err = device.Open(ctx, path, "gun-inv", h.URL(), h.Site.EnrollKey, cfg, log)
	require.NoError(t, err)
	defer dev.Close()
	var resumed flow.Count
	found, err := dev.Store.LoadWork("count", &resumed)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, count, &resumed)
	step(&resumed, in("HX-4411"))
	step(&resumed, flow.ActionInput(flow.ActSubmit, at))
	assert.True(t, resumed.Finished())

	// A return received from the cached list, one unit restocked.
	ret, err := flow.NewReturn(returns.RMAs, returns.Items, returns.Locations, "u1001")
	require.NoError(t, err)
	for _, input := range []flow.Input{in("RL00050002"), in("5401230041002"), flow.TextInput("1", at), flow.TextInput("1", at), in("A-01-01"), flow.ActionInput(flow.ActSubmit, at)} {
		o := ret.Handle(flow.Env{Rules: rules}, input)
		require.Nil(t, o.Problem, "%+v", input)
		_, err := dev.Store.Commit("return", ret, o.Events)
		require.NoError(t, err)
	}
	st, err := dev.Store.Stats()
	require.NoError(t, err)
	assert.Equal(t, 2, st.Queued, "one count and one return wait in the outbox")

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { dev.Sender.Run(runCtx); close(done) }()
	require.Eventually(t, func() bool {
		st, err := dev.Store.Stats()
		return err == nil && st.Queued == 0
	}, 10*time.Second, 10*time.Millisecond)
	stop()
	<-done

	task, err := h.Store.CountTask(t.Context(), claim.Task.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskDone, task.Status)
	trail, err := h.Store.Audit(t.Context(), "u1003", hub.AuditFilter{TaskID: claim.Task.ID})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(trail), 2)
	assert.Equal(t, []string{api.AuditCountTaskCreated, api.AuditCount}, []string{trail[0].Kind, trail[1].Kind})
	assert.Equal(t, "gun-inv", trail[1].DeviceID)
	require.Len(t, trail[1].Lines, 1)
	assert.Equal(t, 21, trail[1].Lines[0].After, "20 keyed for the first scan, one more after the restart")
	rma, err := h.Store.Return(t.Context(), "RMA-50002")
	require.NoError(t, err)
	assert.Equal(t, domain.RMAReceived, rma.RMA.Status)
	st, err = dev.Store.Stats()
	require.NoError(t, err)
	assert.Zero(t, st.Attention, "nothing was rejected")
}

// TestOpenLogsAnEmptyStore: a zero-length device store is moved aside and
// the log says so, with the report.
func TestOpenLogsAnEmptyStore(t *testing.T) {
	h := hubtest.StartDemo(t)
	path := filepath.Join(t.TempDir(), "device.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	dev, err := device.Open(context.Background(), path, "gun-empty", h.URL(), h.Site.EnrollKey, sender.SenderConfig{}, log)
	require.NoError(t, err)
	defer dev.Close()
	rec, ok := dev.Store.Recovered()
	require.True(t, ok)
	assert.Contains(t, logged.String(), "device store replaced")
	assert.Contains(t, logged.String(), "empty")
	assert.Contains(t, logged.String(), rec.MovedTo)
}
