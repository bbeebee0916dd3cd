// Package unitfile reads systemd unit files (systemd.syntax(7)) enough for
// tests to check the units in deploy/systemd against the programs they
// start: sections, keys with every value each is given, comments, and
// continuation lines.
package unitfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Unit is a parsed unit file: section name → key → the values the key was
// given, in order (a key may be given several times, like LoadCredential=).
type Unit map[string]map[string][]string

// Read parses the unit file at path.
func Read(path string) (Unit, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	u, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

// Parse reads a unit file. Lines starting with # or ; are comments; a line
// ending in a backslash continues on the next one.
func Parse(r io.Reader) (Unit, error) {
	u := Unit{}
	section := ""
	sc := bufio.NewScanner(r)
	n := 0
	var pending string
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if pending == "" && (line == "" || line[0] == '#' || line[0] == ';') {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			pending += strings.TrimSuffix(line, `\`) + " "
			continue
		}
		line, pending = pending+line, ""
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("line %d: section header %q", n, line)
			}
			section = line[1 : len(line)-1]
			if u[section] == nil {
				u[section] = map[string][]string{}
			}
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			return nil, fmt.Errorf("line %d: not a key=value in a section: %q", n, line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		u[section][key] = append(u[section][key], value)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if pending != "" {
		return nil, fmt.Errorf("line %d: continued past the end", n)
	}
	return u, nil
}

// Get is the last value given to key in section ("" when none): for most
// keys the last assignment wins.
func (u Unit) Get(section, key string) string {
	v := u[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// Words splits a command line (ExecStart=) at spaces. Unit files here
// quote nothing, so a quote is refused rather than misread.
func Words(command string) ([]string, error) {
	if strings.ContainsAny(command, `"'`) {
		return nil, fmt.Errorf("quoted command line: %s", command)
	}
	return strings.Fields(command), nil
}
