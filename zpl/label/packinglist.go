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
type PackingList struct {
	Order           string
	ShipTo          domain.Address
	Carton, Cartons int
	Lines           []PackingLine
}

// packingLinesPerPage is how many lines fit between the header and the foot.
const packingLinesPerPage = 20

// Pages is the number of labels the list takes.
func (p PackingList) Pages() int {
	return max(1, (len(p.Lines)+packingLinesPerPage-1)/packingLinesPerPage)
}

// Build lays out every page; the result holds one format per page.
func (p PackingList) Build(dpi zpl.DPI) ([]byte, error) {
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
	var out bytes.Buffer
	pages := p.Pages()
	for page := range pages {
		l := zpl.NewLabel(dpi, width4in, length6in)
		l.Text(margin, margin, fontLarge, contentWidth, "PACKING LIST")
		l.Text(margin, 11, fontBody, halfWidth, "ORDER "+p.Order)
		l.Text(rightColumnMM, 11, fontBody, halfWidth, fmt.Sprintf("PAGE %d OF %d", page+1, pages))
		l.Text(margin, 16, fontBody, contentWidth, p.ShipTo.Name)
		if carton != "" {
			l.Text(margin, 21, fontBody, contentWidth, carton)
		}
		rule(l, 26)
		l.Text(margin, 28, fontCaption, 12, "QTY")
		l.Text(margin+13, 28, fontCaption, 25, "SKU")
		l.Text(margin+40, 28, fontCaption, contentWidth-40, "DESCRIPTION")
		y := 33.0
		end := min(len(p.Lines), (page+1)*packingLinesPerPage)
		for _, ln := range p.Lines[page*packingLinesPerPage : end] {
			l.Text(margin, y, fontBody, 12, strconv.Itoa(ln.Qty))
			l.Text(margin+13, y, fontBody, 26, ln.SKU)
			l.Text(margin+40, y, fontBody, contentWidth-40, ln.Description)
			y += 5.5
		}
		if page == pages-1 {
			rule(l, y+1)
			l.Text(margin, y+3, fontBody, contentWidth, fmt.Sprintf("%d LINES, %d UNITS", len(p.Lines), p.units()))
		} else {
			l.Text(margin, y+3, fontBody, contentWidth, "CONTINUED ON NEXT LABEL")
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
