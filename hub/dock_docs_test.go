package hub_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
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
	assert.Equal(t, "sscc", recs[0][0])
	assert.Equal(t, []string{so3[0], so3[1], so4[0]}, []string{recs[1][0], recs[2][0], recs[3][0]}, "in the order loaded")
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
