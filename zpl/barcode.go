package zpl

import (
	"fmt"
	"math"
	"strings"

	"github.com/rfterm/rfterm/barcode/gs1"
)

// GS1 logistic label rules for GS1-128: X-dimension 0.495–1.016 mm, bars at
// least 32 mm high.
const (
	GS1MinModuleMM = 0.495
	GS1MinHeightMM = 32.0
)

// defaultModuleMM is the narrow bar used when a Bar gives none: 2 dots at 203 dpi.
const defaultModuleMM = 0.25

// Code128MinModuleMM is the narrowest X-dimension a Code 128 symbol is printed
// at when its preferred one does not fit: 0.25 mm (10 mil), the smallest GS1
// allows for GS1-128 outside the logistic label and what a warehouse scanner
// reads off a thermal label at arm's length.
const Code128MinModuleMM = 0.25

// Bar sets out a linear barcode.
type Bar struct {
	HeightMM float64 // bar height
	ModuleMM float64 // preferred narrow bar (X-dimension); 0 means 0.25 mm
	// MinModuleMM is the narrowest X-dimension allowed when the symbol does
	// not fit the label at ModuleMM; 0 means Code128MinModuleMM (GS1-128:
	// GS1MinModuleMM); narrowing never goes below that floor.
	MinModuleMM float64
	// Others are the GS1 elements of the label's other barcodes, against
	// which a GS1-128's AI associations are checked ((37) requires (00)).
	Others  []gs1.Element
	HRI     bool // print the human-readable line under the bars
	HRIFont Font // font of the human-readable line (GS1-128 only); zero means 3 mm
	Center  bool // centre on the label; the x position is ignored
}

func (o Bar) moduleDots(dpi DPI) int {
	mm := o.ModuleMM
	if mm <= 0 {
		mm = defaultModuleMM
	}
	return max(1, dpi.DotsAtLeast(mm))
}

// minModuleDots is the narrowest module allowed, never below floorMM.
func (o Bar) minModuleDots(dpi DPI, floorMM float64) int {
	return max(1, dpi.DotsAtLeast(max(o.MinModuleMM, floorMM)))
}

// Code128 prints s (printable ASCII) as Code 128, switching between subsets B
// and C to keep it short. A symbol too wide for the label at its preferred
// X-dimension is printed with the widest narrower module that fits, down to
// its MinModuleMM (0.25 mm at least); only then is it refused.
func (l *Label) Code128(xMM, yMM float64, s string, o Bar) {
	if !l.ok() {
		return
	}
	f, err := encodeCode128(s, false)
	if err != nil {
		l.fail(err)
		return
	}
	l.code128(xMM, yMM, f, o, Code128MinModuleMM, o.HRI, s)
}

// GS1128 prints GS1 elements as GS1-128: start C, FNC1, the elements with FNC1
// after each variable-length one, at an X-dimension of at least 0.495 mm and
// bars at least 32 mm high (the GS1 logistic label rules; ^BY4 at 203 dpi,
// ^BY6 at 300 dpi). With HRI the "(AI) value" text is printed under the bars.
func (l *Label) GS1128(xMM, yMM float64, els []gs1.Element, o Bar) {
	if !l.ok() {
		return
	}
	f, err := gs1Field(els, o.Others)
	if err != nil {
		l.fail(err)
		return
	}
	o.ModuleMM = max(o.ModuleMM, GS1MinModuleMM)
	o.HeightMM = max(o.HeightMM, GS1MinHeightMM)
	l.gs1128(xMM, yMM, f, els, o, GS1MinModuleMM)
}

// GS1128Small prints GS1 elements as GS1-128 outside the logistic label's
// size rules (a content barcode on a small label, a route label): X-dimension
// at least 0.25 mm, bars as high as o says.
func (l *Label) GS1128Small(xMM, yMM float64, els []gs1.Element, o Bar) {
	if !l.ok() {
		return
	}
	f, err := gs1Field(els, o.Others)
	if err != nil {
		l.fail(err)
		return
	}
	l.gs1128(xMM, yMM, f, els, o, Code128MinModuleMM)
}

// gs1Field checks GS1 elements (with the label's others for the AI
// associations) and encodes them for ^BC: start C, FNC1, the elements.
func gs1Field(els, others []gs1.Element) (code128Field, error) {
	data, err := GS1DataOnLabel(els, others)
	if err != nil {
		return code128Field{}, err
	}
	return encodeCode128(string(rune(gsByte))+data, true)
}

func (l *Label) gs1128(xMM, yMM float64, f code128Field, els []gs1.Element, o Bar, floorMM float64) {
	text := GS1Text(els)
	x, width := l.code128(xMM, yMM, f, o, floorMM, false, text)
	if !o.HRI || l.err != nil {
		return
	}
	hf := o.HRIFont
	if hf.HeightMM == 0 {
		hf = Font{HeightMM: 3, WidthMM: 2}
	}
	// The human-readable line is centred under the bars, measured with font
	// 0's advance widths; it may run past the bars into the quiet zones.
	_, fw := l.fontDots(hf)
	tw := int(math.Ceil(AdvanceDots(fw, text)))
	tx := min(max(0, x+(width-tw)/2), max(0, l.width-tw))
	l.textDots(tx, l.dpi.Dots(yMM+o.HeightMM+1), hf, l.dpi.MM(l.width-tx), text)
}

// GS1128WidthDots is how wide GS1 elements print as one GS1-128 symbol, in
// dots with both quiet zones, at the narrowest module (in dots) no less than
// moduleMM at dpi.
func GS1128WidthDots(dpi DPI, els []gs1.Element, moduleMM float64) (int, error) {
	f, err := encodeCode128(string(rune(gsByte))+joinGS1(els), true)
	if err != nil {
		return 0, err
	}
	return (f.modules() + 2*code128QuietModules) * max(1, dpi.DotsAtLeast(moduleMM)), nil
}

// code128 writes ^BY, ^BC and the field at the widest module from o's
// preferred down to its minimum (never below floorMM) that fits the label with
// the quiet zones; it returns the symbol's x position and width in dots.
func (l *Label) code128(xMM, yMM float64, f code128Field, o Bar, floorMM float64, hri bool, orig string) (x, width int) {
	m := o.moduleDots(l.dpi)
	least := min(m, o.minModuleDots(l.dpi, floorMM))
	for m > least && (f.modules()+2*code128QuietModules)*m > l.width {
		m--
	}
	width = f.modules() * m
	quiet := code128QuietModules * m
	if width+2*quiet > l.width {
		l.fail(fmt.Errorf("%w: Code 128 %q is %.1f mm wide with quiet zones at its narrowest allowed X-dimension %.2f mm; the label is %.1f mm", ErrLayout, orig, l.dpi.MM(width+2*quiet), l.dpi.MM(m), l.WidthMM()))
		return 0, 0
	}
	x = l.dpi.Dots(xMM)
	if o.Center {
		x = (l.width - width) / 2
	}
	// Keep the quiet zone on the right: move left rather than run off.
	x = max(0, min(x, l.width-width-quiet))
	if !l.originDots(x, l.dpi.Dots(yMM)) {
		return 0, 0
	}
	h := max(1, l.dpi.DotsAtLeast(o.HeightMM))
	fmt.Fprintf(&l.b, "^BY%d^BCN,%d,%s,N,N,N", m, h, yn(hri))
	l.fieldData(f.data)
	return x, width
}

// QR prints s as a QR code (model 2, error correction Q, automatic input mode)
// with modules of at least moduleMM.
func (l *Label) QR(xMM, yMM, moduleMM float64, s string) {
	if !l.ok() {
		return
	}
	if s == "" {
		l.fail(fmt.Errorf("%w: empty QR data", ErrData))
		return
	}
	if !l.origin(xMM, yMM) {
		return
	}
	fmt.Fprintf(&l.b, "^BQN,2,%d", min(100, max(1, l.dpi.DotsAtLeast(moduleMM))))
	l.fieldData("QA," + s)
}

// DataMatrix prints s as an ECC 200 Data Matrix with modules of at least
// moduleMM. The underscore is set as the symbol's escape character; a '_' in s
// is doubled so it stays data.
func (l *Label) DataMatrix(xMM, yMM, moduleMM float64, s string) {
	if !l.ok() {
		return
	}
	if s == "" {
		l.fail(fmt.Errorf("%w: empty Data Matrix data", ErrData))
		return
	}
	l.dataMatrix(xMM, yMM, moduleMM, EscapeDataMatrix(s, dataMatrixEscape))
}

// GS1DataMatrix prints GS1 elements as a GS1 Data Matrix: FNC1 first, then the
// element string with FNC1 after each variable-length element.
func (l *Label) GS1DataMatrix(xMM, yMM, moduleMM float64, els []gs1.Element) {
	if !l.ok() {
		return
	}
	data, err := GS1Data(els)
	if err != nil {
		l.fail(err)
		return
	}
	fnc1 := string(dataMatrixEscape) + "1"
	l.dataMatrix(xMM, yMM, moduleMM, fnc1+strings.ReplaceAll(EscapeDataMatrix(data, dataMatrixEscape), string(rune(gsByte)), fnc1))
}

// dataMatrixEscape is the escape character set in ^BX for ECC 200 data.
const dataMatrixEscape = '_'

// EscapeDataMatrix doubles the ^BX escape character esc in s so it stays data.
func EscapeDataMatrix(s string, esc byte) string {
	e := string(esc)
	return strings.ReplaceAll(s, e, e+e)
}

func (l *Label) dataMatrix(xMM, yMM, moduleMM float64, escaped string) {
	if !l.origin(xMM, yMM) {
		return
	}
	fmt.Fprintf(&l.b, "^BXN,%d,200,0,0,6,%c", max(1, l.dpi.DotsAtLeast(moduleMM)), dataMatrixEscape)
	l.fieldData(escaped)
}

// PDF417 prints s as PDF417 with the given module width, row height (in
// modules, at least 3) and data columns (1–30); a backslash in s is doubled
// and a line break sent as \& as ^B7 expects.
func (l *Label) PDF417(xMM, yMM, moduleMM float64, rowModules, columns int, s string) {
	if !l.ok() {
		return
	}
	if s == "" || columns < 1 || columns > 30 {
		l.fail(fmt.Errorf("%w: PDF417 needs data and 1–30 columns (got %d)", ErrData, columns))
		return
	}
	if !l.origin(xMM, yMM) {
		return
	}
	m := min(10, max(2, l.dpi.DotsAtLeast(moduleMM)))
	fmt.Fprintf(&l.b, "^BY%d^B7N,%d,5,%d,,N", m, max(3, rowModules), columns)
	l.fieldData(EscapeBlockText(s))
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}
