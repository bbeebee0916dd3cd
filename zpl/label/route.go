package label

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// Route is the label on a returned unit that is not restocked, so it goes
// where its disposition says, on 4×2 in stock: the disposition in words
// ("RETURN TO VENDOR"), the unit's barcode (its serial, else its SKU, else
// the barcode scanned off an unknown item), the RMA, the condition as a
// worker reads it ("Damaged"), the quantity and the item. An unknown item
// keeps both the code scanned off it and its serial.
type Route struct {
	RMA         string
	OrderID     string
	SKU         string // empty for an unknown item
	Description string
	Code        string // the barcode scanned off an unknown item
	Serial      string
	Lot         string
	Qty         int
	Condition   domain.Condition
	Disposition domain.Disposition
	Expected    bool // on the RMA; false for an unexpected item
}

// Barcode is what the route label's barcode carries: the serial, else the
// SKU, else the scanned code.
func (r Route) Barcode() string {
	for _, s := range []string{r.Serial, r.SKU, r.Code} {
		if s != "" {
			return s
		}
	}
	return ""
}

// Text is the label's summary on one line, for an operator to write on the
// unit when no printer is there: "RETURN TO VENDOR RMA-50001 Damaged MT-7000
// Laser meter S/N 123".
func (r Route) Text() string {
	parts := []string{strings.ToUpper(r.Disposition.Label()), r.RMA, r.Condition.Label()}
	if r.Qty > 1 {
		parts = append(parts, "x"+strconv.Itoa(r.Qty))
	}
	parts = append(parts, r.item()...)
	return joinNonEmpty(parts, " ")
}

// item is the unit's identity in words.
func (r Route) item() []string {
	var out []string
	if r.SKU != "" {
		out = append(out, r.SKU, r.Description)
	} else {
		out = append(out, "Unknown item "+r.Code)
	}
	if r.Serial != "" {
		out = append(out, "S/N "+r.Serial)
	}
	if r.Lot != "" {
		out = append(out, "Lot "+r.Lot)
	}
	return out
}

// itemBlock is the item on its own line (the SKU and description, or the
// unknown item's code) and its serial and lot on the next.
func (r Route) itemBlock() string {
	first := "Unknown item " + r.Code
	if r.SKU != "" {
		first = joinNonEmpty([]string{r.SKU, r.Description}, " ")
	}
	var tracking []string
	if r.Serial != "" {
		tracking = append(tracking, "S/N "+r.Serial)
	}
	if r.Lot != "" {
		tracking = append(tracking, "Lot "+r.Lot)
	}
	return joinNonEmpty([]string{first, strings.Join(tracking, "  ")}, "\n")
}

// joinNonEmpty joins the non-blank parts, trimmed, with sep: no doubled or
// trailing separators.
func joinNonEmpty(parts []string, sep string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// Build lays the label out at dpi.
func (r Route) Build(dpi zpl.DPI) ([]byte, error) { return r.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays the label out on 4×2 in stock for printer d.
func (r Route) BuildFor(d zpl.Device) ([]byte, error) {
	if err := required("RMA", r.RMA, "disposition", string(r.Disposition)); err != nil {
		return nil, err
	}
	code := r.Barcode()
	if code == "" {
		return nil, fmt.Errorf("%w: a route label needs the unit's serial, SKU or scanned code", ErrInput)
	}
	if r.Qty < 0 {
		return nil, fmt.Errorf("%w: quantity %d", ErrInput, r.Qty)
	}
	l := zpl.NewLabelFor(d, width4in, 2*inch)
	l.Text(margin, 2, fontRoute, contentWidth, strings.ToUpper(r.Disposition.Label()))
	l.Code128(0, 10, code, zpl.Bar{HeightMM: 13, ModuleMM: 0.375, Center: true})
	l.Text(margin, 24, fontBody, contentWidth, code)
	head := joinNonEmpty([]string{r.RMA, r.Condition.Label(), "Qty " + strconv.Itoa(max(1, r.Qty))}, "  ·  ")
	if !r.Expected {
		head += "  ·  NOT ON RMA"
	}
	l.Text(margin, 29, fontBody, contentWidth, head)
	l.TextBlock(margin, 34, contentWidth, 3, fontBody, r.itemBlock())
	return l.Bytes()
}
