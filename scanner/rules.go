package scanner

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/rfterm/rfterm/scanner/gs1"
)

// Kind is what a scan is, as far as the site's barcode rules tell.
type Kind string

// Kinds of scans.
const (
	KindUnknown  Kind = "unknown"  // no rule matched: may still be an item's own barcode
	KindBadge    Kind = "badge"    // a user's badge
	KindTote     Kind = "tote"     // a tote or licence plate (LPN)
	KindLocation Kind = "location" // a storage location
	KindCarton   Kind = "carton"   // a carton type
	KindGTIN     Kind = "gtin"     // a plain EAN-8/UPC-A/EAN-13/GTIN-14
	KindGS1      Kind = "gs1"      // a GS1 element string
)

// Rule says that scans matching Pattern (a Go regular expression, anchored by
// the rule author) are of Kind.
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
		switch r.Kind {
		case KindBadge, KindTote, KindLocation, KindCarton:
		default:
			return nil, fmt.Errorf("barcode rule %d: kind %q cannot be configured (badge, tote, location, carton)", i+1, r.Kind)
		}
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("barcode rule %d (%s): %w", i+1, r.Kind, err)
		}
		out.rules = append(out.rules, compiledRule{kind: r.Kind, re: re})
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
	Err      error         // the scan is of Kind but malformed (bad check digit, GS1 syntax)
}

// ErrCheckDigit is wrapped when a GTIN's check digit is wrong.
var ErrCheckDigit = errors.New("check digit is wrong")

// gs1AIM lists the AIM identifiers that announce GS1 data.
var gs1AIM = map[string]bool{"]C1": true, "]d2": true, "]Q3": true, "]e0": true, "]J1": true}

// Classify tells what a scan is. GS1 data (by AIM identifier or a GS inside)
// comes first, then the site's rules, then plain GTINs.
func (r *Rules) Classify(s Scan) Classified {
	code := strings.TrimSpace(s.Data)
	c := Classified{Scan: s, Kind: KindUnknown, Code: code}
	if gs1AIM[s.AIM] || strings.ContainsRune(code, gs1.GS) || looksLikeBracketedGS1(code) {
		return classifyGS1(c)
	}
	for _, rule := range r.rules {
		if rule.re.MatchString(code) {
			c.Kind = rule.kind
			return c
		}
	}
	if isDigits(code) {
		switch len(code) {
		case 8, 12, 13, 14:
			c.Kind = KindGTIN
			if g, ok := NormalizeGTIN(code); ok {
				c.GTIN = g
			} else {
				c.Err = fmt.Errorf("GTIN %s: %w", code, ErrCheckDigit)
			}
		}
	}
	return c
}

func classifyGS1(c Classified) Classified {
	c.Kind = KindGS1
	data := c.Code
	if looksLikeBracketedGS1(data) {
		data = unbracket(data)
	}
	els, err := gs1.Parse(data)
	c.Elements = els
	if err != nil {
		c.Err = err
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

// looksLikeBracketedGS1 spots human-readable text such as "(01)0950…(10)ABC".
func looksLikeBracketedGS1(s string) bool {
	return len(s) > 4 && s[0] == '(' && strings.IndexByte(s, ')') > 1 && strings.IndexByte(s, ')') <= 5 && isDigits(s[1:strings.IndexByte(s, ')')])
}

// unbracket turns "(01)X(10)Y" into "01X" GS "10Y" (a GS after every value is harmless).
func unbracket(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s[1:], "(") {
		ai, value, _ := strings.Cut(part, ")")
		if b.Len() > 0 {
			b.WriteByte(gs1.GS)
		}
		b.WriteString(ai)
		b.WriteString(value)
	}
	return b.String()
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
