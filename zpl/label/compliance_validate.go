package label

import (
	"fmt"
	"math"
	"strings"

	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/zpl"
)

// Size rules Validate checks. GS1-128 on a shipping label follows the GS1
// logistic label rules (GS1 General Specifications): X-dimension
// 0.495–1.016 mm and, for the SSCC, bars at least 32 mm high; other GS1-128
// symbols (a ship-to postal code, a store number) at least ½ in high. Code
// 128 is printed at an X-dimension of at least 0.25 mm, its bars at least
// ¼ in high and at least 15% of the symbol's width (ISO/IEC 15417's
// recommendation for a symbol scanned by hand). Both need a quiet zone of ten
// modules on each side.
const (
	GS1128MaxModuleMM    = 1.016
	GS1128MinOtherHeight = 12.7
	Code128MinHeightMM   = 6.35
	Code128HeightRatio   = 0.15
	// hriRoomMM is what a barcode's human-readable line takes under its bars.
	hriRoomMM = 1 + 3.5
	// minFontMM is the smallest text a compliance label prints: about 7 pt.
	minFontMM = 2.0
)

// Problem is one rule a compliance template breaks at a resolution.
type Problem struct {
	Where string // "barcode 3 (00)", "field 5 (po)", "zone C"
	Rule  string // what is wrong and what the rule asks
}

// String is "where: rule".
func (p Problem) String() string { return p.Where + ": " + p.Rule }

// joinProblems lists problems on one line.
func joinProblems(ps []Problem) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

// Validate checks the template at dpi, where sizes are whole dots: every
// zone is on the label; every field is inside its zone, at least 2 mm high,
// and an exact field holds its longest value; every barcode, with its longest
// data and its quiet zones, fits its zone with its human-readable line, meets
// its symbology's X-dimension and height rules (see the constants), a GS1-128
// prints its human-readable line and the SSCC is the lowest barcode; and the
// sources' samples build a label. It returns every problem found, none when
// the template may print.
func (t *ComplianceTemplate) Validate(dpi zpl.DPI) []Problem {
	var out []Problem
	add := func(where, format string, args ...any) {
		out = append(out, Problem{Where: where, Rule: fmt.Sprintf(format, args...)})
	}
	if err := dpi.Validate(); err != nil {
		add("printer", "%v", err)
		return out
	}
	for _, z := range t.Zones {
		if z.XMM+z.WidthMM > t.WidthMM+0.05 || z.YMM+z.HeightMM > t.LengthMM+0.05 {
			add("zone "+z.Name, "ends at %.1f,%.1f mm, off the %.1fx%.1f mm label", z.XMM+z.WidthMM, z.YMM+z.HeightMM, t.WidthMM, t.LengthMM)
		}
	}
	scratch := zpl.NewLabel(dpi, t.WidthMM, t.LengthMM)
	for i, f := range t.Fields {
		t.validateField(scratch, i, f, add)
	}
	bottom := map[int]float64{}
	for i, b := range t.Barcodes {
		bottom[i] = t.validateBarcode(dpi, i, b, add)
	}
	for i, b := range t.Barcodes {
		if !b.hasSSCC() {
			continue
		}
		top := t.zone(b.Zone).YMM + b.YMM
		for j, other := range t.Barcodes {
			if j != i && !other.hasSSCC() && bottom[j] > top+0.05 {
				add(barcodeWhere(i, b), "the SSCC must be the lowest barcode: barcode %d ends at %.1f mm, below the SSCC's top at %.1f mm", j+1, bottom[j], top)
			}
		}
	}
	if len(out) == 0 {
		if err := t.sampleBuild(dpi); err != nil {
			add("samples", "%v", err)
		}
	}
	return out
}

// sampleBuild builds the label with the sources' samples, when every
// required source has one.
func (t *ComplianceTemplate) sampleBuild(dpi zpl.DPI) error {
	samples := t.Samples()
	for name, s := range t.Sources {
		if s.Required && samples[name] == "" {
			return nil
		}
	}
	_, err := t.build(zpl.Device{DPI: dpi}, samples)
	return err
}

// validateField checks one field's box and, for an exact field, its
// longest value.
func (t *ComplianceTemplate) validateField(l *zpl.Label, i int, f ComplianceField, add func(string, string, ...any)) {
	where := fmt.Sprintf("field %d (%s)", i+1, cmpOr(f.Source, f.Text))
	z := t.zone(f.Zone)
	w, h := f.widthIn(z), f.Font.HeightMM*float64(f.lines())
	if f.XMM+w > z.WidthMM+0.05 || f.YMM+h > z.HeightMM+0.05 {
		add(where, "its %.1fx%.1f mm box at %.1f,%.1f runs out of zone %s (%.1fx%.1f mm)", w, h, f.XMM, f.YMM, z.Name, z.WidthMM, z.HeightMM)
	}
	if f.Font.HeightMM < minFontMM {
		add(where, "font %.1f mm high; at least %.1f mm to be legible", f.Font.HeightMM, minFontMM)
	}
	font := f.font()
	if l.TextWidthMM(font, "W") > w {
		add(where, "its box (%.1f mm) is narrower than one character", w)
		return
	}
	if !f.Exact {
		return
	}
	text := f.Text
	if f.Source != "" {
		text = f.Prefix + worstText(t.Sources[f.Source])
	}
	// Text may be narrowed to 3/4 of its width before it would be cut.
	if got := l.TextWidthMM(font, text) * 0.75; f.lines() == 1 && got > w {
		add(where, "an exact field: its longest value (%d characters) is %.1f mm wide even narrowed; the box is %.1f mm", utf8Len(text), got, w)
	}
}

// worstText is the widest value a source may take as far as it can be
// known: its longest run of digits for a numeric source, else its sample.
func worstText(s ComplianceSource) string {
	if s.Numeric {
		return strings.Repeat("0", s.MaxLength)
	}
	return s.Sample
}

// validateBarcode checks one barcode and returns where its bottom (with its
// human-readable line) is on the label, in millimetres.
func (t *ComplianceTemplate) validateBarcode(dpi zpl.DPI, i int, b ComplianceBarcode, add func(string, string, ...any)) float64 {
	where := barcodeWhere(i, b)
	z := t.zone(b.Zone)
	module := dpi.MM(max(1, dpi.DotsAtLeast(b.ModuleMM)))
	height := dpi.MM(max(1, dpi.DotsAtLeast(b.HeightMM)))
	width, err := t.worstWidthDots(dpi, b)
	if err != nil {
		add(where, "%v", err)
		return 0
	}
	widthMM := dpi.MM(width)
	switch b.Symbology {
	case SymbologyGS1128:
		if module < zpl.GS1MinModuleMM-1e-9 || module > GS1128MaxModuleMM+1e-9 {
			add(where, "X-dimension %.3f mm at %d dpi; GS1-128 on a shipping label needs %.3f–%.3f mm", module, int(dpi), zpl.GS1MinModuleMM, GS1128MaxModuleMM)
		}
		minH := GS1128MinOtherHeight
		if b.hasSSCC() {
			minH = zpl.GS1MinHeightMM
		}
		if height < minH-1e-9 {
			add(where, "bars %.1f mm high; at least %.1f mm", height, minH)
		}
		if !b.HRI {
			add(where, "GS1-128 needs its human-readable line (hri: true)")
		}
	default:
		if module < zpl.Code128MinModuleMM-1e-9 {
			add(where, "X-dimension %.3f mm at %d dpi; Code 128 needs at least %.2f mm", module, int(dpi), zpl.Code128MinModuleMM)
		}
		bars := widthMM - 2*zpl.Code128QuietModules*module
		if minH := math.Max(Code128MinHeightMM, Code128HeightRatio*bars); height < minH-1e-9 {
			add(where, "bars %.1f mm high; Code 128 %.1f mm long needs at least %.2f mm (¼ in, and 15%% of its length)", height, bars, minH)
		}
	}
	room := 0.0
	if b.HRI {
		room = hriRoomMM
	}
	if b.YMM+height+room > z.HeightMM+0.05 {
		add(where, "bars and human-readable line end %.1f mm into zone %s, which is %.1f mm high", b.YMM+height+room, z.Name, z.HeightMM)
	}
	left := b.XMM
	if b.Center {
		left = (z.WidthMM - widthMM) / 2
	}
	if widthMM > z.WidthMM+0.05 || left+widthMM > z.WidthMM+0.05 {
		add(where, "with its longest data and quiet zones (10 modules each side) it is %.1f mm wide from %.1f mm; zone %s is %.1f mm wide", widthMM, math.Max(0, left), z.Name, z.WidthMM)
	}
	return z.YMM + b.YMM + height + room
}

// worstWidthDots is the barcode's width with its quiet zones for its longest
// data: each source at its max_length (a GS1 AI's own length where it is
// fixed), digits for a numeric source or AI, else letters, which Code 128
// cannot pack two to a symbol.
func (t *ComplianceTemplate) worstWidthDots(dpi zpl.DPI, b ComplianceBarcode) (int, error) {
	if b.Symbology == SymbologyCode128 {
		s := t.Sources[b.Source]
		return zpl.Code128WidthDots(dpi, fill(s.MaxLength, s.Numeric), b.ModuleMM)
	}
	els := make([]gs1.Element, len(b.Elements))
	for i, e := range b.Elements {
		d, _ := gs1.Lookup(e.AI)
		s := t.Sources[e.Source]
		n := min(s.MaxLength, d.MaxLen())
		if d.Predefined {
			n = d.MaxLen()
		}
		els[i] = gs1.Element{AI: e.AI, Value: fill(n, s.Numeric || numericAI(d))}
	}
	return zpl.GS1128WidthDots(dpi, els, b.ModuleMM)
}

// numericAI reports whether every component of an AI's value is digits.
func numericAI(d *gs1.Definition) bool {
	for _, c := range d.Components {
		if c.Type != 'N' {
			return false
		}
	}
	return len(d.Components) > 0
}

// fill is n digits, or n letters.
func fill(n int, digits bool) string {
	if digits {
		return strings.Repeat("9", n)
	}
	return strings.Repeat("A", n)
}

// barcodeWhere names barcode i in a problem.
func barcodeWhere(i int, b ComplianceBarcode) string {
	if b.Symbology == SymbologyCode128 {
		return fmt.Sprintf("barcode %d (%s)", i+1, b.Source)
	}
	ais := make([]string, len(b.Elements))
	for j, e := range b.Elements {
		ais[j] = "(" + e.AI + ")"
	}
	return fmt.Sprintf("barcode %d %s", i+1, strings.Join(ais, ""))
}

func utf8Len(s string) int { return len([]rune(s)) }
