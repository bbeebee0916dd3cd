package zpl

import (
	"fmt"
	"math"
)

// DPI is a printer's resolution in dots per inch. Zebra printers come in 152,
// 203, 300 and 600 dpi (6, 8, 12 and 24 dots per millimetre).
type DPI int

// The resolutions Zebra printers are sold in.
const (
	DPI152 DPI = 152
	DPI203 DPI = 203
	DPI300 DPI = 300
	DPI600 DPI = 600
)

// Validate reports an error unless d is one of the Zebra resolutions.
func (d DPI) Validate() error {
	switch d {
	case DPI152, DPI203, DPI300, DPI600:
		return nil
	}
	return fmt.Errorf("%w: %d dpi (want 152, 203, 300 or 600)", ErrLayout, int(d))
}

// DPIFromDotsPerMM maps the dots-per-millimetre figure a printer reports in
// its ~HI answer to its resolution.
func DPIFromDotsPerMM(dpmm int) (DPI, error) {
	switch dpmm {
	case 6:
		return DPI152, nil
	case 8:
		return DPI203, nil
	case 12:
		return DPI300, nil
	case 24:
		return DPI600, nil
	}
	return 0, fmt.Errorf("%w: %d dots per mm is not a Zebra resolution", ErrLayout, dpmm)
}

// Dots converts millimetres to the nearest whole number of dots.
func (d DPI) Dots(mm float64) int {
	return int(math.Round(mm * float64(d) / 25.4))
}

// DotsAtLeast converts millimetres to dots, rounding up, for minimum sizes
// such as a barcode's X-dimension or bar height.
func (d DPI) DotsAtLeast(mm float64) int {
	return int(math.Ceil(mm*float64(d)/25.4 - 1e-9))
}

// MM converts dots back to millimetres.
func (d DPI) MM(dots int) float64 {
	return float64(dots) * 25.4 / float64(d)
}
