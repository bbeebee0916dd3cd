package label

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/zpl"
)

// ComplianceTemplate is a customer's carton label specification as data, not
// code: the label size, its zones, the text fields and barcodes in each zone
// and the data sources they print. A site writes one per retailer ("UCC-128"
// labels, each retailer with its own zones and AIs) and fills it per carton
// with values by source name.
//
// Positions are in millimetres from the top-left corner of a field's zone.
// Every value is ^FH-escaped and measured (zpl.Label.Text); every barcode is
// sized from its module width and checked against its symbology's rules
// (Validate) before anything is printed.
type ComplianceTemplate struct {
	Name     string  `json:"name"`
	WidthMM  float64 `json:"width_mm"`
	LengthMM float64 `json:"length_mm"`
	// Sources are the data the label prints, by name ("ship_to.postal",
	// "sscc"): what a value may be and a sample of one.
	Sources  map[string]ComplianceSource `json:"sources"`
	Zones    []ComplianceZone            `json:"zones"`
	Fields   []ComplianceField           `json:"fields"`
	Barcodes []ComplianceBarcode         `json:"barcodes"`
}

// ComplianceSource is one datum a compliance label prints.
type ComplianceSource struct {
	Required  bool   `json:"required,omitempty"` // a label without it is refused
	Numeric   bool   `json:"numeric,omitempty"`  // digits only
	MaxLength int    `json:"max_length"`         // the longest value, in characters (1–200)
	Sample    string `json:"sample,omitempty"`   // an example value, for validation and previews
}

// ComplianceZone is a rectangle of the label, its border optional.
type ComplianceZone struct {
	Name     string  `json:"name"`
	XMM      float64 `json:"x_mm"`
	YMM      float64 `json:"y_mm"`
	WidthMM  float64 `json:"width_mm"`
	HeightMM float64 `json:"height_mm"`
	Border   bool    `json:"border,omitempty"`
}

// ComplianceFont is font 0 at a height and width setting in millimetres.
type ComplianceFont struct {
	HeightMM float64 `json:"height_mm"`
	WidthMM  float64 `json:"width_mm,omitempty"` // 0: 0.6 of the height
}

// ComplianceField is a line (or block of Lines lines) of text in a zone:
// static Text, or Prefix followed by the value of Source.
type ComplianceField struct {
	Zone    string         `json:"zone"`
	XMM     float64        `json:"x_mm"`
	YMM     float64        `json:"y_mm"`
	WidthMM float64        `json:"width_mm,omitempty"` // 0: to the zone's right edge
	Font    ComplianceFont `json:"font"`
	Lines   int            `json:"lines,omitempty"` // 0 or 1: one line; more: wrapped
	Text    string         `json:"text,omitempty"`
	Source  string         `json:"source,omitempty"`
	Prefix  string         `json:"prefix,omitempty"`
	// Exact fields (a PO, a PRO number) are never shortened: a value that
	// does not fit is refused instead of printed with "...".
	Exact bool `json:"exact,omitempty"`
}

// ComplianceBarcode is a linear barcode in a zone: GS1-128 of Elements, or
// Code 128 of the value of Source.
type ComplianceBarcode struct {
	Zone      string              `json:"zone"`
	XMM       float64             `json:"x_mm"` // the left quiet zone's left edge, in the zone
	YMM       float64             `json:"y_mm"`
	Center    bool                `json:"center,omitempty"` // centred across the zone; x_mm is ignored
	Symbology string              `json:"symbology"`        // "gs1-128" or "code128"
	Elements  []ComplianceElement `json:"elements,omitempty"`
	Source    string              `json:"source,omitempty"`
	ModuleMM  float64             `json:"module_mm"` // X-dimension, the narrow bar
	HeightMM  float64             `json:"height_mm"` // bar height
	HRI       bool                `json:"hri,omitempty"`
}

// ComplianceElement is one GS1 element string of a GS1-128 barcode: its AI
// and the source of its value.
type ComplianceElement struct {
	AI     string `json:"ai"`
	Source string `json:"source"`
}

// Symbologies a compliance template may use.
const (
	SymbologyGS1128  = "gs1-128"
	SymbologyCode128 = "code128"
)

// Bounds of a compliance template, so a template file can neither exhaust
// memory nor ask for arithmetic on absurd numbers.
const (
	complianceMaxBytes    = 64 << 10
	complianceMaxItems    = 64 // zones, fields, barcodes, sources each
	complianceMaxElements = 8
	complianceMaxMM       = 1000.0
	complianceMaxValue    = 200 // characters of a value
	complianceMaxText     = 200 // bytes of a name or static text
	complianceMaxLines    = 10
)

// sourceNameRE is a data source's name.
var sourceNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// LoadCompliance reads and checks a compliance template file.
func LoadCompliance(path string) (*ComplianceTemplate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("compliance template: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, complianceMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("compliance template %s: %w", path, err)
	}
	t, err := ParseCompliance(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ParseCompliance decodes a compliance template (JSON, unknown keys refused)
// and checks its structure: every zone and source a field or barcode names
// exists, every number is within bounds, every AI is known. Whether its
// barcodes meet their symbology's rules and its fields fit their zones is
// Validate's job, per printer resolution.
func ParseCompliance(data []byte) (*ComplianceTemplate, error) {
	if len(data) > complianceMaxBytes {
		return nil, fmt.Errorf("%w: compliance template is over %d bytes", ErrInput, complianceMaxBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t ComplianceTemplate
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%w: compliance template: %w", ErrInput, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: compliance template: data after the template", ErrInput)
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("%w: compliance template %q: %w", ErrInput, t.Name, err)
	}
	return &t, nil
}

// check is ParseCompliance's structural check.
func (t *ComplianceTemplate) check() error {
	if t.Name == "" || len(t.Name) > complianceMaxText {
		return fmt.Errorf("name must be 1–%d bytes", complianceMaxText)
	}
	if !inMM(t.WidthMM) || !inMM(t.LengthMM) || t.WidthMM == 0 || t.LengthMM == 0 {
		return fmt.Errorf("label size %gx%g mm: each must be over 0 and at most %g", t.WidthMM, t.LengthMM, complianceMaxMM)
	}
	if len(t.Sources) > complianceMaxItems || len(t.Zones) > complianceMaxItems || len(t.Fields) > complianceMaxItems || len(t.Barcodes) > complianceMaxItems {
		return fmt.Errorf("at most %d sources, zones, fields and barcodes each", complianceMaxItems)
	}
	for name, s := range t.Sources {
		if len(name) > complianceMaxText || !sourceNameRE.MatchString(name) {
			return fmt.Errorf("source name %q: lower-case words joined by dots, such as ship_to.postal", name)
		}
		if s.MaxLength < 1 || s.MaxLength > complianceMaxValue {
			return fmt.Errorf("source %s: max_length %d is not 1–%d", name, s.MaxLength, complianceMaxValue)
		}
		if s.Sample != "" {
			if err := s.accepts(s.Sample); err != nil {
				return fmt.Errorf("source %s sample: %w", name, err)
			}
		}
	}
	zones := map[string]bool{}
	for i, z := range t.Zones {
		if z.Name == "" || len(z.Name) > complianceMaxText || zones[z.Name] {
			return fmt.Errorf("zone %d: name %q is empty, too long or repeated", i+1, z.Name)
		}
		zones[z.Name] = true
		if !inMM(z.XMM) || !inMM(z.YMM) || !inMM(z.WidthMM) || !inMM(z.HeightMM) || z.WidthMM == 0 || z.HeightMM == 0 {
			return fmt.Errorf("zone %s: position and size must be 0–%g mm, the size over 0", z.Name, complianceMaxMM)
		}
	}
	for i, f := range t.Fields {
		where := fmt.Sprintf("field %d", i+1)
		switch {
		case !zones[f.Zone]:
			return fmt.Errorf("%s: unknown zone %q", where, f.Zone)
		case !inMM(f.XMM) || !inMM(f.YMM) || !inMM(f.WidthMM):
			return fmt.Errorf("%s: position and width must be 0–%g mm", where, complianceMaxMM)
		case f.Font.HeightMM <= 0 || f.Font.HeightMM > 100 || f.Font.WidthMM < 0 || f.Font.WidthMM > 100:
			return fmt.Errorf("%s: font %gx%g mm (height over 0, both at most 100)", where, f.Font.HeightMM, f.Font.WidthMM)
		case f.Lines < 0 || f.Lines > complianceMaxLines:
			return fmt.Errorf("%s: lines %d is not 0–%d", where, f.Lines, complianceMaxLines)
		case (f.Text == "") == (f.Source == ""):
			return fmt.Errorf("%s: give either text or source", where)
		case len(f.Text) > complianceMaxText || len(f.Prefix) > complianceMaxText:
			return fmt.Errorf("%s: text or prefix over %d bytes", where, complianceMaxText)
		case f.Source != "" && !t.hasSource(f.Source):
			return fmt.Errorf("%s: unknown source %q", where, f.Source)
		}
	}
	for i, b := range t.Barcodes {
		if err := t.checkBarcode(b, zones); err != nil {
			return fmt.Errorf("barcode %d: %w", i+1, err)
		}
	}
	return nil
}

// checkBarcode is check for one barcode.
func (t *ComplianceTemplate) checkBarcode(b ComplianceBarcode, zones map[string]bool) error {
	switch {
	case !zones[b.Zone]:
		return fmt.Errorf("unknown zone %q", b.Zone)
	case !inMM(b.XMM) || !inMM(b.YMM):
		return fmt.Errorf("position must be 0–%g mm", complianceMaxMM)
	case b.ModuleMM <= 0 || b.ModuleMM > 10 || b.HeightMM <= 0 || b.HeightMM > complianceMaxMM:
		return fmt.Errorf("module %g mm and height %g mm: module over 0 and at most 10, height over 0", b.ModuleMM, b.HeightMM)
	}
	switch b.Symbology {
	case SymbologyGS1128:
		if b.Source != "" || len(b.Elements) == 0 || len(b.Elements) > complianceMaxElements {
			return fmt.Errorf("GS1-128 takes 1–%d elements and no source", complianceMaxElements)
		}
		for _, e := range b.Elements {
			if _, ok := gs1.Lookup(e.AI); !ok {
				return fmt.Errorf("AI (%s) is not in the GS1 syntax dictionary", e.AI)
			}
			if !t.hasSource(e.Source) {
				return fmt.Errorf("(%s): unknown source %q", e.AI, e.Source)
			}
		}
	case SymbologyCode128:
		if len(b.Elements) > 0 || !t.hasSource(b.Source) {
			return fmt.Errorf("Code 128 takes one known source and no elements (source %q)", b.Source)
		}
	default:
		return fmt.Errorf("symbology %q: want %s or %s", b.Symbology, SymbologyGS1128, SymbologyCode128)
	}
	return nil
}

func (t *ComplianceTemplate) hasSource(name string) bool {
	_, ok := t.Sources[name]
	return ok
}

// inMM reports whether v is a usable millimetre figure (not NaN, 0–1000).
func inMM(v float64) bool { return v >= 0 && v <= complianceMaxMM }

// accepts checks a value against the source.
func (s ComplianceSource) accepts(v string) error {
	if n := utf8.RuneCountInString(v); n > s.MaxLength {
		return fmt.Errorf("%q is %d characters; at most %d", v, n, s.MaxLength)
	}
	if s.Numeric && strings.Trim(v, "0123456789") != "" {
		return fmt.Errorf("%q must be digits", v)
	}
	return nil
}

// SourceNames lists the template's data sources, sorted.
func (t *ComplianceTemplate) SourceNames() []string {
	out := make([]string, 0, len(t.Sources))
	for name := range t.Sources {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Samples are the sources' sample values, by source name.
func (t *ComplianceTemplate) Samples() map[string]string {
	out := map[string]string{}
	for name, s := range t.Sources {
		if s.Sample != "" {
			out[name] = s.Sample
		}
	}
	return out
}

// zone finds a zone by name (check made sure it exists).
func (t *ComplianceTemplate) zone(name string) ComplianceZone {
	for _, z := range t.Zones {
		if z.Name == name {
			return z
		}
	}
	return ComplianceZone{}
}

// font is the field's font for zpl.
func (f ComplianceField) font() zpl.Font {
	w := f.Font.WidthMM
	if w == 0 {
		w = f.Font.HeightMM * 0.6
	}
	return zpl.Font{HeightMM: f.Font.HeightMM, WidthMM: w}
}

// lines is how many lines the field takes.
func (f ComplianceField) lines() int { return max(1, f.Lines) }

// widthIn is the field's box width in its zone.
func (f ComplianceField) widthIn(z ComplianceZone) float64 {
	if f.WidthMM > 0 {
		return f.WidthMM
	}
	return z.WidthMM - f.XMM
}

// hasSSCC reports whether the barcode carries the SSCC (00).
func (b ComplianceBarcode) hasSSCC() bool {
	for _, e := range b.Elements {
		if e.AI == "00" {
			return true
		}
	}
	return false
}

// ComplianceLabel is a compliance template filled with one carton's values.
type ComplianceLabel struct {
	Template *ComplianceTemplate
	Values   map[string]string // by source name
}

// Build lays the label out at dpi.
func (c ComplianceLabel) Build(dpi zpl.DPI) ([]byte, error) {
	return c.BuildFor(zpl.Device{DPI: dpi})
}

// BuildFor lays the label out for printer d. A template that breaks a rule at
// d's resolution (Validate) is refused, as is a value its source does not
// accept, a required value missing, an exact field that would be shortened
// or a barcode whose data makes it wider than its zone.
func (c ComplianceLabel) BuildFor(d zpl.Device) ([]byte, error) {
	if c.Template == nil {
		return nil, fmt.Errorf("%w: no compliance template", ErrInput)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if probs := c.Template.Validate(d.DPI); len(probs) > 0 {
		return nil, fmt.Errorf("%w: compliance template %q breaks %d rule(s) at %d dpi: %s", zpl.ErrLayout, c.Template.Name, len(probs), int(d.DPI), joinProblems(probs))
	}
	return c.Template.build(d, c.Values)
}

// build fills the template without validating its layout.
func (t *ComplianceTemplate) build(d zpl.Device, values map[string]string) ([]byte, error) {
	vals := map[string]string{}
	for _, name := range t.SourceNames() {
		s, v := t.Sources[name], strings.TrimSpace(values[name])
		if v == "" {
			if s.Required {
				return nil, fmt.Errorf("%w: %s is required by %q", ErrInput, name, t.Name)
			}
			continue
		}
		if err := s.accepts(v); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrInput, name, err)
		}
		vals[name] = v
	}
	for name := range values {
		if !t.hasSource(name) {
			return nil, fmt.Errorf("%w: %q has no source %q (it has %s)", ErrInput, t.Name, name, strings.Join(t.SourceNames(), ", "))
		}
	}
	l := zpl.NewLabelFor(d, t.WidthMM, t.LengthMM)
	for _, z := range t.Zones {
		if z.Border {
			l.Box(z.XMM, z.YMM, z.WidthMM, z.HeightMM, 0.3)
		}
	}
	for i, f := range t.Fields {
		text := f.Text
		if f.Source != "" {
			v, ok := vals[f.Source]
			if !ok {
				continue
			}
			text = f.Prefix + v
		}
		z := t.zone(f.Zone)
		x, y, w := z.XMM+f.XMM, z.YMM+f.YMM, f.widthIn(z)
		var cut bool
		if f.lines() > 1 {
			cut = l.TextBlock(x, y, w, f.lines(), f.font(), text)
		} else {
			cut = l.Text(x, y, f.font(), w, text)
		}
		if cut && f.Exact {
			return nil, fmt.Errorf("%w: field %d (%s): %q does not fit its %.1f mm box and may not be shortened", zpl.ErrLayout, i+1, cmpOr(f.Source, f.Text), text, w)
		}
	}
	els, err := t.elements(vals)
	if err != nil {
		return nil, err
	}
	var all []gs1.Element
	for _, e := range els {
		all = append(all, e...)
	}
	for i, b := range t.Barcodes {
		if err := t.barcode(l, i, b, els[i], vals, all); err != nil {
			return nil, err
		}
	}
	return l.Bytes()
}

// elements are each GS1-128 barcode's elements with their values (nil for a
// barcode whose values are missing, which is then not printed).
func (t *ComplianceTemplate) elements(vals map[string]string) ([][]gs1.Element, error) {
	out := make([][]gs1.Element, len(t.Barcodes))
	for i, b := range t.Barcodes {
		var els []gs1.Element
		for _, e := range b.Elements {
			v, ok := vals[e.Source]
			if !ok {
				els = nil
				break
			}
			if e.AI == "00" {
				sscc, err := NormalizeSSCC(v)
				if err != nil {
					return nil, err
				}
				v = sscc
			}
			els = append(els, gs1.Element{AI: e.AI, Value: v})
		}
		out[i] = els
	}
	return out, nil
}

// barcode prints barcode i, placed in its zone; data that makes it wider
// than the zone is refused.
func (t *ComplianceTemplate) barcode(l *zpl.Label, i int, b ComplianceBarcode, els []gs1.Element, vals map[string]string, all []gs1.Element) error {
	dpi := l.DPI()
	var width int
	var err error
	switch b.Symbology {
	case SymbologyGS1128:
		if els == nil {
			return nil
		}
		width, err = zpl.GS1128WidthDots(dpi, els, b.ModuleMM)
	default:
		v, ok := vals[b.Source]
		if !ok {
			return nil
		}
		width, err = zpl.Code128WidthDots(dpi, v, b.ModuleMM)
	}
	if err != nil {
		return fmt.Errorf("barcode %d: %w", i+1, err)
	}
	z := t.zone(b.Zone)
	left, zoneDots := dpi.Dots(z.XMM+b.XMM), dpi.Dots(z.WidthMM)
	if b.Center {
		left = dpi.Dots(z.XMM) + (zoneDots-width)/2
	}
	if width > zoneDots || left+width > dpi.Dots(z.XMM+z.WidthMM) {
		return fmt.Errorf("%w: barcode %d is %.1f mm wide with its quiet zones; zone %s is %.1f mm", zpl.ErrLayout, i+1, dpi.MM(width), z.Name, z.WidthMM)
	}
	quiet := zpl.Code128QuietModules * max(1, dpi.DotsAtLeast(b.ModuleMM))
	x, y := dpi.MM(left+quiet), z.YMM+b.YMM
	o := zpl.Bar{HeightMM: b.HeightMM, ModuleMM: b.ModuleMM, MinModuleMM: b.ModuleMM, HRI: b.HRI, HRIFont: fontHRI, Others: all}
	switch {
	case b.Symbology == SymbologyCode128:
		l.Code128(x, y, vals[b.Source], o)
	case b.hasSSCC():
		l.GS1128(x, y, els, o)
	default:
		l.GS1128Small(x, y, els, o)
	}
	return nil
}

// cmpOr is a if set, else b.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
