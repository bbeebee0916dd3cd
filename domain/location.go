package domain

// Location is a pickable storage position.
type Location struct {
	Code     string `json:"code"`     // printed and scanned, e.g. "A-01-02"
	Zone     string `json:"zone"`     // e.g. "A", "FRZ"
	Sequence int    `json:"sequence"` // walk order: lower is visited first
	Check    string `json:"check"`    // check digits printed on the label, typed when the barcode is damaged
}
