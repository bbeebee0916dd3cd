package domain

import "slices"

// Dims are a box's three sides in millimetres, in any order.
type Dims struct {
	LengthMM int `json:"length_mm"`
	WidthMM  int `json:"width_mm"`
	HeightMM int `json:"height_mm"`
}

// DefaultFillFactor is the share of a carton's inner volume that items may
// take when a site sets none: the rest is void fill and the slack of
// boxes that do not tessellate.
const DefaultFillFactor = 0.8

// sides returns the sides longest first.
func (d Dims) sides() [3]int {
	s := [3]int{d.LengthMM, d.WidthMM, d.HeightMM}
	slices.SortFunc(s[:], func(a, b int) int { return b - a })
	return s
}

// Volume is the volume in cubic millimetres.
func (d Dims) Volume() int64 { return int64(d.LengthMM) * int64(d.WidthMM) * int64(d.HeightMM) }

// FitsIn reports whether a box of these sides goes into a box of inner
// sides in, turned as needed: longest side along the longest side, and so
// on down.
func (d Dims) FitsIn(in Dims) bool {
	a, b := d.sides(), in.sides()
	return a[0] <= b[0] && a[1] <= b[1] && a[2] <= b[2]
}

// Dims are the item's outer dimensions.
func (it Item) Dims() Dims {
	return Dims{LengthMM: it.LengthMM, WidthMM: it.WidthMM, HeightMM: it.HeightMM}
}

// Inner is the carton type's inner dimensions.
func (c CartonType) Inner() Dims {
	return Dims{LengthMM: c.InnerLengthMM, WidthMM: c.InnerWidthMM, HeightMM: c.InnerHeightMM}
}

// ItemQty is a quantity of one item, for carton fitting and weights.
type ItemQty struct {
	Item Item
	Qty  int
}

// Takes reports whether the carton is for items of handling class h: one
// of its classes, or general goods in a carton that lists none.
func (c CartonType) Takes(h HandlingClass) bool {
	if len(c.Handling) == 0 {
		return h == ""
	}
	return slices.Contains(c.Handling, h)
}

// TakesAll is the first item the carton is not for (its handling class),
// and false; or true when it is for them all.
func (c CartonType) TakesAll(items []ItemQty) (Item, bool) {
	for _, iq := range items {
		if iq.Qty > 0 && !c.Takes(iq.Item.Handling) {
			return iq.Item, false
		}
	}
	return Item{}, true
}

// Fits reports whether items go into the carton: the carton is for every
// item's handling class, every item fits alone
// (its longest side along the carton's longest side, and so on), their
// volume together is at most the carton's inner volume times fill (0 or
// less: DefaultFillFactor), and with the carton's tare they stay within
// its MaxGrams when it has one.
func (c CartonType) Fits(items []ItemQty, fill float64) bool {
	if fill <= 0 {
		fill = DefaultFillFactor
	}
	if _, ok := c.TakesAll(items); !ok {
		return false
	}
	var volume int64
	grams := c.TareGrams
	for _, iq := range items {
		if iq.Qty <= 0 {
			continue
		}
		if !iq.Item.Dims().FitsIn(c.Inner()) {
			return false
		}
		volume += iq.Item.Dims().Volume() * int64(iq.Qty)
		grams += iq.Item.WeightGrams * iq.Qty
	}
	if float64(volume) > float64(c.Inner().Volume())*fill {
		return false
	}
	return c.MaxGrams <= 0 || grams <= c.MaxGrams
}

// SuggestCarton returns the smallest carton type (by inner volume; the
// first listed on a tie) that items fit in, and false when none does.
func SuggestCarton(types []CartonType, items []ItemQty, fill float64) (CartonType, bool) {
	best, found := CartonType{}, false
	for _, c := range types {
		if !c.Fits(items, fill) {
			continue
		}
		if !found || c.Inner().Volume() < best.Inner().Volume() {
			best, found = c, true
		}
	}
	return best, found
}

// ExpectedGrams is what items weigh with the carton's tare.
func ExpectedGrams(c CartonType, items []ItemQty) int {
	g := c.TareGrams
	for _, iq := range items {
		g += iq.Item.WeightGrams * iq.Qty
	}
	return g
}
