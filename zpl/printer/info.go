package printer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/internal/safetext"
	"github.com/rfterm/rfterm/zpl"
)

// Info is the printer's answer to ~HI.
type Info struct {
	Model     string // "ZT410-203dpi"
	Firmware  string // "V75.19.15Z"
	DotsPerMM int    // 6, 8, 12 or 24
	Memory    string // "4096KB"
	Options   []string
}

// DPI is the printer's resolution, which the label layouts follow.
func (i Info) DPI() (zpl.DPI, error) { return zpl.DPIFromDotsPerMM(i.DotsPerMM) }

// ParseHostInfo parses the <STX>model,firmware,dpmm,memory[,options]<ETX>
// string a printer sends for ~HI.
func ParseHostInfo(b []byte) (Info, error) {
	frames, err := splitFrames(b)
	if err != nil {
		return Info{}, err
	}
	if len(frames) != 1 {
		return Info{}, fmt.Errorf("%w: ~HI answer has %d strings, want 1", ErrBadReply, len(frames))
	}
	f := strings.Split(frames[0], ",")
	if len(f) < 4 {
		return Info{}, fmt.Errorf("%w: ~HI answer %q has %d fields, want at least 4", ErrBadReply, frames[0], len(f))
	}
	dpmm, err := strconv.Atoi(strings.TrimSpace(f[2]))
	if err != nil {
		return Info{}, fmt.Errorf("%w: dots per mm %q", ErrBadReply, f[2])
	}
	// The printer's words are shown on terminals: no control characters.
	field := func(s string) string { return strings.TrimSpace(safetext.Strip(s)) }
	opts := make([]string, 0, len(f)-4)
	for _, o := range f[4:] {
		opts = append(opts, field(o))
	}
	return Info{Model: field(f[0]), Firmware: field(f[1]), DotsPerMM: dpmm, Memory: field(f[3]), Options: opts}, nil
}

// Format writes i back as a ~HI answer; the fake printer answers with it.
func (i Info) Format() []byte {
	parts := append([]string{i.Model, i.Firmware, strconv.Itoa(i.DotsPerMM), i.Memory}, i.Options...)
	return []byte("\x02" + strings.Join(parts, ",") + "\x03\r\n")
}
