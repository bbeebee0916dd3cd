package label

import (
	"bytes"
	"fmt"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
)

// Carrier is ZPL a carrier supplied (a shipping label bought through its API).
// It is stored and printed byte for byte unchanged; the resolution is the
// carrier's business, so Build ignores dpi.
type Carrier struct {
	ZPL []byte
}

// Build checks the ZPL holds at least one complete ^XA…^XZ format and returns
// it unchanged.
func (c Carrier) Build(zpl.DPI) ([]byte, error) {
	trimmed := bytes.TrimSpace(c.ZPL)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: carrier ZPL is empty", ErrInput)
	}
	up := bytes.ToUpper(trimmed)
	start, end := bytes.Index(up, []byte("^XA")), bytes.LastIndex(up, []byte("^XZ"))
	if start < 0 || end < start {
		return nil, fmt.Errorf("%w: carrier ZPL has no ^XA…^XZ format", ErrInput)
	}
	if _, err := decode.Commands(trimmed); err != nil {
		return nil, fmt.Errorf("%w: carrier ZPL: %w", ErrInput, err)
	}
	return c.ZPL, nil
}
