package label

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// PackingLine is one line of a packing list.
type PackingLine struct {
	SKU         string
	Description string
	Qty         int
}

// PackingList lists a carton's contents on 4×6 in labels; a long list
// continues over as many labels as it needs, each marked "page i of n".
//
// The SKU is never shortened: its column is as wide as the longest SKU needs.
// A description wraps onto a second line; one longer than two lines is
// shortened and its line marked "*", with a note at the foot, so two items
// whose descriptions differ only at the end are never silently printed alike.
type PackingList struct {
	Order           string
	ShipTo          domain.Address
	Carton, Cartons int
	Lines           []PackingLine
}

// Packing list layout, in millimetres.
const (
	packingBodyTop    = 33.0
	packingBodyHeight = 104.5 // 19 one-line rows, leaving room for the foot
	packingRow        = 5.5   // a one-line row
	packingLineStep   = 4.5   // each further line of a description
	packingDescLines  = 2
	packingQtyWidth   = 12.0
	packingMarkWidth  = 3.0
	packingSKUMax     = contentWidth / 2
)

// packingLayout is where the columns go and which lines go on which page.
type packingLayout struct {
	skuX, skuWidth, descX, descWidth float64
	pages                            [][]int // line indexes per page
	rows                             []int   // lines each line's description takes
}

// layout measures the SKUs and descriptions at d's resolution.
func (p PackingList) layout(d zpl.Device) (packingLayout, error) {
	m := zpl.NewLabelFor(d, width4in, length6in) // a scratch label to measure on
	lay := packingLayout{skuX: margin + packingQtyWidth + 1, skuWidth: 20}
	for _, ln := range p.Lines {
		lay.skuWidth = max(lay.skuWidth, m.TextWidthMM(fontBody, ln.SKU)+1)
	}
	if lay.skuWidth > packingSKUMax {
		return lay, fmt.Errorf("%w: a SKU is %.1f mm wide in the packing list's font; at most %.1f mm fit", zpl.ErrLayout, lay.skuWidth, packingSKUMax)
	}
	lay.descX = lay.skuX + lay.skuWidth + packingMarkWidth
	lay.descWidth = margin + contentWidth - lay.descX
	page, used := []int{}, 0.0
	for i, ln := range p.Lines {
		n := min(packingDescLines, m.Lines(fontBody, lay.descWidth, ln.Description))
		lay.rows = append(lay.rows, n)
		h := packingRow + float64(n-1)*packingLineStep
		if used+h > packingBodyHeight && len(page) > 0 {
			lay.pages = append(lay.pages, page)
			page, used = nil, 0
		}
		page = append(page, i)
		used += h
	}
	lay.pages = append(lay.pages, page)
	return lay, nil
}

// Pages is the number of labels the list takes at dpi.
func (p PackingList) Pages(dpi zpl.DPI) int {
	lay, err := p.layout(zpl.Device{DPI: dpi})
	if err != nil {
		return 1
	}
	return len(lay.pages)
}

// Build lays out every page at dpi.
func (p PackingList) Build(dpi zpl.DPI) ([]byte, error) { return p.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays out every page for printer d; the result holds one format
// per page.
func (p PackingList) BuildFor(d zpl.Device) ([]byte, error) {
	if err := required("order", p.Order); err != nil {
		return nil, err
	}
	carton, err := cartonText(p.Carton, p.Cartons)
	if err != nil {
		return nil, err
	}
	for _, ln := range p.Lines {
		if ln.Qty <= 0 || ln.SKU == "" {
			return nil, fmt.Errorf("%w: packing line %q qty %d", ErrInput, ln.SKU, ln.Qty)
		}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	lay, err := p.layout(d)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	pages := len(lay.pages)
	for page, idx := range lay.pages {
		l := zpl.NewLabelFor(d, width4in, length6in)
		l.Text(margin, margin, fontLarge, contentWidth, "PACKING LIST")
		l.Text(margin, 11, fontBody, halfWidth, "ORDER "+p.Order)
		l.Text(rightColumnMM, 11, fontBody, halfWidth, fmt.Sprintf("PAGE %d OF %d", page+1, pages))
		l.Text(margin, 16, fontBody, contentWidth, p.ShipTo.Name)
		if carton != "" {
			l.Text(margin, 21, fontBody, contentWidth, carton)
		}
		rule(l, 26)
		l.Text(margin, 28, fontCaption, packingQtyWidth, "QTY")
		l.Text(lay.skuX, 28, fontCaption, lay.skuWidth, "SKU")
		l.Text(lay.descX, 28, fontCaption, lay.descWidth, "DESCRIPTION")
		y := packingBodyTop
		marked := false
		for _, i := range idx {
			ln := p.Lines[i]
			l.Text(margin, y, fontBody, packingQtyWidth, strconv.Itoa(ln.Qty))
			l.Text(lay.skuX, y, fontBody, lay.skuWidth, ln.SKU)
			if ln.Description != "" && l.TextBlock(lay.descX, y, lay.descWidth, packingDescLines, fontBody, ln.Description) {
				l.Text(lay.descX-packingMarkWidth, y, fontBody, packingMarkWidth, "*")
				marked = true
			}
			y += packingRow + float64(lay.rows[i]-1)*packingLineStep
		}
		if page == pages-1 {
			rule(l, y+1)
			l.Text(margin, y+3, fontBody, contentWidth, fmt.Sprintf("%d LINES, %d UNITS", len(p.Lines), p.units()))
		} else {
			l.Text(margin, y+3, fontBody, contentWidth, "CONTINUED ON NEXT LABEL")
		}
		if marked {
			l.Text(margin, y+8, fontCaption, contentWidth, "* DESCRIPTION SHORTENED: SEE THE ORDER FOR THE FULL TEXT")
		}
		b, err := l.Bytes()
		if err != nil {
			return nil, err
		}
		out.Write(b)
	}
	return out.Bytes(), nil
}

func (p PackingList) units() int {
	n := 0
	for _, ln := range p.Lines {
		n += ln.Qty
	}
	return n
}
