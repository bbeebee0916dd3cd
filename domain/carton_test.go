package domain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var (
	small = CartonType{Code: "S", InnerLengthMM: 250, InnerWidthMM: 180, InnerHeightMM: 100, TareGrams: 120, MaxGrams: 5000}
	env   = CartonType{Code: "ENV", InnerLengthMM: 300, InnerWidthMM: 220, InnerHeightMM: 30, TareGrams: 40, MaxGrams: 1000}
	large = CartonType{Code: "L", InnerLengthMM: 500, InnerWidthMM: 350, InnerHeightMM: 300, TareGrams: 480, MaxGrams: 20000}
	bolts = Item{SKU: "HX", WeightGrams: 1150, LengthMM: 120, WidthMM: 80, HeightMM: 60}
	rod   = Item{SKU: "ROD", WeightGrams: 300, LengthMM: 20, WidthMM: 20, HeightMM: 450}
	flat  = Item{SKU: "GLOVES", WeightGrams: 100, LengthMM: 200, WidthMM: 150, HeightMM: 20}
)

func TestDimsFitsIn(t *testing.T) {
	box := Dims{LengthMM: 100, WidthMM: 200, HeightMM: 50}
	assert.True(t, Dims{LengthMM: 50, WidthMM: 190, HeightMM: 90}.FitsIn(box), "turned: 190 along 200, 90 along 100")
	assert.False(t, Dims{LengthMM: 210, WidthMM: 10, HeightMM: 10}.FitsIn(box), "longest side too long")
	assert.False(t, Dims{LengthMM: 60, WidthMM: 60, HeightMM: 60}.FitsIn(box), "shortest side too long")
	assert.Equal(t, int64(1_000_000), box.Volume())
}

func TestSuggestCarton(t *testing.T) {
	types := []CartonType{large, small, env} // not in size order
	cases := []struct {
		name  string
		items []ItemQty
		fill  float64
		want  string // "" = none fits
	}{
		{"one box of bolts: the small box", []ItemQty{{bolts, 1}}, 0.8, "S"},
		{"flat gloves: the envelope", []ItemQty{{flat, 2}}, 0.8, "ENV"},
		{"seven boxes of bolts: over the small box by volume and weight", []ItemQty{{bolts, 7}}, 0.8, "L"},
		{"four boxes of bolts: the small box, just under its 5 kg", []ItemQty{{bolts, 4}}, 1, "S"},
		{"five boxes fit the small box by volume, not by weight", []ItemQty{{bolts, 5}}, 1, "L"},
		{"a long rod: longest side", []ItemQty{{rod, 1}}, 0.8, "L"},
		{"fill factor: 3 bolts take 38% of the small box", []ItemQty{{bolts, 3}}, 0.3, "L"},
		{"zero fill is the default", []ItemQty{{bolts, 1}}, 0, "S"},
		{"too heavy for any", []ItemQty{{bolts, 20}}, 0.8, ""},
		{"nothing: the smallest", nil, 0.8, "ENV"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := SuggestCarton(types, c.items, c.fill)
			assert.Equal(t, c.want != "", ok)
			assert.Equal(t, c.want, got.Code)
		})
	}
}

func TestExpectedGrams(t *testing.T) {
	assert.Equal(t, 120+2*1150+300, ExpectedGrams(small, []ItemQty{{bolts, 2}, {rod, 1}}))
}
