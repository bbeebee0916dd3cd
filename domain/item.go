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
	// SerialPattern is the serial rule of a serial-tracked item: a Go
	// regular expression a serial must match whole (e.g. "SN[0-9]{9}").
	// Empty: any serial.
	SerialPattern string `json:"serial_pattern,omitempty"`
	WeightGrams   int    `json:"weight_g"`
	LengthMM      int    `json:"length_mm"`
	WidthMM       int    `json:"width_mm"`
	HeightMM      int    `json:"height_mm"`
	UnitPrice     int    `json:"unit_price_cents,omitempty"`
	// Home is the location the item is picked from (the site's stock
	// map), where a returned unit is put away. The hub fills it where a
	// device needs it (returns); it is not part of the item master seed.
	Home string `json:"home_location,omitempty"`
	// Handling is the item's handling class (e.g. "frozen"); empty for
	// general goods. A carton takes only the classes it is for
	// (CartonType.Handling).
	Handling HandlingClass `json:"handling,omitempty"`
	// Customs is the item's HS code, country of origin and customs value,
	// for the commercial invoice of a parcel that crosses a border.
	Customs
	// FreightClass is the item's NMFC freight class (e.g. "70") for the
	// bill of lading; empty when not given.
	FreightClass string `json:"freight_class,omitempty"`
}

// HandlingClass is how an item must travel: "" for general goods, or a
// site's class such as "frozen", "chilled" or "hazmat".
type HandlingClass string
