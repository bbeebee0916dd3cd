package domain

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseWeight(t *testing.T) {
	cases := []struct {
		number string
		unit   WeightUnit
		mg     int64
		bad    bool
	}{
		{"0.525", UnitKG, 525_000, false},
		{"+0001.234", UnitKG, 1_234_000, false},
		{"-0.012", UnitKG, -12_000, false},
		{"1234", UnitG, 1_234_000, false},
		{"12.5", UnitG, 12_500, false},
		{"1", UnitLB, 453_592, false},
		{"2.20", UnitLB, 997_903, false},
		{".5", UnitKG, 500_000, false},
		{"", UnitKG, 0, true},
		{"1e3", UnitG, 0, true},
		{"inf", UnitKG, 0, true},
		{"1.2.3", UnitKG, 0, true},
		{"0x10", UnitG, 0, true},
		{"-", UnitKG, 0, true},
		{"1", "st", 0, true},
		{"999999999", UnitKG, 0, true},
	}
	for _, c := range cases {
		mg, err := ParseWeight(c.number, c.unit)
		if c.bad {
			assert.ErrorIs(t, err, ErrWeight, "%q %s", c.number, c.unit)
			continue
		}
		assert.NoError(t, err, "%q %s", c.number, c.unit)
		assert.Equal(t, c.mg, mg, "%q %s", c.number, c.unit)
	}
}

func TestParseWeightText(t *testing.T) {
	cases := []struct {
		text string
		mg   int64
		unit WeightUnit
	}{
		{"1.234 kg", 1_234_000, UnitKG},
		{"1234g", 1_234_000, UnitG},
		{" 2.5 LB ", 1_133_981, UnitLB},
		{"0.9", 900_000, UnitKG}, // the default unit
	}
	for _, c := range cases {
		mg, unit, err := ParseWeightText(c.text, UnitKG)
		assert.NoError(t, err, c.text)
		assert.Equal(t, c.mg, mg, c.text)
		assert.Equal(t, c.unit, unit, c.text)
	}
	for _, bad := range []string{"", "kg", "1.2 stone", "abc", "1,5 kg"} {
		_, _, err := ParseWeightText(bad, UnitKG)
		assert.True(t, errors.Is(err, ErrWeight), "%q: %v", bad, err)
	}
}

func TestWeightTolerance(t *testing.T) {
	tol := WeightTolerance{Grams: 50, Percent: 5}
	assert.Equal(t, 50, tol.Allowed(400), "50 g beats 5% of 400 g")
	assert.Equal(t, 100, tol.Allowed(2000), "5% of 2 kg beats 50 g")
	assert.True(t, tol.Within(2000, 2100))
	assert.True(t, tol.Within(2000, 1900))
	assert.False(t, tol.Within(2000, 2101))
	assert.False(t, tol.Within(400, 340))
	assert.True(t, WeightTolerance{}.Within(500, 500), "no tolerance: exact")
	assert.False(t, WeightTolerance{}.Within(500, 501))
	assert.Equal(t, 1, GramsOf(525))
	assert.Equal(t, 525, GramsOf(525_000))
	assert.Equal(t, -12, GramsOf(-12_000))
}

// TestWeightUnitsWrittenAndBare: g, kg, lb and oz are taken when written;
// a bare number is in the default unit (the one the prompt shows), and a
// weight formatted in a unit reads back as the same weight.
func TestWeightUnitsWrittenAndBare(t *testing.T) {
	cases := []struct {
		text string
		def  WeightUnit
		mg   int64
		unit WeightUnit
	}{
		{"7050", UnitG, 7_050_000, UnitG}, // the prompt says g: 7050 g, not 7050 kg
		{"7.05", UnitKG, 7_050_000, UnitKG},
		{"12 oz", UnitG, 340_194, UnitOZ},
		{"1OZ", UnitKG, 28_350, UnitOZ},
		{"2 lb", UnitG, 907_185, UnitLB},
		{"7050 g", UnitKG, 7_050_000, UnitG},
		{"7.05kg", UnitG, 7_050_000, UnitKG},
	}
	for _, c := range cases {
		mg, u, err := ParseWeightText(c.text, c.def)
		if assert.NoError(t, err, c.text) {
			assert.Equal(t, c.mg, mg, c.text)
			assert.Equal(t, c.unit, u, c.text)
		}
	}
	for _, u := range []WeightUnit{UnitG, UnitKG} {
		mg, _, err := ParseWeightText(FormatWeight(7_050_000, u), UnitLB)
		assert.NoError(t, err)
		assert.Equal(t, int64(7_050_000), mg, u)
	}
	assert.Equal(t, "7050 g", FormatWeight(7_050_000, UnitG))
	assert.Equal(t, "7.050 kg", FormatWeight(7_050_000, UnitKG))
	assert.Equal(t, "15.54 lb", FormatWeight(7_050_000, UnitLB))
	assert.Equal(t, "248.68 oz", FormatWeight(7_050_000, UnitOZ))
	_, _, err := ParseWeightText("3 stone", UnitG)
	assert.ErrorIs(t, err, ErrWeight)
}
