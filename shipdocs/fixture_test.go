package shipdocs

import (
	"time"

	"github.com/rfterm/rfterm/domain"
)

// The fixture: load LD-0042 closed with two orders; order SO-1001 ships two
// cartons, one with a lot-tracked item (two lots) and an untracked one,
// the other with a serial-tracked item.
var (
	fixClosed = time.Date(2026, 3, 14, 16, 5, 0, 0, time.UTC)
	fixIssued = time.Date(2026, 3, 14, 16, 7, 30, 0, time.UTC)
)

const (
	ssccA = "003456789012345670"
	ssccB = "003456789012345687"
	ssccC = "003456789012345694"
	ssccD = "003456789012345700" // left short
)

// fixItems is the item master of the fixture.
func fixItems() map[string]domain.Item {
	return map[string]domain.Item{
		"SKU-LOT":    {SKU: "SKU-LOT", GTIN: "00012345678905", Description: "Vitamin C 500mg, 100 tabs", Tracking: domain.TrackLot, WeightGrams: 250, FreightClass: "70"},
		"SKU-PLAIN":  {SKU: "SKU-PLAIN", GTIN: "4006381333931", Description: "Ballpoint pens, blue (10)", WeightGrams: 120, FreightClass: "55"},
		"SKU-SERIAL": {SKU: "SKU-SERIAL", GTIN: "09506000134352", Description: "Handheld scanner", Tracking: domain.TrackSerial, WeightGrams: 900, FreightClass: "85"},
	}
}

// fixOrder is order SO-1001 with its two cartons.
func fixShipment() Shipment {
	return Shipment{
		Order: domain.Order{
			ID: "SO-1001", Customer: "Acme Retail", PO: "PO-778899", Partner: "ACME",
			ShipTo:  domain.Address{Name: "Acme Retail DC 7", Street: "1 Distribution Way", City: "Columbus", Postal: "43215", Country: "US"},
			Carrier: "DEMO", Service: "LTL",
		},
		Shipment: domain.Shipment{
			OrderID: "SO-1001", Status: domain.ShipmentShipped, ShippedAt: fixClosed.Add(-time.Hour),
			Cartons: []domain.PackCarton{
				{OrderID: "SO-1001", SSCC: ssccA, CartonType: "M", WeightGrams: 4350, N: 1, Of: 2, Contents: []domain.CartonContent{
					{Line: 1, SKU: "SKU-LOT", Qty: 12, Lots: []domain.LotQty{{Lot: "L2403A", Qty: 8}, {Lot: "L2403B", Qty: 4}}},
					{Line: 2, SKU: "SKU-PLAIN", Qty: 5},
				}},
				{OrderID: "SO-1001", SSCC: ssccB, CartonType: "S", WeightGrams: 2100, N: 2, Of: 2, Contents: []domain.CartonContent{
					{Line: 3, SKU: "SKU-SERIAL", Qty: 2, Serials: []string{"SN000000101", "SN000000102"}},
				}},
			},
		},
		Items: fixItems(),
	}
}

// fixShipment2 is order SO-1002, one carton on the load and one left short.
func fixShipment2() Shipment {
	return Shipment{
		Order: domain.Order{
			ID: "SO-1002", Customer: "Beta Stores", PO: "B-5521",
			ShipTo:  domain.Address{Name: "Beta Stores #12", Street: "88 Market St", City: "Dayton", Postal: "45402", Country: "US"},
			Carrier: "DEMO", Service: "LTL",
		},
		Shipment: domain.Shipment{
			OrderID: "SO-1002", Status: domain.ShipmentShipped,
			Cartons: []domain.PackCarton{
				{OrderID: "SO-1002", SSCC: ssccC, WeightGrams: 11800, N: 1, Of: 2, Contents: []domain.CartonContent{{Line: 1, SKU: "SKU-SERIAL", Qty: 1, Serials: []string{"SN000000200"}}}},
				{OrderID: "SO-1002", SSCC: ssccD, WeightGrams: 3000, N: 2, Of: 2, Contents: []domain.CartonContent{{Line: 2, SKU: "SKU-PLAIN", Qty: 3}}},
			},
		},
		Items: fixItems(),
	}
}

// fixLoad is the closed load.
func fixLoad() domain.Load {
	return domain.Load{
		ID: "LD-0042", Carrier: "DEMO", Service: "LTL", Trailer: "TRL5309", Door: "DOOR-03",
		ScheduledAt: fixClosed.Add(-30 * time.Minute), PRO: "PRO123456789", Seal: "SL-998877",
		Orders: []string{"SO-1001", "SO-1002"}, Status: domain.LoadStatusClosed,
		Loaded: []domain.LoadedCarton{
			{SSCC: ssccC, OrderID: "SO-1002", At: fixClosed.Add(-20 * time.Minute)},
			{SSCC: ssccA, OrderID: "SO-1001", At: fixClosed.Add(-15 * time.Minute)},
			{SSCC: ssccB, OrderID: "SO-1001", At: fixClosed.Add(-10 * time.Minute)},
		},
		ClosedAt: fixClosed, ClosedBy: "U7",
		Short:    []domain.ShortCarton{{SSCC: ssccD, OrderID: "SO-1002"}},
		Override: &domain.LoadOverride{LeadID: "L1", Reason: "carton damaged"},
	}
}

// fixCarrier is the load's carrier.
func fixCarrier() domain.Carrier {
	return domain.Carrier{Code: "DEMO", Name: "Demo Freight Lines", SCAC: "DMFL"}
}

// fixShipper is the site's ship-from.
func fixShipper() domain.Address {
	return domain.Address{Name: "RF Term Warehouse", Street: "500 Logistics Pkwy", City: "Groveport", Postal: "43125", Country: "US"}
}

// fixASN is the ASN of SO-1001.
func fixASN() ASN {
	return ASN{
		Sender: domain.EDIIdentity{X12Qualifier: "ZZ", X12ID: "RFTERMWH", X12AppID: "RFTERM", EDIFACTQualifier: "14", EDIFACTID: "5412345000013", GLN: "5412345000013"},
		Partner: domain.TradingPartner{ID: "ACME", Name: "Acme Retail Inc", X12Qualifier: "ZZ", X12ID: "ACMERETAIL", X12AppID: "ACMEASN",
			EDIFACTQualifier: "14", EDIFACTID: "4012345000009", GLN: "4012345000009"},
		Controls: Controls{Interchange: 17, Group: 23, Set: 42},
		IssuedAt: fixIssued,
		Load:     fixLoad(),
		Carrier:  fixCarrier(),
		ShipFrom: fixShipper(),
		Shipment: fixShipment(),
	}
}

// fixPapers are the load's papers.
func fixPapers() LoadPapers {
	return LoadPapers{Load: fixLoad(), Carrier: fixCarrier(), Shipper: fixShipper(), Shipments: []Shipment{fixShipment(), fixShipment2()}}
}
