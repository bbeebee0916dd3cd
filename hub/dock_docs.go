package hub

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/shipdocs"
	"github.com/rfterm/rfterm/zpl"
)

// The papers of a closed load (bill of lading, manifest) and each
// shipment's ASN: the hub gathers the records (live or archived) and the
// control numbers it gave when the load closed; package shipdocs renders.

// document is an answer the endpoint writes as it is, not as JSON.
type document struct {
	contentType string
	body        []byte
}

// Content types of the documents.
const (
	contentPDF  = "application/pdf"
	contentText = "text/plain; charset=utf-8"
	contentCSV  = "text/csv; charset=utf-8"
)

func docRoutes() []route {
	return []route{
		{Route{http.MethodGet, "/v1/loads/{id}/bol", "getBillOfLading", false}, handleBillOfLading},
		{Route{http.MethodGet, "/v1/loads/{id}/manifest", "getManifest", false}, handleManifest},
		{Route{http.MethodGet, "/v1/manifests/{carrier}", "getCarrierManifest", false}, handleCarrierManifest},
		{Route{http.MethodGet, "/v1/shipments/{order}/asn", "getASN", false}, handleASN},
	}
}

// format is the request's format parameter: one of allowed, the first when absent.
func format(r *http.Request, allowed ...string) (string, error) {
	f := cmp.Or(r.URL.Query().Get("format"), allowed[0])
	if !slices.Contains(allowed, f) {
		return "", badRequest("format must be one of %v, not %q", allowed, f)
	}
	return f, nil
}

func handleBillOfLading(s *Store, r *http.Request, _ caller) (any, error) {
	f, err := format(r, "pdf", "zpl")
	if err != nil {
		return nil, err
	}
	dpi := zpl.DPI203
	if v := r.URL.Query().Get("dpi"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains([]zpl.DPI{zpl.DPI152, zpl.DPI203, zpl.DPI300, zpl.DPI600}, zpl.DPI(n)) {
			return nil, badRequest("dpi must be 152, 203, 300 or 600, not %q", v)
		}
		dpi = zpl.DPI(n)
	}
	p, err := s.LoadPapers(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if f == "zpl" {
		b, err := shipdocs.BillOfLadingZPL(p, dpi)
		return document{contentText, b}, rendered(err)
	}
	b, err := shipdocs.BillOfLadingPDF(p)
	return document{contentPDF, b}, rendered(err)
}

func handleManifest(s *Store, r *http.Request, _ caller) (any, error) {
	f, err := format(r, "json", "csv")
	if err != nil {
		return nil, err
	}
	p, err := s.LoadPapers(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	rows := append([]shipdocs.ManifestRow{}, shipdocs.Manifest(p)...)
	if f == "csv" {
		return document{contentCSV, shipdocs.ManifestCSV(rows)}, nil
	}
	return rows, nil
}

// handleCarrierManifest is a carrier's end-of-day manifest: the parcels of
// every load of the carrier closed on the date (UTC, YYYY-MM-DD; default
// today).
func handleCarrierManifest(s *Store, r *http.Request, _ caller) (any, error) {
	f, err := format(r, "json", "csv")
	if err != nil {
		return nil, err
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	if v := r.URL.Query().Get("date"); v != "" {
		if day, err = time.Parse(time.DateOnly, v); err != nil {
			return nil, badRequest("date must be YYYY-MM-DD, not %q", v)
		}
	}
	rows, err := s.CarrierManifest(r.Context(), r.PathValue("carrier"), day)
	if err != nil {
		return nil, err
	}
	if f == "csv" {
		return document{contentCSV, shipdocs.ManifestCSV(rows)}, nil
	}
	return rows, nil
}

// CarrierManifest is the carrier's end-of-day manifest: every parcel of the
// carrier's loads closed on day (its UTC date), load by load in the order
// they closed, each in the order loaded. A carrier the site does not list
// (when it lists carriers) is 404 not_found.
func (s *Store) CarrierManifest(ctx context.Context, carrier string, day time.Time) ([]shipdocs.ManifestRow, error) {
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 1)
	var closed []domain.Load
	err := s.db.View(ctx, func(tx storage.Tx) error {
		cfg, err := loadDockConfig(tx)
		if err != nil {
			return err
		}
		if _, ok := cfg.carrier(carrier); !ok && len(cfg.Carriers) > 0 {
			return notFound("carrier %q is not one of the site's carriers", carrier)
		}
		return eachLoad(tx, func(l domain.Load) error {
			if l.Carrier == carrier && l.Status == domain.LoadStatusClosed && !l.ClosedAt.Before(from) && l.ClosedAt.Before(to) {
				closed = append(closed, l)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(closed, func(a, b domain.Load) int { return a.ClosedAt.Compare(b.ClosedAt) })
	rows := []shipdocs.ManifestRow{}
	for _, l := range closed {
		p, err := s.LoadPapers(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, shipdocs.Manifest(p)...)
	}
	return rows, nil
}

func handleASN(s *Store, r *http.Request, _ caller) (any, error) {
	f, err := format(r, api.ASNX12, api.ASNEDIFACT)
	if err != nil {
		return nil, err
	}
	load := r.URL.Query().Get("load")
	if len(load) > maxDockIDLen {
		return nil, badRequest("load is over %d bytes", maxDockIDLen)
	}
	a, err := s.ASN(r.Context(), r.PathValue("order"), load, f)
	if err != nil {
		return nil, err
	}
	var b []byte
	if f == api.ASNX12 {
		b, err = shipdocs.X12856(a)
	} else {
		b, err = shipdocs.DESADV(a)
	}
	return document{contentText, b}, rendered(err)
}

// rendered is a rendering error as the hub answers it: records shipdocs
// cannot make a document of are 409 conflict; anything else is the hub's
// failure.
func rendered(err error) error {
	if errors.Is(err, shipdocs.ErrInput) {
		return conflict(api.CodeConflict, "the records do not make the document: %v", err)
	}
	return err
}

// LoadPapers gathers what a closed load's papers are made of: the load, its
// carrier, the site's ship-from, and each shipment with a carton on it.
// A load not closed is 409 not_closed.
func (s *Store) LoadPapers(ctx context.Context, id string) (shipdocs.LoadPapers, error) {
	var p shipdocs.LoadPapers
	err := s.db.View(ctx, func(tx storage.Tx) error {
		l, err := mustLoad(tx, id)
		if err != nil {
			return err
		}
		if l.Status != domain.LoadStatusClosed {
			return conflict(api.CodeNotClosed, "load %s is %s: its papers are made when it closes", l.ID, l.Status)
		}
		cfg, err := loadDockConfig(tx)
		if err != nil {
			return err
		}
		p.Load, p.Shipper = l, cfg.ShipFrom
		p.Carrier, _ = cfg.carrier(l.Carrier)
		orders := shippedOn(l)
		slices.Sort(orders)
		for _, o := range orders {
			sh, err := shipmentPapers(tx, o)
			if err != nil {
				return err
			}
			p.Shipments = append(p.Shipments, sh)
		}
		return nil
	})
	return p, err
}

// ASN gathers a shipment's advance ship notice in format api.ASNX12 or
// api.ASNEDIFACT, with the control numbers given when its load closed: of
// the load loadID, or, when it is empty, of the last load the order left
// on (an order whose cartons left behind by a short close went on a later
// load has one ASN per load). An order with no trading partner (or one the
// site does not list) is 409 no_partner; one that has left on no closed
// load yet, or a load not closed, 409 not_closed; an unknown load, or one
// the order did not leave on, 404 not_found.
func (s *Store) ASN(ctx context.Context, orderID, loadID, format string) (shipdocs.ASN, error) {
	var a shipdocs.ASN
	err := s.db.View(ctx, func(tx storage.Tx) error {
		o, ok, err := orderAnywhere(tx, orderID)
		if err != nil || !ok {
			return cmpErr(err, notFound("order %q not found", orderID))
		}
		cfg, err := loadDockConfig(tx)
		if err != nil {
			return err
		}
		partner, known := cfg.partner(o.Partner)
		if !known {
			return conflict(api.CodeNoPartner, "order %s has no trading partner the site lists (%q)", o.ID, o.Partner)
		}
		rec, err := asnOf(tx, o.ID, loadID)
		if err != nil {
			return err
		}
		l, err := mustLoad(tx, rec.LoadID)
		if err != nil {
			return err
		}
		sh, err := shipmentPapers(tx, o.ID)
		if err != nil {
			return err
		}
		carrier, _ := cfg.carrier(l.Carrier)
		a = shipdocs.ASN{Sender: cfg.EDI, Partner: partner, Controls: rec.X12, IssuedAt: rec.IssuedAt, Load: l, Carrier: carrier,
			ShipFrom: cfg.ShipFrom, Shipment: sh}
		if format == api.ASNEDIFACT {
			a.Controls = rec.EDIFACT
		}
		return nil
	})
	return a, err
}

// asnOf reads the ASN record of an order on load loadID, or of the last
// load it left on when loadID is empty. A record written before orders
// shipped on several loads is kept under the order alone: it answers for
// its own load too.
func asnOf(tx storage.Tx, orderID, loadID string) (asnRecord, error) {
	last, ok, err := getJSON[asnRecord](tx.Bucket(bucketASNs), orderID)
	switch {
	case err != nil:
		return last, err
	case !ok:
		return last, conflict(api.CodeNotClosed, "order %s has left on no closed load yet: its ASN is issued when it does", orderID)
	case loadID == "" || last.LoadID == loadID:
		return last, nil
	}
	rec, ok, err := getJSON[asnRecord](tx.Bucket(bucketASNs), asnKey(orderID, loadID))
	if err != nil || ok {
		return rec, err
	}
	l, err := mustLoad(tx, loadID)
	switch {
	case err != nil:
		return rec, err
	case l.Status != domain.LoadStatusClosed:
		return rec, conflict(api.CodeNotClosed, "load %s is %s: the ASNs of its shipments are issued when it closes", l.ID, l.Status)
	}
	return rec, notFound("order %s did not leave on load %s", orderID, l.ID)
}

// shipmentPapers is an order's shipment as it left, live or archived, with
// the item master of its SKUs.
func shipmentPapers(tx storage.Tx, orderID string) (shipdocs.Shipment, error) {
	var sh shipdocs.Shipment
	o, ok, err := orderAnywhere(tx, orderID)
	if err != nil || !ok {
		return sh, cmpErr(err, notFound("order %q not found", orderID))
	}
	ship, ok, err := shipmentAnywhere(tx, orderID)
	if err != nil || !ok {
		return sh, cmpErr(err, notFound("shipment of order %q not found", orderID))
	}
	skus := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		skus[i] = l.SKU
	}
	items, err := getEach[domain.Item](tx.Bucket(bucketItems), "item", skus)
	if err != nil {
		return sh, err
	}
	sh = shipdocs.Shipment{Order: o, Shipment: ship, Items: make(map[string]domain.Item, len(items))}
	for _, it := range items {
		sh.Items[it.SKU] = it
	}
	return sh, nil
}
