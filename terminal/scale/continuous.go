package scale

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// ParseContinuous reads one line of a continuous-output scale:
// "ST,GS,   1.234kg" — status ST (stable), US (unstable) or OL (overload),
// mode GS (gross) or NT (net), then the weight with its unit, spaces and a
// sign allowed ("-  0.012 kg", "+0001.234kg"). An overload wraps
// ErrOverload; a line it cannot read wraps ErrBadReply.
func ParseContinuous(line string) (Weight, error) {
	bad := func(why string) (Weight, error) {
		return Weight{}, fmt.Errorf("%w: %q: %s", ErrBadReply, clip(line), why)
	}
	f := strings.Split(line, ",")
	if len(f) != 3 {
		return bad("want STATUS,MODE,WEIGHT")
	}
	status, mode := strings.TrimSpace(f[0]), strings.TrimSpace(f[1])
	if mode != "GS" && mode != "NT" {
		return bad("mode " + mode + " (GS or NT)")
	}
	switch status {
	case "ST", "US":
	case "OL":
		return Weight{}, fmt.Errorf("%w (reading %q)", ErrOverload, clip(line))
	default:
		return bad("status " + status + " (ST, US or OL)")
	}
	number, unit := domain.SplitWeightText(f[2])
	w, err := newWeight(strings.ReplaceAll(number, " ", ""), unit, status == "ST", line)
	if err != nil {
		return bad(err.Error())
	}
	return w, nil
}
