package barcode

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rfterm/rfterm/barcode/gs1"
)

// Kind is what a scan is, as far as the site's barcode rules tell.
type Kind string

// Kinds of scans.
const (
	KindUnknown  Kind = "unknown"  // no rule matched: may still be an item's own barcode
	KindBadge    Kind = "badge"    // a user's badge
	KindLPN      Kind = "lpn"      // a tote or licence plate (LPN)
	KindLocation Kind = "location" // a storage location
	KindCarton   Kind = "carton"   // a carton type
	KindGTIN     Kind = "gtin"     // a plain EAN-8/UPC-A/EAN-13/GTIN-14
	KindGS1      Kind = "gs1"      // a GS1 element string, bracketed text or Digital Link URI
	KindRMA      Kind = "rma"      // a return authorisation number or return label
)

// KindTote is KindLPN: a tote is the licence plate of what is in it. Rules
// may say "tote" or "lpn".
const KindTote = KindLPN

// Rule says that scans matching Pattern (a Go regular expression, anchored by
// the rule author) are of Kind. Kind "gs1" says that the site's scanners send
// GS1 element strings matching Pattern with no AIM identifier and no GS (as
// keyboard wedges often do): they are read as element strings.
type Rule struct {
	Kind    Kind   `json:"kind"`
	Pattern string `json:"pattern"`
}

// Rules is a site's barcode nomenclature. It is read-only after NewRules and
// safe for concurrent use.
type Rules struct {
	rules []compiledRule
}

type compiledRule struct {
	kind Kind
	re   *regexp.Regexp
}

// NewRules compiles a site's rules. They are tried in order; the first match wins.
func NewRules(rules []Rule) (*Rules, error) {
	out := &Rules{}
	for i, r := range rules {
		kind := r.Kind
		switch kind {
		case "tote":
			kind = KindLPN
		case KindBadge, KindLPN, KindLocation, KindCarton, KindRMA, KindGS1:
		default:
			return nil, fmt.Errorf("barcode rule %d: kind %q cannot be configured (badge, lpn or tote, location, carton, gs1, rma)", i+1, r.Kind)
		}
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("barcode rule %d (%s): %w", i+1, r.Kind, err)
		}
		out.rules = append(out.rules, compiledRule{kind: kind, re: re})
	}
	return out, nil
}

// Classified is a scan with its meaning.
type Classified struct {
	Scan     Scan
	Kind     Kind
	Code     string        // the scanned value, trimmed: a badge, tote, location or carton code
	GTIN     string        // 14 digits, for KindGTIN and for KindGS1 with AI 01 or 02
	Lot      string        // AI 10
	Serial   string        // AI 21
	Elements []gs1.Element // for KindGS1
	// Err says the scan is of Kind but malformed: a bad check digit
	// (ErrCheckDigit), GS1 syntax (gs1.ErrSyntax), garbled bytes (ErrGarbled).
	// GTIN, Lot and Serial stay empty then. When only a required companion AI
	// is missing (gs1.ErrRequires), it may be on another barcode of the same
	// label: Elements still hold everything read.
	Err error
}

// ErrCheckDigit is wrapped when a GTIN's check digit is wrong. It is the
// same error as gs1.ErrCheckDigit, so one errors.Is covers GTINs and GS1 data.
var ErrCheckDigit = gs1.ErrCheckDigit

// ErrGarbled is wrapped when a scan holds control characters (other than GS)
// or invalid UTF-8: line noise, a wrong baud rate, a wrong keyboard layout.
var ErrGarbled = errors.New("scan holds control characters or invalid UTF-8")

// garbled returns the index of the first byte that no barcode sends: a
// control character other than GS, or invalid UTF-8. -1 when there is none.
func garbled(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || (r < 0x20 && r != gs1.GS) || r == 0x7f {
			return i
		}
		i += n
	}
	return -1
}

// Classify tells what a scan is. GS1 data comes first (by AIM identifier, a
// GS inside, the bracketed form or a GS1 Digital Link URI), then the site's
// rules, then plain GTINs. A plain GTIN also gets the element (01).
//
// The AIM identifier binds: GS1 symbologies carry element strings, and
// ]E0 (EAN-13, UPC-A as 13 digits) and ]E4 (EAN-8) carry a GTIN of exactly
// that length with its check digit, or the scan is invalid. Data announced as
// GS1 is not trimmed: a space is no GS1 character.
func (r *Rules) Classify(s Scan) Classified {
	code := s.Data
	if !IsGS1AIM(s.AIM) {
		code = strings.TrimSpace(code)
	}
	c := Classified{Scan: s, Kind: KindUnknown, Code: code}
	if i := garbled(code); i >= 0 {
		c.Err = fmt.Errorf("byte %d: %w", i+1, ErrGarbled)
		return c
	}
	if n, ok := eanLength[s.AIM]; ok {
		return classifyGTIN(c, n)
	}
	if form := gs1Form(s.AIM, code); form != nil {
		return classifyGS1(c, form)
	}
	for _, rule := range r.rules {
		if rule.re.MatchString(code) {
			if rule.kind == KindGS1 {
				return classifyGS1(c, gs1.Parse)
			}
			c.Kind = rule.kind
			return c
		}
	}
	if isDigits(code) {
		switch len(code) {
		case 8, 12, 13, 14:
			return classifyGTIN(c, len(code))
		}
	}
	return c
}

// eanLength is the length of the data each EAN/UPC AIM identifier carries
// (ISO/IEC 15420, ISO/IEC 15424): ]E0 EAN-13 and UPC-A (13 digits, UPC-A
// with a leading 0, UPC-E expanded), ]E4 EAN-8. Read-only.
var eanLength = map[string]int{"]E0": 13, "]E4": 8}

// classifyGTIN reads a GTIN of n digits, with its check digit.
func classifyGTIN(c Classified, n int) Classified {
	c.Kind = KindGTIN
	switch {
	case len(c.Code) != n:
		c.Err = fmt.Errorf("GTIN %q: %d digits, %s carries %d: %w", c.Code, len(c.Code), c.Scan.Symbology, n, gs1.ErrLength)
	case !isDigits(c.Code):
		c.Err = fmt.Errorf("GTIN %q: digits only: %w", c.Code, gs1.ErrCharset)
	default:
		if g, ok := NormalizeGTIN(c.Code); ok {
			c.GTIN = g
			c.Elements = []gs1.Element{{AI: "01", Value: g}}
		} else {
			c.Err = fmt.Errorf("GTIN %s: %w", c.Code, ErrCheckDigit)
		}
	}
	return c
}

// gs1Form returns the parser for GS1 data, or nil when the scan is not GS1.
func gs1Form(aim, code string) func(string) ([]gs1.Element, error) {
	switch {
	case gs1.IsBracketed(code):
		return gs1.ParseBracketed
	case IsGS1AIM(aim) || strings.ContainsRune(code, gs1.GS):
		return gs1.Parse
	case gs1.IsDigitalLink(code):
		return gs1.ParseDigitalLink
	}
	return nil
}

func classifyGS1(c Classified, parse func(string) ([]gs1.Element, error)) Classified {
	c.Kind = KindGS1
	els, err := parse(c.Code)
	c.Elements = els
	if err != nil {
		c.Err = err // GTIN, lot and serial stay empty: a wrong read must not ship
		return c
	}
	if g, ok := gs1.Get(els, "01"); ok {
		c.GTIN = g
	} else if g, ok := gs1.Get(els, "02"); ok {
		c.GTIN = g
	}
	c.Lot, _ = gs1.Get(els, "10")
	c.Serial, _ = gs1.Get(els, "21")
	return c
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
