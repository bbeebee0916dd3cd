package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// LotStock is a lot of an item held at a location, with its expiry: the
// lots a picker may take there (site seed "lots").
type LotStock struct {
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Lot      string `json:"lot"`
	Expiry   string `json:"expiry,omitempty"` // YYYY-MM-DD; empty: does not expire
}

// LotExpiry is a lot known at a task line's location, with its expiry.
type LotExpiry struct {
	Lot    string `json:"lot"`
	Expiry string `json:"expiry,omitempty"` // YYYY-MM-DD; empty: does not expire
}

// SortFirstExpiry orders lots first-expiry first (a lot that does not
// expire last), then by lot.
func SortFirstExpiry(lots []LotExpiry) {
	slices.SortStableFunc(lots, func(a, b LotExpiry) int {
		switch {
		case a.Expiry == b.Expiry:
			return strings.Compare(a.Lot, b.Lot)
		case a.Expiry == "":
			return 1
		case b.Expiry == "":
			return -1
		}
		return strings.Compare(a.Expiry, b.Expiry)
	})
}

// LotKnown reports whether lot is one of known; with nothing known, any
// lot is taken (the site keeps no lots for that location).
func LotKnown(known []LotExpiry, lot string) bool {
	return len(known) == 0 || slices.ContainsFunc(known, func(l LotExpiry) bool { return l.Lot == lot })
}

// LotNames lists the lots, for messages: "L1 (exp 2026-12-01), L2".
func LotNames(known []LotExpiry) string {
	parts := make([]string, len(known))
	for i, l := range known {
		parts[i] = l.Lot
		if l.Expiry != "" {
			parts[i] += " (exp " + l.Expiry + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// MaxSerialLen bounds a serial number (GS1 AI 21 takes up to 20).
const MaxSerialLen = 64

// CheckSerial checks a serial against the item's serial rule
// (SerialPattern, matched against the whole serial); without a rule any
// serial of 1 to MaxSerialLen printable characters is taken.
func (it Item) CheckSerial(serial string) error {
	if serial == "" || len(serial) > MaxSerialLen || strings.ContainsFunc(serial, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return fmt.Errorf("serial %q of %s: 1 to %d printable characters", serial, it.SKU, MaxSerialLen)
	}
	re, err := it.SerialRule()
	if err != nil || re == nil {
		return err
	}
	if !re.MatchString(serial) {
		return fmt.Errorf("serial %q does not match %s's serial rule %s", serial, it.SKU, it.SerialPattern)
	}
	return nil
}

// SerialRule compiles the item's serial rule to match a whole serial; nil
// without one.
func (it Item) SerialRule() (*regexp.Regexp, error) {
	if it.SerialPattern == "" {
		return nil, nil
	}
	re, err := regexp.Compile(`^(?:` + it.SerialPattern + `)$`)
	if err != nil {
		return nil, fmt.Errorf("item %s: serial rule %q: %w", it.SKU, it.SerialPattern, err)
	}
	return re, nil
}
