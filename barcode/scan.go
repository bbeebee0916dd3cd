package barcode

import "time"

// Scan is one complete barcode read, as delivered by a source.
type Scan struct {
	Raw       string    // the bytes as read, without framing (prefix/suffix), AIM identifier included
	AIM       string    // the AIM symbology identifier, e.g. "]C1", or "" when the scanner sent none
	Symbology string    // what AIM names, e.g. "GS1-128"; "" without AIM; SymbologyUnknown if not known
	Data      string    // Raw without the AIM identifier; GS (0x1D) kept as is
	At        time.Time // when the last byte arrived
	Source    string    // which source read it, e.g. "serial:/dev/ttyACM0", "wedge", "keyed"
}

// NewScan builds a scan from raw data, recognising and stripping an AIM identifier.
func NewScan(raw string, at time.Time, source string) Scan {
	aim, data := SplitAIM(raw)
	return Scan{Raw: raw, AIM: aim, Symbology: Symbology(aim), Data: data, At: at, Source: source}
}

// Keyed makes a scan from text a person typed (manual entry, or demo mode).
func Keyed(text string, at time.Time) Scan {
	return NewScan(text, at, "keyed")
}
