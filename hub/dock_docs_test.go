package hub_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/shipdocs"
	"github.com/rfterm/rfterm/shipdocs/edifact"
	"github.com/rfterm/rfterm/shipdocs/x12"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// x12Controls reads an 856 interchange's ISA13, GS06 and ST02.
func x12Controls(t *testing.T, doc []byte) (isa, gs, st string) {
	t.Helper()
	segs, err := x12.Parse(doc)
	require.NoError(t, err)
	for _, s := range segs {
		switch s.ID {
		case "ISA":
			isa = s.Element(13)
		case "GS":
			gs = s.Element(6)
		case "ST":
			st = s.Element(2)
		}
	}
	return isa, gs, st
}

// desadvControls reads a DESADV interchange's UNB 0020 and UNH 0062.
func desadvControls(t *testing.T, doc []byte) (unb, unh string) {
	t.Helper()
	segs, err := edifact.Parse(doc)
	require.NoError(t, err)
	for _, s := range segs {
		switch s.Tag {
		case "UNB":
			unb = s.Value(5, 1)
		case "UNH":
			unh = s.Value(1, 1)
		}
	}
	return unb, unh
}

// The papers of a closed load and the ASNs of its shipments, end to end:
// the control numbers the hub gave each ASN at close, increasing per
// trading partner across loads, each partner on its own.
func TestLoadDocumentsAndASNs(t *testing.T) {
	d := newDockFixture(t)
	admin, c, cx := d.admin(), d.client, ctx(t)
	so3 := d.ship("SO-10003", 2) // DEMO Ground, ACME
	so4 := d.ship("SO-10004", 1) // DEMO Ground, no partner

	_, err := c.LoadDocument(cx, "LD-0001", api.DocBillOfLading, "pdf")
	requireAPIError(t, err, http.StatusConflict, api.CodeNotClosed)
	_, err = c.LoadDocument(cx, "LD-0001", api.DocManifest, "csv")
	requireAPIError(t, err, http.StatusConflict, api.CodeNotClosed)
	_, err = c.ASN(cx, "SO-10003", api.ASNX12)
	requireAPIError(t, err, http.StatusConflict, api.CodeNotClosed)

	for _, s := range append(so3, so4...) {
		require.Equal(t, "", d.load("LD-0001", s))
	}
	require.Equal(t, "", d.close(early, domain.LoadClosed{LoadID: "LD-0001", Seal: "SEAL-1"}))

	pdf, err := c.LoadDocument(cx, "LD-0001", api.DocBillOfLading, "pdf")
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF")), "%.20q", pdf)
	label, err := c.LoadDocument(cx, "LD-0001", api.DocBillOfLading, "zpl")
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(label, []byte("^XA")), "%.20q", label)
	assert.Contains(t, string(label), "LD-0001")
	_, err = c.LoadDocument(cx, "LD-0001", api.DocBillOfLading, "tiff")
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)

	rows, err := c.LoadDocument(cx, "LD-0001", api.DocManifest, "csv")
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(rows)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 4, "a header and the three cartons loaded")
	assert.Equal(t, []string{"load_id", "sscc"}, recs[0][:2])
	assert.Equal(t, []string{so3[0], so3[1], so4[0]}, []string{recs[1][1], recs[2][1], recs[3][1]}, "in the order loaded")
	js, err := c.LoadDocument(cx, "LD-0001", api.DocManifest, "json")
	require.NoError(t, err)
	assert.Contains(t, string(js), `"order_id":"SO-10004"`)

	_, err = c.ASN(cx, "SO-10004", api.ASNX12)
	requireAPIError(t, err, http.StatusConflict, api.CodeNoPartner)
	_, err = c.ASN(cx, "SO-0", api.ASNX12)
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = c.ASN(cx, "SO-10003", "xml")
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)

	asn, err := c.ASN(cx, "SO-10003", api.ASNX12)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(asn, []byte("ISA")), "%.20q", asn)
	isa, gs, st := x12Controls(t, asn)
	assert.Equal(t, []string{"000000001", "1", "0001"}, []string{isa, gs, st})
	assert.Contains(t, string(asn), "ACMERETAIL")
	again, err := c.ASN(cx, "SO-10003", api.ASNX12)
	require.NoError(t, err)
	assert.Equal(t, asn, again, "issued once: the same numbers every time")
	desadv, err := c.ASN(cx, "SO-10003", api.ASNEDIFACT)
	require.NoError(t, err)
	unb, unh := desadvControls(t, desadv)
	assert.Equal(t, []string{"1", "1"}, []string{unb, unh})

	// A second load: ACME's next numbers; NORD's first.
	ld, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03", ScheduledAt: early})
	require.NoError(t, err)
	so7 := d.ship("SO-10007", 1) // DEMO Ground, ACME: the open LD-0003
	nl, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "NLX", Service: "Parcel", Door: "DOOR-04", ScheduledAt: early})
	require.NoError(t, err)
	so11 := d.ship("SO-10011", 1) // NLX Parcel, NORD
	require.Equal(t, "", d.load(ld.ID, so7[0]))
	require.Equal(t, "", d.load(nl.ID, so11[0]))
	require.Equal(t, "", d.close(early, domain.LoadClosed{LoadID: ld.ID}))
	require.Equal(t, "", d.close(early, domain.LoadClosed{LoadID: nl.ID}))

	asn, err = c.ASN(cx, "SO-10007", api.ASNX12)
	require.NoError(t, err)
	isa, gs, _ = x12Controls(t, asn)
	assert.Equal(t, []string{"000000002", "2"}, []string{isa, gs})
	desadv, err = c.ASN(cx, "SO-10007", api.ASNEDIFACT)
	require.NoError(t, err)
	unb, _ = desadvControls(t, desadv)
	assert.Equal(t, "2", unb)
	asn, err = c.ASN(cx, "SO-10011", api.ASNX12)
	require.NoError(t, err)
	isa, _, _ = x12Controls(t, asn)
	assert.Equal(t, "000000001", isa, "NORD's own numbers")

	// The carrier's end of day: both DEMO loads, in the order they closed;
	// NLX's on its own; another day none.
	eod, err := c.CarrierManifest(cx, "DEMO", early, "csv")
	require.NoError(t, err)
	recs, err = csv.NewReader(bytes.NewReader(eod)).ReadAll()
	require.NoError(t, err)
	var got [][2]string
	for _, r := range recs[1:] {
		got = append(got, [2]string{r[0], r[1]})
	}
	assert.Equal(t, [][2]string{{"LD-0001", so3[0]}, {"LD-0001", so3[1]}, {"LD-0001", so4[0]}, {ld.ID, so7[0]}}, got)
	eod, err = c.CarrierManifest(cx, "NLX", early, "json")
	require.NoError(t, err)
	var nlx []shipdocs.ManifestRow
	require.NoError(t, json.Unmarshal(eod, &nlx))
	require.Len(t, nlx, 1)
	assert.Equal(t, shipdocs.ManifestRow{LoadID: nl.ID, SSCC: so11[0], Tracking: so11[0], OrderID: "SO-10011"}, shipdocs.ManifestRow{LoadID: nlx[0].LoadID, SSCC: nlx[0].SSCC, Tracking: nlx[0].Tracking, OrderID: nlx[0].OrderID})
	eod, err = c.CarrierManifest(cx, "DEMO", early.AddDate(0, 0, 1), "json")
	require.NoError(t, err)
	assert.JSONEq(t, "[]", string(eod), "the next day: nothing closed")
	_, err = c.CarrierManifest(cx, "NOPE", early, "json")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	assert.Contains(t, string(asn), "NORDICTRADE")
}

// A closed load's papers and ASNs are still made after its orders moved to
// the archive.
func TestLoadDocumentsAfterArchive(t *testing.T) {
	d := newDockFixture(t)
	c, cx := d.client, ctx(t)
	so3 := d.ship("SO-10003", 2)
	for _, s := range so3 {
		require.Equal(t, "", d.load("LD-0001", s))
	}
	require.Equal(t, "", d.close(early, domain.LoadClosed{LoadID: "LD-0001"}))
	before, err := c.ASN(cx, "SO-10003", api.ASNEDIFACT)
	require.NoError(t, err)
	manifest, err := c.LoadDocument(cx, "LD-0001", api.DocManifest, "csv")
	require.NoError(t, err)

	rep, err := d.store.Maintain(cx, time.Now().Add(365*24*time.Hour))
	require.NoError(t, err)
	require.Positive(t, rep.Orders)
	_, err = c.Shipments(cx)
	require.NoError(t, err)
	after, err := c.ASN(cx, "SO-10003", api.ASNEDIFACT)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	again, err := c.LoadDocument(cx, "LD-0001", api.DocManifest, "csv")
	require.NoError(t, err)
	assert.Equal(t, manifest, again)
	v := d.view("LD-0001")
	assert.Len(t, v.Planned, 2, "planned cartons read from the archive")
	assert.Empty(t, v.Missing)
}

// dockConformance calls every dock route, succeeding and failing, and
// sends every dock event type, after packConformance (seq up to 20) shipped
// order shipped (SO-10003: DEMO Ground, trading partner ACME).
func dockConformance(t *testing.T, c, admin *api.Client, shipped string) {
	cx := ctx(t)
	ignore := func(_ any, _ error) {}
	l, err := admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Express", Door: "DOOR-04", Lane: "STG-04", ScheduledAt: early, PRO: "P-1", Trailer: "T-1"})
	require.NoError(t, err)
	ignore(admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "NOPE", Door: "DOOR-04", ScheduledAt: early}))
	ignore(admin.CreateLoad(cx, api.CreateLoadRequest{ID: l.ID, Carrier: "DEMO", Service: "Express", Door: "DOOR-04", ScheduledAt: early}))
	ignore(admin.CreateLoad(cx, api.CreateLoadRequest{Carrier: "DEMO", Service: "Express", Door: "DOOR-04", ScheduledAt: early, Orders: []string{"SO-0"}}))
	ignore(c.Loads(cx, ""))
	ignore(c.Loads(cx, "shut"))
	ignore(c.Load(cx, "LD-9999"))
	dock, err := c.Dock(cx)
	require.NoError(t, err)
	i := slices.IndexFunc(dock.Cartons, func(dc api.DockCarton) bool { return dc.OrderID == shipped })
	require.GreaterOrEqual(t, i, 0, "%s's carton is at the dock", shipped)
	carton := dock.Cartons[i]
	require.NotEmpty(t, carton.LoadID)
	ignore(c.LoadDocument(cx, carton.LoadID, api.DocBillOfLading, "pdf")) // not closed
	ignore(c.ASN(cx, shipped, api.ASNX12))                                // not closed
	evs := []domain.Event{
		sealed(t, testDevice, 21, "d1", domain.EventCartonStaged, "u1001", domain.CartonStaged{SSCC: "006141410000000017", Lane: "STG-04"}),
		sealed(t, testDevice, 22, "d2", domain.EventCartonLoaded, "u1001", domain.CartonLoaded{LoadID: l.ID, SSCC: "006141410000000017"}),
		sealed(t, testDevice, 23, "d3", domain.EventLoadClosed, "u1001", domain.LoadClosed{LoadID: l.ID, Seal: "S-1"}),
		sealed(t, testDevice, 24, "d4", domain.EventCartonStaged, "u1001", domain.CartonStaged{SSCC: carton.SSCC, OrderID: shipped, Lane: "STG-01"}),
		sealed(t, testDevice, 25, "d5", domain.EventCartonLoaded, "u1001", domain.CartonLoaded{LoadID: carton.LoadID, SSCC: carton.SSCC, OrderID: shipped}),
		sealed(t, testDevice, 26, "d6", domain.EventLoadClosed, "u1001", domain.LoadClosed{LoadID: carton.LoadID, Seal: "S-2"}),
	}
	ignore(c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: evs}))
	ignore(c.Load(cx, carton.LoadID))
	ignore(c.Loads(cx, "closed"))
	ignore(c.Changes(cx, 0, 0))
	ignore(admin.Exceptions(cx))
	for _, f := range []string{"pdf", "zpl", "tiff"} {
		ignore(c.LoadDocument(cx, carton.LoadID, api.DocBillOfLading, f))
	}
	for _, f := range []string{"json", "csv", "xml"} {
		ignore(c.LoadDocument(cx, carton.LoadID, api.DocManifest, f))
	}
	ignore(c.LoadDocument(cx, "LD-9999", api.DocManifest, "json"))
	ignore(c.CarrierManifest(cx, "DEMO", early, "json"))
	ignore(c.CarrierManifest(cx, "DEMO", early, "csv"))
	ignore(c.CarrierManifest(cx, "NOPE", early, "json"))
	for _, f := range []string{api.ASNX12, api.ASNEDIFACT, "xml"} {
		ignore(c.ASN(cx, shipped, f))
	}
	ignore(c.LoadASN(cx, shipped, carton.LoadID, api.ASNX12))
	ignore(c.LoadASN(cx, shipped, "LD-9999", api.ASNX12))
	ignore(c.LoadASN(cx, shipped, l.ID, api.ASNX12)) // a closed load it did not leave on
	ignore(c.ASN(cx, "SO-10001", api.ASNX12))        // no partner
	ignore(c.ASN(cx, "SO-0", api.ASNX12))
}

// documents reports whether an operation documents a response of status
// with media type mt.
func (d *openAPIDoc) documents(method, path string, status int, mt string) error {
	op, err := d.operation(method, path)
	if err != nil {
		return err
	}
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return fmt.Errorf("%s %s: status %d not documented", method, path, status)
	}
	if resp, err = d.deref(resp); err != nil {
		return err
	}
	content, _ := resp["content"].(map[string]any)
	if _, ok := content[mt]; !ok {
		return fmt.Errorf("%s %s: %d %s not documented", method, path, status, mt)
	}
	return nil
}
