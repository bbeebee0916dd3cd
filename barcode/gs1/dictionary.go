package gs1

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// syntaxDictionary is the AI table of the GS1 Barcode Syntax Dictionary, the
// machine-readable form of the GS1 General Specifications' AI table.
//
//go:embed syntax-dictionary.txt
var syntaxDictionary string

// Definition is one application identifier as the syntax dictionary defines it.
type Definition struct {
	AI    string // e.g. "01", "3103"
	Title string // e.g. "GTIN", "NET WEIGHT (kg)"
	// Predefined is true for AIs of predefined length that need no GS after
	// them ("*" in the dictionary): 00, 01, 11, 310n …
	Predefined bool
	// DigitalLink is true when the AI may be a GS1 Digital Link attribute.
	DigitalLink bool
	// PrimaryKey is true for Digital Link primary keys (01, 00, 414 …).
	PrimaryKey bool
	// Qualifiers are a primary key's Digital Link key-qualifier sequences,
	// each in its defined order ("dlpkey=22,10,21|235": 22, 10, 21 or 235).
	Qualifiers [][]string
	Components []Component
	// Requires lists requirement groups: each must be met by one of its
	// alternatives, and an alternative is a set of AI patterns ("01", "31nn")
	// that must all be present.
	Requires [][][]string
	// Excludes lists AI patterns that must not appear with this AI.
	Excludes []string
}

// Component is one part of an AI's value: a type, a length and checks.
type Component struct {
	Type     byte // 'N' digits, 'X' CSET 82, 'Y' CSET 39, 'Z' base64url
	Min, Max int  // length bounds; equal when fixed
	Optional bool
	Linters  []string // the dictionary's content checks, e.g. "csum", "yymmd0"
}

// MinLen and MaxLen bound the length of the whole value.
func (d *Definition) MinLen() int {
	n := 0
	for _, c := range d.Components {
		if !c.Optional {
			n += c.Min
		}
	}
	return n
}

// MaxLen is the longest value the AI allows.
func (d *Definition) MaxLen() int {
	n := 0
	for _, c := range d.Components {
		n += c.Max
	}
	return n
}

// dictionary is the parsed table, keyed by AI. It is built once and never
// changed afterwards.
var dictionary = sync.OnceValue(func() map[string]*Definition {
	t, err := parseDictionary(syntaxDictionary)
	if err != nil {
		panic(err) // the embedded file is checked by TestDictionary
	}
	return t
})

// Lookup returns the definition of an AI such as "01" or "3103".
func Lookup(ai string) (*Definition, bool) {
	d, ok := dictionary()[ai]
	return d, ok
}

// lookupPrefix finds the AI at the start of s: AIs are 2 to 4 digits and no AI
// is a prefix of another.
func lookupPrefix(s string) (*Definition, bool) {
	t := dictionary()
	for n := 2; n <= 4 && n <= len(s); n++ {
		if d, ok := t[s[:n]]; ok {
			return d, true
		}
	}
	return nil, false
}

func parseDictionary(text string) (map[string]*Definition, error) {
	out := map[string]*Definition{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		spec, title, _ := strings.Cut(line, "#")
		fields := strings.Fields(spec)
		lo, hi, err := aiRange(fields[0])
		if err != nil {
			return nil, fmt.Errorf("syntax dictionary line %d: %w", i+1, err)
		}
		tmpl := Definition{Title: strings.TrimSpace(title)}
		for _, f := range fields[1:] {
			if err := tmpl.addField(f); err != nil {
				return nil, fmt.Errorf("syntax dictionary line %d: %w", i+1, err)
			}
		}
		if len(tmpl.Components) == 0 {
			return nil, fmt.Errorf("syntax dictionary line %d: no specification", i+1)
		}
		width := len(fields[0])
		if j := strings.IndexByte(fields[0], '-'); j > 0 {
			width = j
		}
		for n := lo; n <= hi; n++ {
			d := tmpl
			d.AI = fmt.Sprintf("%0*d", width, n)
			out[d.AI] = &d
		}
	}
	return out, nil
}

func aiRange(s string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(s, "-")
	if !isRange {
		b = a
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || len(a) != len(b) || lo > hi || len(a) < 2 || len(a) > 4 {
		return 0, 0, fmt.Errorf("bad AI %q", s)
	}
	return lo, hi, nil
}

func (d *Definition) addField(f string) error {
	switch {
	case strings.HasPrefix(f, "req="):
		var group [][]string
		for _, alt := range strings.Split(f[4:], ",") {
			group = append(group, strings.Split(alt, "+"))
		}
		d.Requires = append(d.Requires, group)
	case strings.HasPrefix(f, "ex="):
		d.Excludes = append(d.Excludes, strings.Split(f[3:], ",")...)
	case f == "dlpkey" || strings.HasPrefix(f, "dlpkey="):
		d.PrimaryKey = true
		if seqs, ok := strings.CutPrefix(f, "dlpkey="); ok {
			for _, seq := range strings.Split(seqs, "|") {
				d.Qualifiers = append(d.Qualifiers, strings.Split(seq, ","))
			}
		}
	case isFlags(f):
		d.Predefined = strings.Contains(f, "*")
		d.DigitalLink = strings.Contains(f, "?")
	case strings.Contains(f, "=") && !strings.ContainsAny(f[:1], "NXYZ["):
		// an attribute this reader does not use: the format allows more
	default:
		c, err := parseComponent(f)
		if err != nil {
			return err
		}
		d.Components = append(d.Components, c)
	}
	return nil
}

// isFlags reports whether a field is the flags column: punctuation only
// ("*" predefined length, "?" Digital Link attribute; the format reserves
// other punctuation for flags to come).
func isFlags(f string) bool {
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c <= ' ' || c > '~' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '[' {
			return false
		}
	}
	return f != ""
}

// parseComponent reads "N6,yymmd0", "X..20", "[N..12]" or "[X1],hyphen".
func parseComponent(f string) (Component, error) {
	var c Component
	typ, linters, _ := strings.Cut(f, ",")
	if strings.HasPrefix(typ, "[") && strings.HasSuffix(typ, "]") {
		c.Optional = true
		typ = typ[1 : len(typ)-1]
	}
	if linters != "" {
		c.Linters = strings.Split(linters, ",")
	}
	if typ == "" || !strings.ContainsRune("NXYZ", rune(typ[0])) {
		return c, fmt.Errorf("bad component %q", f)
	}
	c.Type = typ[0]
	n := typ[1:]
	variable := strings.HasPrefix(n, "..")
	n = strings.TrimPrefix(n, "..")
	max, err := strconv.Atoi(n)
	if err != nil || max < 1 {
		return c, fmt.Errorf("bad component length %q", f)
	}
	c.Max, c.Min = max, max
	if variable {
		c.Min = 1
	}
	return c, nil
}

// matchAI reports whether ai matches a dictionary pattern such as "310n" or "31nn".
func matchAI(pattern, ai string) bool {
	if len(pattern) != len(ai) {
		return false
	}
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != 'n' && pattern[i] != ai[i] {
			return false
		}
	}
	return true
}
