package session_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/session"
)

// TestSiteLanesAndDoorsFromTheList: the dock list names the site's lanes
// and doors; offline, the list as kept refuses a lane the site does not
// have before the hub could (it refuses it not_found), and a code that is
// no door of the site nor a load, while a lane of the site stages.
func TestSiteLanesAndDoorsFromTheList(t *testing.T) {
	d := newDockRig(t)
	nlx := d.ship.Ship("SO-10002", 1) // NLX Parcel: no load, any lane
	s := d.s
	send(t, s, text("U1001"))
	v := send(t, s, text("10"))
	require.Equal(t, "STAGE", v.Prompt.Title, "%+v", v.Prompt.Problem)
	list, found, err := d.dev.Store.Cache.CachedDock()
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, []string{"STG-01", "STG-02", "STG-03", "STG-04"}, list.Lanes)
	assert.Equal(t, []string{"DOOR-01", "DOOR-02", "DOOR-03", "DOOR-04"}, list.Doors)
	assert.Equal(t, api.CodeNotFound, d.ship.Try(domain.EventCartonStaged, "u1001", domain.CartonStaged{SSCC: nlx[0], OrderID: "SO-10002", Lane: "STG-09"}),
		"the hub refuses a lane it does not have")

	require.NoError(t, d.hub.Stop())
	send(t, s, text(nlx[0]))
	v = send(t, s, text("STG-09"))
	require.NotNil(t, v.Prompt.Problem, "the terminal took lane STG-09")
	assert.Equal(t, "UNKNOWN LANE", v.Prompt.Problem.Title)
	send(t, s, text(""))
	v = send(t, s, text("STG-04"))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)

	send(t, s, act(session.ActMenu))
	v = send(t, s, text("11"))
	require.Equal(t, "LOAD", v.Prompt.Title, "%+v", v.Prompt.Problem)
	v = send(t, s, text("DOOR-09"))
	require.NotNil(t, v.Prompt.Problem, "the terminal took door DOOR-09")
	assert.Equal(t, "UNKNOWN DOOR", v.Prompt.Problem.Title)
	send(t, s, text(""))
	v = send(t, s, text("DOOR-04"))
	require.NotNil(t, v.Prompt.Problem, "door DOOR-04 has no open load")
	assert.Equal(t, "UNKNOWN LOAD", v.Prompt.Problem.Title)

	require.NoError(t, d.hub.Start())
	d.dev.Sender.Kick()
	d.delivered()
}
