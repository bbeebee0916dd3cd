package scale

import (
	"fmt"
	"strings"
)

// Reply is one MT-SICS reply line.
type Reply struct {
	// Command is the command echoed ("S", "Z", "T"), or the error ("ES",
	// "ET", "EL") when the scale refused the command outright. The reply to
	// SI starts with "S".
	Command string
	// Status is "S" (stable weight; tare stored), "D" (dynamic: moving),
	// "A" (done), "I" (cannot execute now), "+" / "-" (over / under the
	// range); "" for ES, ET, EL.
	Status string
	// Weight is the weight sent with an "S", "D" reply to S or SI, and
	// with "T S". Zero otherwise (HasWeight says).
	Weight    Weight
	HasWeight bool
	Raw       string
}

// ParseReply reads one MT-SICS reply line (CR LF already cut off). Lines it
// cannot read (line noise, a reply of another shape) wrap ErrBadReply.
func ParseReply(line string) (Reply, error) {
	r := Reply{Raw: line}
	f := strings.Fields(line)
	bad := func(why string) (Reply, error) {
		return Reply{Raw: line}, fmt.Errorf("%w: %q: %s", ErrBadReply, clip(line), why)
	}
	if len(f) == 0 {
		return bad("empty line")
	}
	r.Command = f[0]
	switch r.Command {
	case "ES", "ET", "EL":
		if len(f) != 1 {
			return bad("text after the error code")
		}
		return r, nil
	case "S", "SI", "Z", "ZI", "T":
	default:
		return bad("not a reply to S, SI, Z or T")
	}
	if len(f) < 2 {
		return bad("no status")
	}
	r.Status = f[1]
	rest := f[2:]
	switch r.Status {
	case "S", "D":
		if r.Command == "Z" || r.Command == "ZI" || (r.Command == "T" && r.Status == "D") {
			return bad("status " + r.Status + " after " + r.Command)
		}
		number, unit, ok := splitWeight(rest)
		if !ok {
			return bad("want a weight and a unit")
		}
		w, err := newWeight(number, unit, r.Status == "S", line)
		if err != nil {
			return bad(err.Error())
		}
		r.Weight, r.HasWeight = w, true
		return r, nil
	case "A", "I", "+", "-":
		if len(rest) != 0 {
			return bad("text after status " + r.Status)
		}
		if r.Status == "A" && r.Command != "Z" && r.Command != "ZI" {
			return bad("status A after " + r.Command)
		}
		return r, nil
	}
	return bad("unknown status " + r.Status)
}

// splitWeight reads "0.525 kg" or "- 0.012 kg" (sign set apart) as number and unit.
func splitWeight(f []string) (number, unit string, ok bool) {
	switch {
	case len(f) == 2:
		return f[0], f[1], true
	case len(f) == 3 && (f[0] == "-" || f[0] == "+"):
		return f[0] + f[1], f[2], true
	}
	return "", "", false
}

// Err is what the reply says went wrong, nil for a weight or "done". The
// error names the reply.
func (r Reply) Err() error {
	var base error
	switch r.Command {
	case "ES":
		base = ErrSyntax
	case "ET":
		base = ErrTransmission
	case "EL":
		base = ErrLogical
	default:
		switch r.Status {
		case "I":
			base = ErrNotExecutable
		case "+":
			base = ErrOverload
		case "-":
			base = ErrUnderload
		default:
			return nil
		}
	}
	return fmt.Errorf("%w (reply %q)", base, clip(r.Raw))
}

// clip keeps messages short.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
