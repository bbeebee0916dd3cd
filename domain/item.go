package domain

// Tracking says which identity an item carries beyond its GTIN.
type Tracking string

// Tracking modes. An item is tracked by lot (batch), by serial number, or not at all.
const (
	TrackNone   Tracking = ""
	TrackLot    Tracking = "lot"
	TrackSerial Tracking = "serial"
)

// Item is one row of the item master.
type Item struct {
	SKU         string   `json:"sku"`
	GTIN        string   `json:"gtin"`               // 14 digits, zero-padded, check digit valid
	Barcodes    []string `json:"barcodes,omitempty"` // other accepted barcodes (the SKU's own label, an inner pack)
	Description string   `json:"description"`
	Tracking    Tracking `json:"tracking,omitempty"`
	WeightGrams int      `json:"weight_g"`
	LengthMM    int      `json:"length_mm"`
	WidthMM     int      `json:"width_mm"`
	HeightMM    int      `json:"height_mm"`
	UnitPrice   int      `json:"unit_price_cents,omitempty"`
	// Customs is the item's HS code, country of origin and customs value,
	// for the commercial invoice of a parcel that crosses a border.
	Customs
}
