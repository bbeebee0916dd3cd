package session_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// leakOptions ignores the goroutines of HTTP keep-alive connections, which
// belong to the hub client shared by every session, not to a session.
func leakOptions(before goleak.Option) []goleak.Option {
	return []goleak.Option{before,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
	}
}

// TestTakeOver: the same badge logs in on a second terminal of the process.
// The second takes the pick over at the step it was left; the first is
// logged out and told where the work went, and it can save nothing more.
func TestTakeOver(t *testing.T) {
	r := newRig(t)
	leases := session.NewLeases()
	cfg := func(name string) session.Config {
		return session.Config{Rules: r.rules, Demo: true, Log: r.log, Timeout: 10 * time.Second, Name: name, Leases: leases}
	}
	gun1 := session.New(r.ctx, cfg("gun-1"), r.dev.Hub, r.dev.Store, r.dev.Sender)
	gun2 := session.New(r.ctx, cfg("gun-2"), r.dev.Hub, r.dev.Store, r.dev.Sender)
	t.Cleanup(gun1.Close)
	t.Cleanup(gun2.Close)

	send(t, gun1, text("U1001"))
	v := send(t, gun1, text("1"))
	send(t, gun1, text(v.Prompt.Scan)) // tote
	v = send(t, gun1, text(gun1.View().Prompt.Scan))
	require.Equal(t, flow.StepItem, v.Step)
	task := v.TaskID

	v = send(t, gun2, text("U1001"))
	require.Equal(t, session.ModePick, v.Mode, "%+v", v.Prompt.Problem)
	assert.Equal(t, task, v.TaskID)
	assert.Equal(t, flow.StepItem, v.Step, "taken over at the step it was left")

	require.True(t, eventually(func() bool { return gun1.View().Prompt.Problem != nil }), "the first terminal is told")
	v = gun1.View()
	assert.Equal(t, "LOGGED IN ELSEWHERE", v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, "gun-2")
	send(t, gun1, text(""))
	assert.Equal(t, session.ModeLogin, gun1.View().Mode)

	// The second terminal carries on; the first one's badge takes it back.
	v = send(t, gun2, text(v.Prompt.Scan))
	send(t, gun1, text("U1001"))
	require.True(t, eventually(func() bool { return gun2.View().Prompt.Problem != nil }))
	assert.Equal(t, session.ModePick, gun1.View().Mode)
	assert.Equal(t, task, gun1.View().TaskID)
}

// TestAStaleSessionCannotSave: a session whose user's work went to another
// terminal between two inputs saves nothing over the new holder's work.
func TestAStaleSessionCannotSave(t *testing.T) {
	r := newRig(t)
	leases := session.NewLeases()
	cfg := session.Config{Rules: r.rules, Demo: true, Log: r.log, Timeout: 10 * time.Second, Leases: leases}
	gun1 := session.New(r.ctx, cfg, r.dev.Hub, r.dev.Store, r.dev.Sender)
	t.Cleanup(gun1.Close)
	send(t, gun1, text("U1001"))
	v := send(t, gun1, text("1"))
	send(t, gun1, text(v.Prompt.Scan)) // tote
	loc := gun1.View().Prompt.Scan

	gun2 := session.New(r.ctx, cfg, r.dev.Hub, r.dev.Store, r.dev.Sender)
	t.Cleanup(gun2.Close)
	send(t, gun2, text("U1001"))
	// gun1 has not heard yet (its takeover notice runs in the background):
	// whatever it takes now must not be saved.
	gun1.Handle(text(loc))
	require.True(t, eventually(func() bool { return gun1.View().Mode == session.ModeLogin }))
	var saved flow.Pick
	found, err := r.dev.Store.LoadWork("pick/u1001", &saved)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, flow.StepLocation, saved.Step, "the saved pick is where gun-2 found it")
}

// TestManySessionsOneStore: a hundred sessions of one process share one
// store and sender; each user logs in and sees their own menu; after Close
// on all of them no goroutine of theirs is left.
func TestManySessionsOneStore(t *testing.T) {
	const n = 100
	site, err := demodata.Site()
	require.NoError(t, err)
	for i := range n {
		site.Users = append(site.Users, domain.User{ID: fmt.Sprintf("u%d", 2000+i), Name: fmt.Sprintf("Picker %d", i), Badge: fmt.Sprintf("U%d", 2000+i), Role: domain.RoleOperator})
	}
	rules, err := demodata.Rules()
	require.NoError(t, err)
	dir := t.TempDir()
	log := testLog(t, dir)
	hub, err := demo.StartHub(filepath.Join(dir, "hub.db"), site, log)
	require.NoError(t, err)
	t.Cleanup(func() { hub.Shutdown(context.Background()) })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dev, err := device.Open(ctx, filepath.Join(dir, "device.db"), "edge-1", hub.URL(), site.EnrollKey, fastSender(), log)
	require.NoError(t, err)
	t.Cleanup(func() { dev.Close() })
	go dev.Sender.Run(ctx)

	// Every session watches the station's print spool: Close must stop that too.
	sp, err := spool.Open(dev.Store.DB(), printer.New("127.0.0.1:9"), nil, log)
	require.NoError(t, err)

	before := goleak.IgnoreCurrent()
	leases := session.NewLeases()
	sessions := make([]*session.Session, n)
	for i := range sessions {
		sessions[i] = session.New(ctx, session.Config{Rules: rules, Log: log, Timeout: 10 * time.Second, Leases: leases, Printer: sp, Name: fmt.Sprintf("gun-%d", i)},
			dev.Hub, dev.Store, dev.Sender)
		sessions[i].Handle(text(fmt.Sprintf("U%d", 2000+i)))
	}
	for i, s := range sessions {
		require.True(t, eventually(func() bool { return s.View().Mode == session.ModeMenu }), "session %d: %+v", i, s.View().Prompt)
		assert.Equal(t, fmt.Sprintf("Picker %d", i), s.View().Status.User)
	}
	// The hub refuses one step of each user's: each user is told of their
	// own, counts their own, and lists only their own.
	for i := range sessions {
		d := domain.NewDraft(domain.EventTaskStarted, time.Now(), fmt.Sprintf("u%d", 2000+i), domain.TaskStarted{TaskID: fmt.Sprintf("T-NONE-%d", i), Tote: "T00001"})
		_, err := dev.Store.Commit("", nil, []domain.Draft{d})
		require.NoError(t, err)
	}
	dev.Sender.Kick()
	require.True(t, eventually(func() bool { return dev.Sender.Status().Attention == n }), "the hub refuses every one")
	for i, s := range sessions {
		require.True(t, eventually(func() bool { return s.View().Status.Attention == 1 }), "session %d counts %d", i, s.View().Status.Attention)
		// The sender tells its listeners one after the other: wait for this one.
		require.True(t, eventually(func() bool { return s.View().Prompt.Problem != nil }), "session %d is told", i)
		v := s.View()
		assert.Equal(t, "HUB REFUSED A STEP", v.Prompt.Problem.Title)
		send(t, s, text(""))
		v = send(t, s, text("7"))
		require.Equal(t, "ATTENTION 1/1", v.Prompt.Title, "session %d", i)
		assert.Contains(t, fieldValue(v.Prompt, "Step"), fmt.Sprintf("T-NONE-%d ", i))
	}
	for _, s := range sessions {
		s.Close()
	}
	for i, s := range sessions {
		assert.True(t, s.Handle(text("1")).Refused, "session %d takes nothing once closed", i)
	}
	goleak.VerifyNone(t, leakOptions(before)...)
}

// fieldValue is the value of a prompt's field, "" when it has none.
func fieldValue(p flow.Prompt, label string) string {
	for _, f := range p.Fields {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

// TestLogoutFromOutside: an idle hosted session is logged out with its work
// saved; the next login resumes it.
func TestLogoutFromOutside(t *testing.T) {
	r := newRig(t)
	gun := session.New(r.ctx, session.Config{Rules: r.rules, Demo: true, Log: r.log, Timeout: 10 * time.Second}, r.dev.Hub, r.dev.Store, r.dev.Sender)
	t.Cleanup(gun.Close)
	send(t, gun, text("U1001"))
	v := send(t, gun, text("1"))
	send(t, gun, text(v.Prompt.Scan)) // tote
	v = send(t, gun, text(gun.View().Prompt.Scan))
	require.Equal(t, flow.StepItem, v.Step)

	gun.Logout("LOGGED OUT", "Idle for 30m0s.")
	v = gun.View()
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "LOGGED OUT", v.Prompt.Problem.Title)
	send(t, gun, text(""))
	assert.Equal(t, session.ModeLogin, gun.View().Mode)
	v = send(t, gun, text("U1001"))
	assert.Equal(t, session.ModePick, v.Mode)
	assert.Equal(t, flow.StepItem, v.Step, "the work was kept")
}
