package demodata

import (
	"regexp"
	"testing"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSiteCounts(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	assert.Equal(t, "demo-enroll-key", s.EnrollKey)
	assert.GreaterOrEqual(t, len(s.Items), 30)
	assert.GreaterOrEqual(t, len(s.Locations), 40)
	assert.GreaterOrEqual(t, len(s.Orders), 10)
	assert.GreaterOrEqual(t, len(s.CartonTypes), 5)
	require.Len(t, s.Users, 3)
	roles := map[string]domain.Role{}
	for _, u := range s.Users {
		roles[u.Badge] = u.Role
	}
	assert.Equal(t, map[string]domain.Role{"U1001": domain.RoleOperator, "U1002": domain.RoleOperator, "U1003": domain.RoleLead}, roles)
}

func TestItems(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	rules := demoRules(t)
	seen := map[string]bool{}
	var gtin14, lot, serial, extra int
	for _, it := range s.Items {
		require.False(t, seen[it.SKU], "duplicate SKU %s", it.SKU)
		seen[it.SKU] = true
		require.Len(t, it.GTIN, 14, it.SKU)
		assert.True(t, barcode.ValidCheckDigit(it.GTIN), "%s: GTIN %s check digit", it.SKU, it.GTIN)
		n, ok := barcode.NormalizeGTIN(it.GTIN)
		assert.True(t, ok)
		assert.Equal(t, it.GTIN, n)
		if it.GTIN[0] != '0' {
			gtin14++
		} else {
			g13, ok := barcode.NormalizeGTIN(it.GTIN[1:])
			assert.True(t, ok, "%s: GTIN-13 %s", it.SKU, it.GTIN[1:])
			assert.Equal(t, it.GTIN, g13)
		}
		switch it.Tracking {
		case domain.TrackLot:
			lot++
		case domain.TrackSerial:
			serial++
		case domain.TrackNone:
		default:
			t.Errorf("%s: tracking %q", it.SKU, it.Tracking)
		}
		if len(it.Barcodes) > 0 {
			extra++
		}
		assert.NotEmpty(t, it.Description)
		assert.Positive(t, it.WeightGrams, it.SKU)
		assert.Positive(t, it.LengthMM, it.SKU)
		assert.Positive(t, it.WidthMM, it.SKU)
		assert.Positive(t, it.HeightMM, it.SKU)
		// A SKU typed or scanned must never be mistaken for a badge, tote, location or carton.
		assert.Equal(t, barcode.KindUnknown, rules.Classify(barcode.Keyed(it.SKU, time.Time{})).Kind, it.SKU)
	}
	assert.Positive(t, gtin14, "true GTIN-14s")
	assert.Less(t, gtin14, len(s.Items)/2, "mostly GTIN-13")
	assert.Positive(t, lot)
	assert.Positive(t, serial)
	assert.Positive(t, extra)
}

func TestLocationsAndStock(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	code := regexp.MustCompile(`^[A-Z]{1,3}-\d{2}-\d{2}$`)
	check := regexp.MustCompile(`^\d{2}$`)
	locs := map[string]domain.Location{}
	seqs := map[int]bool{}
	zones := map[string]bool{}
	var lastZone string
	prevSeq := -1
	for _, l := range s.Locations {
		assert.Regexp(t, code, l.Code)
		assert.Regexp(t, check, l.Check, l.Code)
		_, dup := locs[l.Code]
		require.False(t, dup, "duplicate location %s", l.Code)
		require.False(t, seqs[l.Sequence], "duplicate sequence %d", l.Sequence)
		locs[l.Code] = l
		seqs[l.Sequence] = true
		// Listed in walk order, one zone after another.
		assert.Greater(t, l.Sequence, prevSeq, l.Code)
		prevSeq = l.Sequence
		if l.Zone != lastZone {
			assert.False(t, zones[l.Zone], "zone %s walked twice", l.Zone)
			zones[l.Zone] = true
			lastZone = l.Zone
		}
	}
	assert.GreaterOrEqual(t, len(zones), 3)
	assert.True(t, zones["FRZ"])

	held := map[string]string{}
	for sku, loc := range s.Stock {
		_, ok := locs[loc]
		assert.True(t, ok, "%s stocked at unknown location %s", sku, loc)
		if other, ok := held[loc]; ok {
			t.Errorf("location %s holds %s and %s", loc, other, sku)
		}
		held[loc] = sku
	}
	for _, it := range s.Items {
		assert.Contains(t, s.Stock, it.SKU, "every item has a pick location")
	}
}

func TestOrders(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	items := map[string]bool{}
	for _, it := range s.Items {
		items[it.SKU] = true
	}
	ids := map[string]bool{}
	var shipComplete int
	prios := map[int]bool{}
	for _, o := range s.Orders {
		require.False(t, ids[o.ID], "duplicate order %s", o.ID)
		ids[o.ID] = true
		assert.Equal(t, domain.OrderOpen, o.Status, o.ID)
		assert.NotEmpty(t, o.Customer)
		assert.NotEmpty(t, o.ShipTo.Street)
		assert.NotEmpty(t, o.ShipTo.Country)
		assert.GreaterOrEqual(t, len(o.Lines), 1, o.ID)
		assert.LessOrEqual(t, len(o.Lines), 8, o.ID)
		prios[o.Priority] = true
		if o.ShipComplete {
			shipComplete++
		}
		for i, l := range o.Lines {
			assert.Equal(t, i+1, l.Line, o.ID)
			assert.True(t, items[l.SKU], "%s line %d: unknown SKU %s", o.ID, l.Line, l.SKU)
			assert.NotEmpty(t, s.Stock[l.SKU], "%s line %d: %s has no pick location", o.ID, l.Line, l.SKU)
			assert.Positive(t, l.Qty)
			assert.Zero(t, l.Picked)
			assert.Zero(t, l.Short)
		}
	}
	assert.Positive(t, shipComplete)
	assert.Greater(t, len(prios), 1, "varying priority")
}

func TestCartonTypes(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	rules := demoRules(t)
	for _, c := range s.CartonTypes {
		assert.Equal(t, barcode.KindCarton, rules.Classify(barcode.Keyed(c.Code, time.Time{})).Kind, c.Code)
		assert.Positive(t, c.InnerLengthMM)
		assert.Positive(t, c.InnerWidthMM)
		assert.Positive(t, c.InnerHeightMM)
		assert.Positive(t, c.TareGrams)
		assert.Greater(t, c.MaxGrams, c.TareGrams)
	}
}

func TestBarcodeRules(t *testing.T) {
	raw, err := BarcodeRules()
	require.NoError(t, err)
	kinds := []barcode.Kind{}
	for _, r := range raw {
		kinds = append(kinds, r.Kind)
	}
	assert.Equal(t, []barcode.Kind{barcode.KindBadge, barcode.KindTote, barcode.KindLocation, barcode.KindCarton, barcode.KindRMA}, kinds)

	rules := demoRules(t)
	s, err := Site()
	require.NoError(t, err)
	cases := map[string]barcode.Kind{
		"U1001": barcode.KindBadge, "U1003": barcode.KindBadge,
		"T00042": barcode.KindTote, "T12345": barcode.KindTote,
		"A-01-02": barcode.KindLocation, "FRZ-02-04": barcode.KindLocation,
		"CT-M2": barcode.KindCarton,
		"U123":  barcode.KindUnknown, "T1234": barcode.KindUnknown, "A-1-02": barcode.KindUnknown,
		"T-SO-10001":    barcode.KindUnknown,
		"5401230041002": barcode.KindGTIN,
	}
	for _, u := range s.Users {
		cases[u.Badge] = barcode.KindBadge
	}
	for _, l := range s.Locations {
		cases[l.Code] = barcode.KindLocation
	}
	for in, want := range cases {
		assert.Equal(t, want, rules.Classify(barcode.Keyed(in, time.Time{})).Kind, in)
	}
}

func demoRules(t *testing.T) *barcode.Rules {
	t.Helper()
	raw, err := BarcodeRules()
	require.NoError(t, err)
	r, err := barcode.NewRules(raw)
	require.NoError(t, err)
	return r
}

// TestDemoLotsAreAtTheirItemsLocations: the demo's lots are of lot-tracked
// items, at the location each is stocked at, two a location with different
// expiries.
func TestDemoLotsAreAtTheirItemsLocations(t *testing.T) {
	s, err := WithLots()
	require.NoError(t, err)
	require.NotEmpty(t, s.Lots)
	items := map[string]domain.Item{}
	for _, it := range s.Items {
		items[it.SKU] = it
	}
	per := map[string]map[string]bool{}
	for _, l := range s.Lots {
		require.Equal(t, domain.TrackLot, items[l.SKU].Tracking, "%s is lot-tracked", l.SKU)
		require.Equal(t, s.Stock[l.SKU], l.Location, "%s's lot at its location", l.SKU)
		if per[l.SKU] == nil {
			per[l.SKU] = map[string]bool{}
		}
		per[l.SKU][l.Expiry] = true
	}
	for sku, expiries := range per {
		require.Len(t, expiries, 2, "%s: two expiries", sku)
	}
}

// The dock of the demo site: two carriers, four doors and lanes, two
// trading partners, every order with a carrier, service, promise and PO,
// and two open loads of the demo carrier.
func TestDock(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	services := map[string][]string{}
	for _, c := range s.Carriers {
		assert.Len(t, c.SCAC, 4, c.Code)
		services[c.Code] = c.Services
	}
	assert.Equal(t, []string{"Ground", "Express"}, services["DEMO"])
	assert.Len(t, services, 2)
	assert.Equal(t, []string{"DOOR-01", "DOOR-02", "DOOR-03", "DOOR-04"}, s.Doors)
	assert.Equal(t, []string{"STG-01", "STG-02", "STG-03", "STG-04"}, s.Lanes)
	assert.NotEmpty(t, s.EDI.X12ID)
	assert.NotEmpty(t, s.EDI.EDIFACTID)
	assert.NotEmpty(t, s.ShipFrom.Name)
	partners := map[string]bool{}
	for _, p := range s.Partners {
		partners[p.ID] = true
		assert.Len(t, p.GLN, 13, p.ID)
		assert.True(t, barcode.ValidCheckDigit(p.GLN), p.ID)
	}
	assert.Len(t, partners, 2)
	withPartner := 0
	for _, o := range s.Orders {
		assert.Contains(t, services[o.Carrier], o.Service, o.ID)
		assert.False(t, o.PromisedBy.IsZero(), o.ID)
		assert.NotEmpty(t, o.PO, o.ID)
		if o.Partner != "" {
			assert.True(t, partners[o.Partner], o.ID)
			withPartner++
		}
	}
	assert.Positive(t, withPartner)
	require.Len(t, s.Loads, 2)
	for _, l := range s.Loads {
		assert.Equal(t, "DEMO", l.Carrier, l.ID)
		assert.Contains(t, s.Doors, l.Door, l.ID)
		assert.Contains(t, s.Lanes, l.Lane, l.ID)
		assert.Equal(t, domain.LoadStatusOpen, l.Status, l.ID)
	}
}
