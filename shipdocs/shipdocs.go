// Package shipdocs makes the papers of a closed load: the bill of lading
// (a PDF, and a ZPL summary label), the carrier's manifest, and each
// shipment's advance ship notice as ANSI X12 856 and as EDIFACT DESADV
// D.96A. It only renders: the hub gathers the records, keeps the control
// numbers, and stores what was issued.
package shipdocs

import (
	"errors"
	"time"

	"github.com/rfterm/rfterm/domain"
)

// Shipment is one order's shipment as it left: the order (customer, ship-to,
// PO), its shipped cartons with contents, lots and serials, and the item
// master of its SKUs.
type Shipment struct {
	Order    domain.Order
	Shipment domain.Shipment
	Items    map[string]domain.Item // by SKU
}

// LoadPapers is what a closed load's papers are made of.
type LoadPapers struct {
	Load      domain.Load // closed: its loaded cartons, seal, short cartons
	Carrier   domain.Carrier
	Shipper   domain.Address // the site's ship-from
	Shipments []Shipment     // the shipments with a carton on the load, by order id
	// FreightTerms are the bill of lading's freight charge terms; the
	// zero value is prepaid.
	FreightTerms FreightTerms
}

// ManifestRow is one parcel on the carrier's manifest.
type ManifestRow struct {
	LoadID      string `json:"load_id"`
	SSCC        string `json:"sscc"`
	Tracking    string `json:"tracking"` // the carrier's tracking number; the SSCC where the carrier tracks by SSCC
	OrderID     string `json:"order_id"`
	Carton      int    `json:"carton"` // carton N of Of
	Of          int    `json:"of"`
	WeightGrams int    `json:"weight_g"`
	Service     string `json:"service"`
	ShipTo      string `json:"ship_to"` // name, postal code, country
}

// Controls are an ASN's control numbers, kept per trading partner by the
// hub: X12 ISA13, GS06 and ST02; EDIFACT UNB 0020 (Interchange) and UNH
// 0062 (Set). Each is from 1 and at most 999999999.
type Controls struct {
	Interchange int64
	Group       int64
	Set         int64
}

// ASN is one shipment's advance ship notice.
type ASN struct {
	Sender   domain.EDIIdentity
	Partner  domain.TradingPartner
	Controls Controls
	IssuedAt time.Time // the interchange's date and time
	Load     domain.Load
	Carrier  domain.Carrier
	ShipFrom domain.Address
	Shipment Shipment
}

// ErrInput is wrapped by every error about the records given.
var ErrInput = errors.New("shipdocs: bad input")
