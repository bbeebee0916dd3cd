package shipdocs

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// Manifest is the carrier's manifest of the load: every parcel loaded, in
// the order loaded, each row naming the load (the carrier's end-of-day
// manifest is the rows of the day's loads one after the other). The tracking number is the SSCC: a PackCarton carries
// no carrier tracking number, and the carrier tracks the load's cartons by
// SSCC. A loaded carton missing from the shipments given keeps its SSCC
// and order id, the rest empty.
func Manifest(p LoadPapers) []ManifestRow {
	type found struct {
		carton domain.PackCarton
		order  domain.Order
	}
	bySSCC := map[string]found{}
	for _, s := range p.Shipments {
		for _, c := range s.Shipment.Cartons {
			bySSCC[c.SSCC] = found{c, s.Order}
		}
	}
	rows := make([]ManifestRow, 0, len(p.Load.Loaded))
	for _, l := range p.Load.Loaded {
		row := ManifestRow{LoadID: p.Load.ID, SSCC: l.SSCC, Tracking: l.SSCC, OrderID: l.OrderID, Service: p.Load.Service}
		if f, ok := bySSCC[l.SSCC]; ok {
			row.Carton, row.Of, row.WeightGrams = f.carton.N, f.carton.Of, f.carton.WeightGrams
			row.Service = firstNonEmpty(f.order.Service, p.Load.Service)
			row.ShipTo = shipToLine(f.order.ShipTo)
		}
		rows = append(rows, row)
	}
	return rows
}

// shipToLine is "name, postal code, country", skipping empty parts.
func shipToLine(a domain.Address) string {
	var parts []string
	for _, s := range []string{a.Name, a.Postal, a.Country} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// ManifestCSV is the manifest as CSV with a header row (RFC 4180, CRLF
// line ends as encoding/csv writes with UseCRLF). A text cell starting
// with = + - @, a tab or a carriage return gets a leading apostrophe, so a
// spreadsheet opening the file does not take it for a formula.
func ManifestCSV(rows []ManifestRow) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	// The header row is the JSON names of ManifestRow; a bytes.Buffer does not fail.
	_ = w.Write([]string{"load_id", "sscc", "tracking", "order_id", "carton", "of", "weight_g", "service", "ship_to"})
	for _, r := range rows {
		_ = w.Write([]string{
			csvText(r.LoadID), csvText(r.SSCC), csvText(r.Tracking), csvText(r.OrderID),
			strconv.Itoa(r.Carton), strconv.Itoa(r.Of), strconv.Itoa(r.WeightGrams),
			csvText(r.Service), csvText(r.ShipTo),
		})
	}
	w.Flush()
	return buf.Bytes()
}

// csvText guards a text cell against formula injection.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
