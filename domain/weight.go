package domain

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// WeightUnit is the unit a scale shows or a packer types a weight in.
type WeightUnit string

// Weight units. Weights are carried as integer milligrams (exact for g and
// kg; lb is converted at 453.59237 g and oz at 28.349523125 g, rounded to
// the milligram).
const (
	UnitKG WeightUnit = "kg"
	UnitG  WeightUnit = "g"
	UnitLB WeightUnit = "lb"
	UnitOZ WeightUnit = "oz"
)

// milligramsPer is how many milligrams one unit holds; 0 for no unit known.
func milligramsPer(u WeightUnit) float64 {
	switch u {
	case UnitKG:
		return 1e6
	case UnitG:
		return 1e3
	case UnitLB:
		return 453592.37
	case UnitOZ:
		return 28349.523125
	}
	return 0
}

// MaxWeightMilligrams bounds a weight: 100 t is no parcel, and keeps the
// arithmetic far from overflow.
const MaxWeightMilligrams = 100_000_000_000

// ErrWeight is wrapped by every weight that cannot be read.
var ErrWeight = errors.New("not a weight")

// ParseWeightUnit reads a unit: kg, g, lb or oz, in any case ("KG", "lbs"
// too).
func ParseWeightUnit(s string) (WeightUnit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "kg":
		return UnitKG, nil
	case "g":
		return UnitG, nil
	case "lb", "lbs":
		return UnitLB, nil
	case "oz":
		return UnitOZ, nil
	}
	return "", fmt.Errorf("%w: unit %q (kg, g, lb, oz)", ErrWeight, s)
}

// FormatWeight writes milligrams in unit u as a packer reads it: whole
// grams ("7050 g"), kilograms to the gram ("7.050 kg"), pounds and ounces
// to two decimals ("15.54 lb"). An unknown unit is taken as grams.
func FormatWeight(mg int64, u WeightUnit) string {
	switch u {
	case UnitKG:
		return strconv.FormatFloat(float64(mg)/1e6, 'f', 3, 64) + " kg"
	case UnitLB, UnitOZ:
		return strconv.FormatFloat(float64(mg)/milligramsPer(u), 'f', 2, 64) + " " + string(u)
	}
	return strconv.FormatInt(int64(math.Round(float64(mg)/1e3)), 10) + " g"
}

// ParseWeight turns a decimal number ("0.525", "-1.2", "+0012") in unit
// into milligrams. Only plain decimals are taken: no exponent, no hex, no
// "inf" (a scale or a packer never sends those; line noise might).
func ParseWeight(number string, unit WeightUnit) (int64, error) {
	per := milligramsPer(unit)
	if per == 0 {
		return 0, fmt.Errorf("%w: unit %q (kg, g, lb, oz)", ErrWeight, unit)
	}
	if !isDecimal(number) {
		return 0, fmt.Errorf("%w: %q is not a decimal number", ErrWeight, number)
	}
	f, err := strconv.ParseFloat(number, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %w", ErrWeight, number, err)
	}
	mg := math.Round(f * per)
	if math.Abs(mg) > MaxWeightMilligrams {
		return 0, fmt.Errorf("%w: %s %s is out of range", ErrWeight, number, unit)
	}
	return int64(mg), nil
}

// ParseWeightText reads a typed weight: a number and a unit ("1.234 kg",
// "1234g", "2.5 lb", "12 oz"), or a number alone, taken in unit def (the
// unit the prompt shows: a bare "7050" where the prompt says g is 7050 g).
func ParseWeightText(s string, def WeightUnit) (int64, WeightUnit, error) {
	number, unitText := SplitWeightText(s)
	unit := def
	if unitText != "" {
		u, err := ParseWeightUnit(unitText)
		if err != nil {
			return 0, "", err
		}
		unit = u
	}
	mg, err := ParseWeight(number, unit)
	return mg, unit, err
}

// SplitWeightText cuts "1.234 kg" into the number and the unit after it
// ("1.234", "kg"), spaces trimmed; unit is "" when none follows.
func SplitWeightText(s string) (number, unit string) {
	s = strings.TrimSpace(s)
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') && s[i-1] != '.' {
		i--
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i:])
}

// isDecimal reports whether s is an optional sign, digits, and at most one
// decimal point with a digit somewhere.
func isDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1 && len(s) <= 20
}

// GramsOf rounds milligrams to the nearest gram.
func GramsOf(mg int64) int { return int(math.Round(float64(mg) / 1000)) }

// WeightTolerance is how far a carton's weight may be from the expected
// weight: the larger of Grams and Percent of the expected weight.
type WeightTolerance struct {
	Grams   int     `json:"grams"`
	Percent float64 `json:"percent"`
}

// The tolerance used when a site sets none: 50 g or 5%, whichever is larger.
const (
	DefaultToleranceGrams   = 50
	DefaultTolerancePercent = 5
)

// Allowed is the largest difference accepted for a carton expected to
// weigh expectedGrams.
func (t WeightTolerance) Allowed(expectedGrams int) int {
	pct := int(math.Round(float64(expectedGrams) * t.Percent / 100))
	return max(t.Grams, pct, 0)
}

// Within reports whether actualGrams is within the tolerance of expectedGrams.
func (t WeightTolerance) Within(expectedGrams, actualGrams int) bool {
	d := actualGrams - expectedGrams
	if d < 0 {
		d = -d
	}
	return d <= t.Allowed(expectedGrams)
}
