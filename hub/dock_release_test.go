package hub_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// shortFirst ships SO-10003 (DEMO Ground, trading partner ACME) in two
// cartons and closes LD-0001 with the first on and the second left behind
// ("trailer full"); it returns the two SSCCs.
func (d *dockFixture) shortFirst() []string {
	d.t.Helper()
	so3 := d.ship("SO-10003", 2)
	require.Equal(d.t, "", d.load("LD-0001", so3[0]))
	_, err := d.client.LeadLogin(ctx(d.t), "U1003", demoLeadPIN)
	require.NoError(d.t, err)
	require.Equal(d.t, "", d.close(time.Now(), domain.LoadClosed{LoadID: "LD-0001", Seal: "SEAL-1",
		Short:    []domain.ShortCarton{{SSCC: so3[1], OrderID: "SO-10003"}},
		Override: &domain.LoadOverride{LeadID: "u1003", Reason: string(domain.LoadShortTrailerFull)}}))
	return so3
}

// dockCarton is a carton on the dock list; ok is false when it is not listed.
func (d *dockFixture) dockCarton(sscc string) (api.DockCarton, bool) {
	d.t.Helper()
	dock, err := d.client.Dock(ctx(d.t))
	require.NoError(d.t, err)
	for _, c := range dock.Cartons {
		if c.SSCC == sscc {
			return c, true
		}
	}
	return api.DockCarton{}, false
}

// asnBytes fetches an order's ASN (of loadID; "" for its last load).
func (d *dockFixture) asnBytes(orderID, loadID, format string) []byte {
	d.t.Helper()
	b, err := d.client.LoadASN(ctx(d.t), orderID, loadID, format)
	require.NoError(d.t, err)
	return b
}

// TestShortCartonLoadsOnTheNextLoad: a carton left behind by a short close
// is released: listed with no load, staged in any lane, refused on a load
// of another service (wrong_load) and on the closed one (load_closed); it
// goes onto the next open load of its carrier and service, which plans its
// order there, with only that carton planned. That load closes complete.
// The first load's papers and ASN are unchanged; the order has an ASN per
// load, the last by default, with the partner's next control numbers; the
// exception says where the carton went. The order stays not cancellable.
func TestShortCartonLoadsOnTheNextLoad(t *testing.T) {
	d := newDockFixture(t)
	admin, c, cx := d.admin(), d.client, ctx(t)
	so3 := d.shortFirst()
	left := so3[1]

	first := d.view("LD-0001")
	assert.Equal(t, []string{"SO-10003"}, first.Orders)
	assert.Equal(t, []domain.ShortCarton{{SSCC: left, OrderID: "SO-10003"}}, first.Short)
	dc, ok := d.dockCarton(left)
	require.True(t, ok, "a carton left behind is on the dock list")
	assert.Empty(t, dc.LoadID, "planned on no load")
	_, ok = d.dockCarton(so3[0])
	assert.False(t, ok, "the carton that left is not")
	xs, err := admin.Exceptions(cx)
	require.NoError(t, err)
	require.Len(t, xs, 1)
	assert.Empty(t, xs[0].LoadedOn)

	bol, err := c.LoadDocument(cx, "LD-0001", api.DocBillOfLading, "zpl")
	require.NoError(t, err)
	manifest, err := c.LoadDocument(cx, "LD-0001", api.DocManifest, "csv")
	require.NoError(t, err)
	x12First, edifactFirst := d.asnBytes("SO-10003", "", api.ASNX12), d.asnBytes("SO-10003", "", api.ASNEDIFACT)
	isa, gs, _ := x12Controls(t, x12First)
	assert.Equal(t, []string{"000000001", "1"}, []string{isa, gs})
	assert.NotContains(t, string(x12First), left, "the first ASN is of the carton that left")

	assert.Equal(t, api.CodeWrongLoad, d.load("LD-0002", left), "DEMO Express: not its service")
	assert.Equal(t, api.CodeLoadClosed, d.load("LD-0001", left))
	assert.Equal(t, "", d.stage(left, "STG-02"), "any lane")
	_, err = admin.CancelOrder(cx, "SO-10003", "too late")
	requireAPIError(t, err, http.StatusConflict, api.CodeLoadClosed)

	next, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", Lane: "STG-03", ScheduledAt: early})
	require.NoError(t, err)
	_, err = c.LoadASN(cx, "SO-10003", next.ID, api.ASNX12)
	requireAPIError(t, err, http.StatusConflict, api.CodeNotClosed)
	assert.Equal(t, "", d.load(next.ID, left))
	assert.Equal(t, api.CodeAlreadyLoaded, d.load(next.ID, so3[0]), "the carton that left")
	assert.Equal(t, api.CodeAlreadyLoaded, d.load(next.ID, left))
	v := d.view(next.ID)
	assert.Equal(t, []string{"SO-10003"}, v.Orders, "loading the carton planned its order here")
	assert.Equal(t, []string{left}, ssccsOf(v.Planned), "only the carton left behind is planned")
	assert.Empty(t, v.Missing)
	assert.Equal(t, "", d.close(time.Now(), domain.LoadClosed{LoadID: next.ID}), "complete: no lead needed")
	assert.Equal(t, []domain.ShortCarton{{SSCC: left, OrderID: "SO-10003"}}, d.view("LD-0001").Short, "the first load's record stands")

	again, err := c.LoadDocument(cx, "LD-0001", api.DocBillOfLading, "zpl")
	require.NoError(t, err)
	assert.Equal(t, bol, again, "the first bill of lading is what it carried")
	again, err = c.LoadDocument(cx, "LD-0001", api.DocManifest, "csv")
	require.NoError(t, err)
	assert.Equal(t, manifest, again)
	assert.Equal(t, x12First, d.asnBytes("SO-10003", "LD-0001", api.ASNX12), "the first load's ASN, by load")
	assert.Equal(t, edifactFirst, d.asnBytes("SO-10003", "LD-0001", api.ASNEDIFACT))
	latest := d.asnBytes("SO-10003", "", api.ASNX12)
	assert.Equal(t, latest, d.asnBytes("SO-10003", next.ID, api.ASNX12), "the last load by default")
	isa, gs, _ = x12Controls(t, latest)
	assert.Equal(t, []string{"000000002", "2"}, []string{isa, gs}, "ACME's next numbers")
	assert.Contains(t, string(latest), left)
	assert.NotContains(t, string(latest), so3[0])
	unb, _ := desadvControls(t, d.asnBytes("SO-10003", "", api.ASNEDIFACT))
	assert.Equal(t, "2", unb)
	_, err = c.LoadASN(cx, "SO-10003", "LD-9999", api.ASNX12)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = c.LoadASN(cx, "SO-10003", strings.Repeat("L", 65), api.ASNX12)
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)

	xs, err = admin.Exceptions(cx)
	require.NoError(t, err)
	require.Len(t, xs, 1)
	assert.Equal(t, "LD-0001", xs[0].LoadID)
	assert.Equal(t, next.ID, xs[0].LoadedOn, "resolved: it went on the next load")
	assert.False(t, xs[0].LoadedAt.IsZero())
	_, ok = d.dockCarton(left)
	assert.False(t, ok, "it left")
	_, err = admin.CancelOrder(cx, "SO-10003", "too late")
	requireAPIError(t, err, http.StatusConflict, api.CodeLoadClosed)
}

// TestShortCartonPlannedOnANewLoad: the coordinator may name an order whose
// cartons were left behind on a new load (not one that left whole, nor one
// on an open load): its cartons left behind are planned there, go to that
// load's lane and onto no other load; a load closed without them has its
// order on no load again.
func TestShortCartonPlannedOnANewLoad(t *testing.T) {
	d := newDockFixture(t)
	admin, c, cx := d.admin(), d.client, ctx(t)
	so7 := d.ship("SO-10007", 1) // DEMO Ground: LD-0001, whole
	require.Equal(t, "", d.load("LD-0001", so7[0]))
	so3 := d.shortFirst()
	left := so3[1]

	req := api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", Lane: "STG-03", ScheduledAt: early}
	whole := req
	whole.Orders = []string{"SO-10007"}
	_, err := admin.CreateLoad(cx, whole)
	requireAPIError(t, err, http.StatusConflict, api.CodeWrongLoad)
	req.Orders = []string{"SO-10003"}
	planned, err := admin.CreateLoad(cx, req)
	require.NoError(t, err)
	assert.Equal(t, []string{left}, ssccsOf(planned.Planned))
	assert.Equal(t, []string{left}, ssccsOf(planned.Missing))
	_, err = admin.CreateLoad(cx, req)
	requireAPIError(t, err, http.StatusConflict, api.CodeWrongLoad)
	dc, ok := d.dockCarton(left)
	require.True(t, ok)
	assert.Equal(t, planned.ID, dc.LoadID)
	assert.Contains(t, d.loadChanges(), "load_created "+planned.ID+" ")

	other, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-04", ScheduledAt: early})
	require.NoError(t, err)
	assert.Equal(t, api.CodeWrongLoad, d.stage(left, "STG-01"), "its load's lane is STG-03")
	assert.Equal(t, api.CodeWrongLoad, d.load(other.ID, left), "planned on "+planned.ID)
	assert.Equal(t, "", d.stage(left, "STG-03"))

	// Closed without it (a lead's leave again): released once more.
	require.Equal(t, "", d.close(time.Now(), domain.LoadClosed{LoadID: planned.ID, Short: []domain.ShortCarton{{SSCC: left, OrderID: "SO-10003"}},
		Override: &domain.LoadOverride{LeadID: "u1003", Reason: string(domain.LoadShortNotFound)}}))
	dc, ok = d.dockCarton(left)
	require.True(t, ok)
	assert.Empty(t, dc.LoadID)
	_, err = c.LoadASN(cx, "SO-10003", planned.ID, api.ASNX12)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	assert.Equal(t, "", d.load(other.ID, left))
	xs, err := admin.Exceptions(cx)
	require.NoError(t, err)
	require.Len(t, xs, 2, "one per short close")
	for _, x := range xs {
		assert.Equal(t, other.ID, x.LoadedOn)
	}
}
