package scale

import (
	"time"

	"github.com/rfterm/rfterm/domain"
)

// Weight is one reading of the scale.
type Weight struct {
	// Milligrams is the weight shown (net after a tare), in integer
	// milligrams: exact for kg and g, lb rounded to the milligram.
	Milligrams int64
	Unit       domain.WeightUnit // the unit the scale sent
	Value      string            // the number as the scale sent it, e.g. "0.525"
	Stable     bool              // the scale called it stable (not moving)
	Raw        string            // the whole reply line, for logs
	At         time.Time         // when it was read
}

// Grams is the weight rounded to the gram.
func (w Weight) Grams() int { return domain.GramsOf(w.Milligrams) }

// String is the weight as the scale showed it, e.g. "0.525 kg".
func (w Weight) String() string { return w.Value + " " + string(w.Unit) }

// newWeight reads a number and a unit as the scale sent them.
func newWeight(number, unit string, stable bool, raw string) (Weight, error) {
	u, err := domain.ParseWeightUnit(unit)
	if err != nil {
		return Weight{}, err
	}
	mg, err := domain.ParseWeight(number, u)
	if err != nil {
		return Weight{}, err
	}
	return Weight{Milligrams: mg, Unit: u, Value: number, Stable: stable, Raw: raw}, nil
}
