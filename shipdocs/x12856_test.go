package shipdocs

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/shipdocs/x12"
)

// checkX12 checks an 856 interchange against the envelope and hierarchy
// rules and returns its segments.
func checkX12(t *testing.T, data []byte) []x12.Segment {
	t.Helper()
	first, _, _ := bytes.Cut(data, []byte("\n"))
	require.Len(t, first, 106, "the ISA is 106 characters with its terminator: %q", first)
	segs, err := x12.Parse(data)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(segs), 6)
	n := len(segs)
	isa, gs, st := segs[0], segs[1], segs[2]
	se, ge, iea := segs[n-3], segs[n-2], segs[n-1]
	require.Equal(t, []string{"ISA", "GS", "ST", "SE", "GE", "IEA"}, []string{isa.ID, gs.ID, st.ID, se.ID, ge.ID, iea.ID})
	assert.Len(t, isa.Elements, 16)
	for i, w := range []int{2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1} {
		assert.Len(t, isa.Element(i+1), w, "ISA%02d", i+1)
	}
	assert.Equal(t, ">", isa.Element(16))
	assert.Equal(t, "856", st.Element(1))
	assert.Equal(t, strconv.Itoa(n-4), se.Element(1), "SE01 counts ST…SE")
	assert.Equal(t, st.Element(2), se.Element(2), "ST02 = SE02")
	assert.Equal(t, gs.Element(6), ge.Element(2), "GS06 = GE02")
	assert.Equal(t, isa.Element(13), iea.Element(2), "ISA13 = IEA02")
	assert.Equal(t, "1", ge.Element(1))
	assert.Equal(t, "1", iea.Element(1))
	assert.Equal(t, "004010", gs.Element(8))

	parentLevel := map[string]string{"S": "", "O": "S", "P": "O", "I": "P"}
	levels := map[string]string{}
	next, lins := 1, 0
	for _, s := range segs[3 : n-3] {
		switch s.ID {
		case "HL":
			assert.Equal(t, strconv.Itoa(next), s.Element(1), "HL01 sequential")
			want, ok := parentLevel[s.Element(3)]
			require.True(t, ok, "HL03 %q", s.Element(3))
			if want == "" {
				assert.Empty(t, s.Element(2), "the shipment level has no parent")
			} else {
				assert.Equal(t, want, levels[s.Element(2)], "HL %s: parent %s is a %s", s.Element(1), s.Element(2), want)
			}
			levels[s.Element(1)] = s.Element(3)
			next++
		case "LIN":
			lins++
		case "CTT":
			assert.Equal(t, strconv.Itoa(lins), s.Element(1), "CTT01 counts the LIN segments")
		}
	}
	return segs
}

// find returns the segments with id.
func find(segs []x12.Segment, id string) []x12.Segment {
	var out []x12.Segment
	for _, s := range segs {
		if s.ID == id {
			out = append(out, s)
		}
	}
	return out
}

func TestX12856Structure(t *testing.T) {
	b, err := X12856(fixASN())
	require.NoError(t, err)
	segs := checkX12(t, b)
	assert.Equal(t, "P", segs[0].Element(15))
	assert.Equal(t, "000000017", segs[0].Element(13))
	assert.Equal(t, "LD-0042-SO-1001", find(segs, "BSN")[0].Element(2))
	assert.Equal(t, "DMFL", find(segs, "TD5")[0].Element(3))
	assert.Equal(t, "2", find(segs, "TD1")[0].Element(2), "two cartons of SO-1001 went on the load")
	var ssccs, lots, serials []string
	for _, s := range find(segs, "MAN") {
		ssccs = append(ssccs, s.Element(2))
	}
	for _, s := range find(segs, "LIN") {
		if s.Element(6) == "LT" {
			lots = append(lots, s.Element(7))
		}
	}
	for _, s := range find(segs, "REF") {
		if s.Element(1) == "SE" {
			serials = append(serials, s.Element(2))
		}
	}
	assert.Equal(t, []string{ssccA, ssccB}, ssccs)
	assert.Equal(t, []string{"L2403A", "L2403B"}, lots)
	assert.Equal(t, []string{"SN000000101", "SN000000102"}, serials)
	assert.Equal(t, []string{"PO-778899"}, find(segs, "PRF")[0].Elements)
}

func TestX12856TestIndicatorAndShortCartons(t *testing.T) {
	a := fixASN()
	a.Sender.Test = true
	a.Shipment = fixShipment2()
	b, err := X12856(a)
	require.NoError(t, err)
	segs := checkX12(t, b)
	assert.Equal(t, "T", segs[0].Element(15))
	require.Len(t, find(segs, "MAN"), 1, "the carton left short is not on the ASN")
	assert.Equal(t, ssccC, find(segs, "MAN")[0].Element(2))
}

func TestX12856HostileData(t *testing.T) {
	a := fixASN()
	a.Shipment.Order.ShipTo.Name = "Ship*To~Name>X\nÜber Straße 日本"
	a.ShipFrom.Street = "~~~"
	b, err := X12856(a)
	require.NoError(t, err)
	segs := checkX12(t, b)
	var name string
	for _, s := range find(segs, "N1") {
		if s.Element(1) == "ST" {
			name = s.Element(2)
		}
	}
	assert.Equal(t, "Ship To Name X Uber Stra?e ??", name, "delimiters become spaces, accents drop, the rest is '?'")
	for _, c := range []struct {
		name string
		edit func(*ASN)
	}{
		{"PO with a separator", func(a *ASN) { a.Shipment.Order.PO = "PO*1" }},
		{"lot with a terminator", func(a *ASN) { a.Shipment.Shipment.Cartons[0].Contents[0].Lots[0].Lot = "L~1" }},
		{"serial with a component separator", func(a *ASN) { a.Shipment.Shipment.Cartons[1].Contents[0].Serials[0] = "S>1" }},
		{"sender id with a separator", func(a *ASN) { a.Sender.X12ID = "A*B" }},
		{"trailer with a newline", func(a *ASN) { a.Load.Trailer = "T\n1" }},
		{"SKU not ASCII", func(a *ASN) {
			a.Shipment.Shipment.Cartons[0].Contents[1].SKU = "SKÜ"
			a.Shipment.Items["SKÜ"] = a.Shipment.Items["SKU-PLAIN"]
		}},
		{"GLN with a separator", func(a *ASN) { a.Sender.GLN = "54*1" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := fixASN()
			c.edit(&a)
			_, err := X12856(a)
			assert.True(t, errors.Is(err, ErrInput), "%v", err)
		})
	}
}

// TestLongShipmentIDsFallBackToTheOrder: a load and an order id over the
// 856's 30 characters together name the shipment by the order id alone,
// in both formats, rather than refuse the ASN.
func TestLongShipmentIDsFallBackToTheOrder(t *testing.T) {
	a := fixASN()
	a.Load.ID = "LOAD-2026-11-30-DOCK-EAST-07"
	b, err := X12856(a)
	require.NoError(t, err)
	segs := checkX12(t, b)
	assert.Equal(t, "SO-1001", find(segs, "BSN")[0].Element(2))
	d, err := DESADV(a)
	require.NoError(t, err)
	assert.Contains(t, string(d), "BGM+351+SO-1001+9'")
}
