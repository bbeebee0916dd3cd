package barcode

// SplitAIM splits a leading AIM symbology identifier ("]" + code letter +
// modifier character, ISO/IEC 15424) from the data. Data without one comes
// back unchanged. Identifiers of unknown symbologies are split off too (the
// form is standard); Symbology tells whether the identifier is known.
func SplitAIM(raw string) (aim, data string) {
	if len(raw) >= 3 && raw[0] == ']' && isAIMCode(raw[1]) && isAIMModifier(raw[2]) {
		return raw[:3], raw[3:]
	}
	return "", raw
}

func isAIMCode(c byte) bool     { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }
func isAIMModifier(c byte) bool { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') }

// SymbologyUnknown is the symbology of a scan whose AIM identifier is not in
// the table: reported as such, never guessed.
const SymbologyUnknown = "unknown"

// symbology describes one AIM identifier.
type symbology struct {
	name string
	gs1  bool // the data is a GS1 element string (FNC1 in first position)
}

// symbologies are the AIM identifiers rfterm knows (ISO/IEC 15424 and the
// GS1 General Specifications, 5.4). A read-only table.
var symbologies = map[string]symbology{
	"]A0": {name: "Code 39"},
	"]A1": {name: "Code 39 (check digit verified, transmitted)"},
	"]A3": {name: "Code 39 (check digit verified, stripped)"},
	"]A4": {name: "Code 39 (full ASCII)"},
	"]C0": {name: "Code 128"},
	"]C1": {name: "GS1-128", gs1: true},
	"]C2": {name: "Code 128 (FNC1 in second position)"},
	"]E0": {name: "EAN-13/UPC-A/UPC-E"},
	"]E1": {name: "EAN/UPC two-digit add-on"},
	"]E2": {name: "EAN/UPC five-digit add-on"},
	"]E3": {name: "EAN-13/UPC with add-on"},
	"]E4": {name: "EAN-8"},
	"]F0": {name: "Codabar"},
	"]G0": {name: "Code 93"},
	"]I0": {name: "Interleaved 2 of 5"},
	"]I1": {name: "ITF-14 (check digit verified)"},
	"]L0": {name: "PDF417"},
	"]L2": {name: "MicroPDF417"},
	"]d0": {name: "Data Matrix ECC 000-140"},
	"]d1": {name: "Data Matrix"},
	"]d2": {name: "GS1 DataMatrix", gs1: true},
	"]d3": {name: "Data Matrix (FNC1 in second position)"},
	"]e0": {name: "GS1 DataBar", gs1: true},
	"]e1": {name: "GS1 Composite (2D component)", gs1: true},
	"]J0": {name: "DotCode"},
	"]J1": {name: "GS1 DotCode", gs1: true},
	"]Q0": {name: "QR Code Model 1"},
	"]Q1": {name: "QR Code"},
	"]Q3": {name: "GS1 QR Code", gs1: true},
	"]z0": {name: "Aztec"},
	"]z1": {name: "Aztec (FNC1 in first position)", gs1: true},
	"]X0": {name: "other symbology"},
	"]Z0": {name: "keyboard (no barcode)"},
}

// Symbology names the symbology of an AIM identifier: "" for no identifier,
// SymbologyUnknown for one that is not in the table.
func Symbology(aim string) string {
	if aim == "" {
		return ""
	}
	if s, ok := symbologies[aim]; ok {
		return s.name
	}
	return SymbologyUnknown
}

// IsGS1AIM reports whether an AIM identifier announces GS1 element string data.
func IsGS1AIM(aim string) bool { return symbologies[aim].gs1 }
