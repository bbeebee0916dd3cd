package zpl

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rfterm/rfterm/barcode/gs1"
)

// GS1Data checks GS1 elements (AI, check digits, lengths, character set) with
// the scanner's GS1 parser and returns the element string with GS (which a
// barcode encodes as FNC1) after every variable-length element except the
// last. Fixed-length elements need no separator, so none is spent on them.
func GS1Data(els []gs1.Element) (string, error) {
	return GS1DataOnLabel(els, nil)
}

// GS1DataOnLabel is GS1Data for a symbol that shares a label with others: the
// AI association rules (the content (02) requires the count (37), which
// requires the SSCC (00)) are checked over the elements of the whole label,
// els and others together, as the GS1 logistic label has them in separate
// barcodes.
func GS1DataOnLabel(els, others []gs1.Element) (string, error) {
	if len(els) == 0 {
		return "", fmt.Errorf("%w: no GS1 elements", ErrData)
	}
	s := joinGS1(els)
	got, err := gs1.Parse(s)
	if err != nil && len(others) > 0 && errors.Is(err, gs1.ErrRequires) {
		err = gs1.CheckPairs(append(slices.Clone(others), got...))
	}
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrData, err)
	}
	if !slices.Equal(got, els) {
		return "", fmt.Errorf("%w: GS1 elements %v read back as %v (a value runs into the next AI)", ErrData, els, got)
	}
	return s, nil
}

// joinGS1 is the element string with GS after every variable-length element
// but the last, unchecked.
func joinGS1(els []gs1.Element) string {
	var b strings.Builder
	for i, e := range els {
		b.WriteString(e.AI)
		b.WriteString(e.Value)
		if i < len(els)-1 && !fixedLength(e) {
			b.WriteByte(gs1.GS)
		}
	}
	return b.String()
}

// fixedLength reports whether e's AI has a predefined length (no FNC1 after
// it), as the GS1 syntax dictionary says.
func fixedLength(e gs1.Element) bool {
	d, ok := gs1.Lookup(e.AI)
	return ok && d.Predefined
}

// GS1Text is the human-readable interpretation of GS1 elements: "(00) 1234…".
func GS1Text(els []gs1.Element) string {
	parts := make([]string, len(els))
	for i, e := range els {
		parts[i] = "(" + e.AI + ") " + e.Value
	}
	return strings.Join(parts, " ")
}
