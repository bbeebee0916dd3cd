package session_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// rig is a real hub, a real device store and sender, and sessions on them.
type rig struct {
	t     *testing.T
	dir   string
	site  domain.Site
	rules *barcode.Rules
	hub   *demo.Hub
	dev   *device.Device
	log   *slog.Logger
	ctx   context.Context
	stop  context.CancelFunc

	senderCfg sender.SenderConfig
}

func newRig(t *testing.T) *rig {
	site, err := demodata.Site()
	require.NoError(t, err)
	rules, err := demodata.Rules()
	require.NoError(t, err)
	dir := t.TempDir()
	log := testLog(t, dir)
	hub, err := demo.StartHub(filepath.Join(dir, "hub.db"), site, log)
	require.NoError(t, err)
	r := &rig{t: t, dir: dir, site: site, rules: rules, hub: hub, log: log, senderCfg: fastSender()}
	r.openDevice()
	t.Cleanup(func() {
		r.closeDevice()
		hub.Shutdown(context.Background())
	})
	return r
}

// testLog logs to a file in dir, closed when the test ends.
func testLog(t *testing.T, dir string) *slog.Logger {
	f, err := os.Create(filepath.Join(dir, "test.log"))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return slog.New(slog.NewTextHandler(f, nil))
}

// fastSender retries quickly, for tests.
func fastSender() sender.SenderConfig {
	return sender.SenderConfig{Backoff: sender.Backoff{Base: 10 * time.Millisecond, Max: 100 * time.Millisecond}, Probe: 50 * time.Millisecond}
}

func (r *rig) openDevice() {
	r.ctx, r.stop = context.WithCancel(context.Background())
	dev, err := device.Open(r.ctx, filepath.Join(r.dir, "device.db"), "gun-s", r.hub.URL(), r.site.EnrollKey, r.senderCfg, r.log)
	require.NoError(r.t, err)
	r.dev = dev
	go dev.Sender.Run(r.ctx)
	go dev.Puller.Run(r.ctx)
}

func (r *rig) closeDevice() {
	if r.dev != nil {
		r.stop()
		r.dev.Close()
		r.dev = nil
	}
}

func (r *rig) session() *session.Session {
	s := session.New(r.ctx, session.Config{Rules: r.rules, Notices: r.dev.Puller, Demo: true, DemoBadge: "U1001", Log: r.log, Timeout: 10 * time.Second},
		r.dev.Hub, r.dev.Store, r.dev.Sender)
	return s
}

// send gives an input and waits until the session is not busy any more.
func send(t *testing.T, s *session.Session, in flow.Input) session.View {
	t.Helper()
	s.Handle(in)
	var v session.View
	require.True(t, eventually(func() bool { v = s.View(); return v.Mode != session.ModeBusy }), "session stays busy")
	return v
}

func text(s string) flow.Input { return flow.TextInput(s, time.Now()) }

func eventually(cond func() bool) bool {
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond) // polling a condition, with a deadline
	}
	return true
}

// followHints answers each step with its demo hint until the task is done.
func followHints(t *testing.T, s *session.Session) {
	t.Helper()
	for i := 0; i < 100; i++ {
		v := s.View()
		if v.Step == flow.StepDone {
			return
		}
		require.Nil(t, v.Prompt.Problem, "at %s", v.Step)
		require.NotEmpty(t, v.Prompt.Scan, "at %s", v.Step)
		send(t, s, text(v.Prompt.Scan))
	}
	t.Fatal("task never finished")
}

func TestLoginClaimAndPickOnline(t *testing.T) {
	r := newRig(t)
	s := r.session()
	v := send(t, s, text("U1002"))
	require.Equal(t, session.ModeMenu, v.Mode, "%+v", v.Prompt.Problem)
	v = send(t, s, text("1"))
	require.Equal(t, session.ModePick, v.Mode)
	require.Equal(t, flow.StepTote, v.Step)
	followHints(t, s)
	taskID := s.View().TaskID
	require.True(t, eventually(func() bool {
		task, err := r.hub.Store().Task(t.Context(), taskID)
		return err == nil && task.Status == domain.TaskDone
	}))
	assert.True(t, eventually(func() bool { st := s.View().Status; return st.Online && st.Queued == 0 }))
}

func TestSessionProblems(t *testing.T) {
	r := newRig(t)
	s := r.session()
	v := send(t, s, text("A-01-01"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "NOT A BADGE", v.Prompt.Problem.Title)
	alarms := v.Alarms
	v = send(t, s, text("U1001"))
	assert.Equal(t, session.ModeLogin, v.Mode, "refused until acknowledged")
	assert.Greater(t, v.Alarms, alarms)
	send(t, s, text(""))
	v = send(t, s, text("U4242"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "UNKNOWN BADGE", v.Prompt.Problem.Title)
	send(t, s, text(""))
	v = send(t, s, text("U1001"))
	require.Equal(t, session.ModeMenu, v.Mode)
	v = send(t, s, text("8"))
	assert.Equal(t, "NOT ON THE MENU", v.Prompt.Problem.Title)
	send(t, s, text(""))
	v = send(t, s, flow.ActionInput(session.ActLogout, time.Now()))
	assert.Equal(t, session.ModeLogin, v.Mode)
}

// TestOfflinePick: the hub goes away mid-task; picking carries on from the
// cached task, every step queued on disk; the hub comes back and holds every
// event exactly once.
func TestOfflinePick(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	require.Equal(t, flow.StepTote, v.Step)
	taskID := v.TaskID
	send(t, s, text(v.Prompt.Scan)) // tote, delivered online
	require.True(t, eventually(func() bool { return s.View().Status.Queued == 0 }))

	require.NoError(t, r.hub.Stop())
	r.dev.Sender.Kick()
	followHints(t, s)
	require.True(t, eventually(func() bool { return !s.View().Status.Online }), "status shows offline")
	queued := s.View().Status.Queued
	assert.Greater(t, queued, 1, "every line and the completion are queued")
	offlineEvents, err := r.dev.Store.Pending(1000, 1<<30)
	require.NoError(t, err)
	require.Len(t, offlineEvents, queued)

	// Offline, the next task waits for the queue to reach the hub; a known badge still logs in.
	v = send(t, s, text(""))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "NOT SENT YET", v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, fmt.Sprintf("%d step(s)", queued))
	send(t, s, text(""))
	v = send(t, s, text("0"))
	require.Equal(t, session.ModeLogin, v.Mode)
	v = send(t, s, text("U1001"))
	require.Equal(t, session.ModeMenu, v.Mode)
	assert.True(t, v.Status.OfflineLogin)

	require.NoError(t, r.hub.Restart()) // a hub process restarted, its data reopened
	r.dev.Sender.Kick()
	require.True(t, eventually(func() bool { st := s.View().Status; return st.Online && st.Queued == 0 }), "queue drains once the hub is back")

	task, err := r.hub.Store().Task(t.Context(), taskID)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskDone, task.Status)
	for _, l := range task.Lines {
		assert.Equal(t, l.Qty, l.Picked, "line %d picked exactly once", l.Line)
	}

	// Delivering the same events again changes nothing: the hub already has each one.
	resp, err := r.dev.Client.SendEvents(context.Background(), api.IngestRequest{DeviceID: "gun-s", Events: offlineEvents})
	require.NoError(t, err)
	for _, res := range resp.Results {
		assert.Equal(t, api.StatusDuplicate, res.Status, "event %d", res.Seq)
	}
	again, err := r.hub.Store().Task(t.Context(), taskID)
	require.NoError(t, err)
	assert.Equal(t, task, again)
}

// TestResumeAfterRestart: the device restarts mid-line (a crash, a dead
// battery); the picker logs in again and is back at the same step, even with
// the hub down.
func TestResumeAfterRestart(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	send(t, s, text(v.Prompt.Scan))            // tote
	v = send(t, s, text(s.View().Prompt.Scan)) // location
	require.Equal(t, flow.StepItem, v.Step, "%+v", v)
	before := v.Prompt

	r.closeDevice()
	require.NoError(t, r.hub.Stop())
	r.openDevice() // enrolled already: no hub needed

	s = r.session()
	v = send(t, s, text("U1001"))
	require.Equal(t, session.ModePick, v.Mode, "%+v", v.Prompt.Problem)
	assert.True(t, v.Status.OfflineLogin)
	assert.Equal(t, flow.StepItem, v.Step)
	assert.Equal(t, before, v.Prompt)
}

// TestNextTaskWaitsForTheQueue: a task finished offline is still in progress
// on the hub until its events arrive. Asking for the next task the moment the
// hub is back must not hand the same task out again to be picked twice: the
// session has its queue delivered first.
func TestNextTaskWaitsForTheQueue(t *testing.T) {
	r := newRig(t)
	r.closeDevice()
	// A sender that, once it has failed, waits long unless kicked.
	r.senderCfg = sender.SenderConfig{Backoff: sender.Backoff{Base: time.Minute, Max: time.Minute}, Probe: time.Minute}
	r.openDevice()
	s := r.session()
	send(t, s, text("U1001"))
	v := send(t, s, text("1"))
	first := v.TaskID
	require.NoError(t, r.hub.Stop())
	followHints(t, s)
	require.True(t, eventually(func() bool { return s.View().Status.Queued > 0 }))
	require.NoError(t, r.hub.Start())

	v = send(t, s, text("")) // done: next task
	require.Nil(t, v.Prompt.Problem)
	require.Equal(t, session.ModePick, v.Mode)
	assert.NotEqual(t, first, v.TaskID, "the finished task is not handed out again")
	task, err := r.hub.Store().Task(t.Context(), first)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskDone, task.Status)
}

// TestFinishedPickIsNotResumed: a picker who logs out at the done screen
// comes back to the menu, not to a finished task, and the menu offers the
// next task rather than the finished one.
func TestFinishedPickIsNotResumed(t *testing.T) {
	r := newRig(t)
	s := r.session()
	send(t, s, text("U1001"))
	send(t, s, text("1"))
	followHints(t, s)
	order := s.View().OrderID
	send(t, s, flow.ActionInput(session.ActMenu, time.Now()))
	v := send(t, s, text("0"))
	require.Equal(t, session.ModeLogin, v.Mode)
	v = send(t, s, text("U1001"))
	require.Equal(t, session.ModeMenu, v.Mode, "not back into a done screen")
	assert.Contains(t, v.Prompt.Menu, "1 Pick")
	assert.NotContains(t, v.Prompt.Menu, "1 Pick "+order)
}
