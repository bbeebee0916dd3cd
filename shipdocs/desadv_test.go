package shipdocs

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/shipdocs/edifact"
)

// checkDESADV checks a DESADV interchange against the envelope and CPS
// rules and returns its segments.
func checkDESADV(t *testing.T, data []byte) []edifact.Segment {
	t.Helper()
	require.Equal(t, edifact.UNA, string(data[:9]))
	segs, err := edifact.Parse(data)
	require.NoError(t, err)
	n := len(segs)
	require.GreaterOrEqual(t, n, 4)
	unb, unh, unt, unz := segs[0], segs[1], segs[n-2], segs[n-1]
	require.Equal(t, []string{"UNB", "UNH", "UNT", "UNZ"}, []string{unb.Tag, unh.Tag, unt.Tag, unz.Tag})
	assert.Equal(t, edifact.Element{"UNOC", "3"}, unb.Elements[0])
	assert.Equal(t, edifact.Element{"DESADV", "D", "96A", "UN"}, unh.Elements[1])
	assert.Equal(t, strconv.Itoa(n-2), unt.Value(1, 1), "UNT counts UNH…UNT")
	assert.Equal(t, unh.Value(1, 1), unt.Value(2, 1), "UNH ref = UNT ref")
	assert.Equal(t, unb.Value(5, 1), unz.Value(2, 1), "UNB ref = UNZ ref")
	assert.Equal(t, "1", unz.Value(1, 1))
	ids := map[string]bool{}
	next, lins := 1, 0
	for _, s := range segs[2 : n-2] {
		switch s.Tag {
		case "CPS":
			assert.Equal(t, strconv.Itoa(next), s.Value(1, 1), "CPS ids sequential")
			if next == 1 {
				assert.Len(t, s.Elements, 1, "the consignment level has no parent")
			} else {
				assert.True(t, ids[s.Value(2, 1)], "CPS %s: parent %q is an earlier CPS", s.Value(1, 1), s.Value(2, 1))
			}
			ids[s.Value(1, 1)] = true
			next++
		case "LIN":
			lins++
			assert.Equal(t, strconv.Itoa(lins), s.Value(1, 1), "LIN numbered from 1")
		case "CNT":
			assert.Equal(t, edifact.Element{"2", strconv.Itoa(lins)}, s.Elements[0])
		}
	}
	return segs
}

// tagged returns the segments with tag whose first element's first
// component is qual ("" for any).
func tagged(segs []edifact.Segment, tag, qual string) []edifact.Segment {
	var out []edifact.Segment
	for _, s := range segs {
		if s.Tag == tag && (qual == "" || s.Value(1, 1) == qual) {
			out = append(out, s)
		}
	}
	return out
}

func TestDESADVStructure(t *testing.T) {
	b, err := DESADV(fixASN())
	require.NoError(t, err)
	segs := checkDESADV(t, b)
	assert.Len(t, segs[0].Elements, 5, "no test indicator in production")
	assert.Equal(t, "PO-778899", tagged(segs, "RFF", "ON")[0].Value(1, 2))
	assert.Equal(t, "LD-0042", tagged(segs, "RFF", "BM")[0].Value(1, 2))
	assert.Equal(t, "PRO123456789", tagged(segs, "RFF", "CN")[0].Value(1, 2))
	assert.Equal(t, "DMFL", tagged(segs, "TDT", "20")[0].Value(5, 1))
	var got []string
	for _, s := range tagged(segs, "GIN", "") {
		got = append(got, s.Value(1, 1)+" "+s.Value(2, 1))
	}
	assert.Equal(t, []string{"BJ " + ssccA, "BX L2403A", "BX L2403B", "BJ " + ssccB, "BN SN000000101", "BN SN000000102"}, got)
}

func TestDESADVTestIndicator(t *testing.T) {
	a := fixASN()
	a.Sender.Test = true
	b, err := DESADV(a)
	require.NoError(t, err)
	segs := checkDESADV(t, b)
	require.Len(t, segs[0].Elements, 11)
	assert.Equal(t, "1", segs[0].Value(11, 1), "UNB 0035 test indicator")
}

func TestDESADVReleasesHostileData(t *testing.T) {
	const hostile = "A+B:C'D?E"
	a := fixASN()
	a.Shipment.Order.PO = hostile
	a.Shipment.Order.ShipTo.Name = "O'Brien + Sons: ?!"
	a.Shipment.Shipment.Cartons[0].Contents[0].Lots[0].Lot = "L'1+2"
	a.Shipment.Shipment.Cartons[1].Contents[0].Serials[0] = "S?:1"
	a.Shipment.Items["SKU-PLAIN"] = func() (it domain.Item) {
		it = a.Shipment.Items["SKU-PLAIN"]
		it.Description = "Ünïcödé 日本 'quoted'"
		return
	}()
	b, err := DESADV(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), "RFF+ON:A?+B?:C?'D??E'")
	segs := checkDESADV(t, b)
	assert.Equal(t, hostile, tagged(segs, "RFF", "ON")[0].Value(1, 2))
	assert.Equal(t, "O'Brien + Sons: ?!", tagged(segs, "NAD", "DP")[0].Value(4, 1))
	assert.Equal(t, "L'1+2", tagged(segs, "GIN", "BX")[0].Value(2, 1))
	assert.Equal(t, "S?:1", tagged(segs, "GIN", "BN")[0].Value(2, 1))
	var imd []string
	for _, s := range tagged(segs, "IMD", "") {
		imd = append(imd, s.Value(3, 4))
	}
	assert.Contains(t, imd, "Ünïcödé ?? 'quoted'", "Latin-1 kept, the rest '?'")
}

func TestDESADVRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*ASN)
	}{
		{"seal longer than SEL takes", func(a *ASN) { a.Load.Seal = "SEAL-12345678" }},
		{"PO not Latin-1", func(a *ASN) { a.Shipment.Order.PO = "PO-日本" }},
		{"serial with a control character", func(a *ASN) { a.Shipment.Shipment.Cartons[1].Contents[0].Serials[0] = "S\x001" }},
		{"no partner id", func(a *ASN) { a.Partner.EDIFACTID = "" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := fixASN()
			c.edit(&a)
			_, err := DESADV(a)
			assert.True(t, errors.Is(err, ErrInput), "%v", err)
		})
	}
}
