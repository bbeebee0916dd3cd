package label

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
)

// Template is a site's own label layout: ZPL with {{name}} placeholders inside
// field data (^FD … ^FS). As html/template does for HTML, escaping is part of
// the template, not of its author's care: every field holding a placeholder
// gets ^FH, and every value is escaped for the field it stands in (hex escapes
// for ^, ~, _ and control characters; Code 128 invocation codes; the ^FB, ^B7
// backslash codes; the Data Matrix escape character). A placeholder anywhere
// else (in a command's parameters) is refused when the template is parsed.
type Template struct {
	name   string
	segs   []segment
	fields []string
}

// segment is literal output, or a value slot when field is set.
type segment struct {
	text   string
	field  string
	escape func(string) (string, error)
}

var (
	placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z][A-Za-z0-9_.-]*)\s*\}\}`)
	markerRE      = regexp.MustCompile("\x01([0-9]+)\x01")
)

// LoadTemplate reads and parses a template file.
func LoadTemplate(path string) (*Template, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("label template: %w", err)
	}
	return ParseTemplate(path, src)
}

// ParseTemplate parses template source; name is used in messages.
func ParseTemplate(name string, src []byte) (*Template, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: template %s: %s", ErrInput, name, fmt.Sprintf(format, a...))
	}
	if bytes.IndexByte(src, 0x01) >= 0 {
		return nil, bad("contains a 0x01 byte")
	}
	var names []string
	marked := placeholderRE.ReplaceAllFunc(src, func(m []byte) []byte {
		names = append(names, string(placeholderRE.FindSubmatch(m)[1]))
		return []byte("\x01" + strconv.Itoa(len(names)-1) + "\x01")
	})
	if i := bytes.Index(marked, []byte("{{")); i >= 0 {
		return nil, bad("malformed placeholder near %q", marked[i:min(len(marked), i+20)])
	}
	cmds, err := decode.Commands(marked)
	if err != nil {
		return nil, bad("%v", err)
	}
	t := &Template{name: name}
	var ctx fieldContext
	for i, c := range cmds {
		end := len(marked)
		if i+1 < len(cmds) {
			end = cmds[i+1].Offset
		}
		raw := string(marked[c.Offset:end])
		hasMarker := markerRE.MatchString(c.Params)
		if c.Name != "FD" || !hasMarker {
			if hasMarker {
				return nil, bad("placeholder in %s%s: placeholders may only stand in ^FD field data", string(c.Prefix), c.Name)
			}
			ctx.see(c)
			t.literal(raw)
			continue
		}
		escape, err := ctx.escaper()
		if err != nil {
			return nil, bad("%v", err)
		}
		t.literal("^FH^FD")
		rest := c.Params
		for _, m := range markerRE.FindAllStringSubmatchIndex(rest, -1) {
			t.fieldLiteral(rest[:m[0]])
			n, _ := strconv.Atoi(rest[m[2]:m[3]])
			t.segs = append(t.segs, segment{field: names[n], escape: escape})
			if !slices.Contains(t.fields, names[n]) {
				t.fields = append(t.fields, names[n])
			}
			rest = rest[m[1]:]
		}
		t.fieldLiteral(rest)
		ctx.see(c)
	}
	return t, nil
}

func (t *Template) literal(s string) {
	if s != "" {
		t.segs = append(t.segs, segment{text: s})
	}
}

// fieldLiteral adds template text inside a field the template put ^FH on; it
// is escaped too so its meaning does not change ("Item_No" stays as written).
func (t *Template) fieldLiteral(s string) {
	t.literal(zpl.EscapeFieldData(s))
}

// Name is the name the template was parsed under.
func (t *Template) Name() string { return t.name }

// Fields are the placeholder names, in order of first use.
func (t *Template) Fields() []string { return slices.Clone(t.fields) }

// Execute fills the template. Every field must be given and no other.
func (t *Template) Execute(values map[string]string) ([]byte, error) {
	var missing, unknown []string
	for _, f := range t.fields {
		if _, ok := values[f]; !ok {
			missing = append(missing, f)
		}
	}
	for k := range values {
		if !slices.Contains(t.fields, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(missing) > 0 || len(unknown) > 0 {
		return nil, fmt.Errorf("%w: template %s: missing fields %v, unknown fields %v (it has %v)", ErrInput, t.name, missing, unknown, t.fields)
	}
	var b bytes.Buffer
	for _, s := range t.segs {
		if s.field == "" {
			b.WriteString(s.text)
			continue
		}
		v, err := s.escape(values[s.field])
		if err != nil {
			return nil, fmt.Errorf("%w: template %s field %s: %w", ErrInput, t.name, s.field, err)
		}
		b.WriteString(v)
	}
	return b.Bytes(), nil
}

// fieldContext is what the commands since the last ^FS say about the field.
type fieldContext struct {
	symbol *decode.Command // barcode command, if any
	block  bool            // ^FB
	hex    bool            // ^FH given by the template author
}

func (c *fieldContext) see(cmd decode.Command) {
	switch {
	case cmd.Name == "FS":
		*c = fieldContext{}
	case cmd.Name == "FB":
		c.block = true
	case cmd.Name == "FH":
		c.hex = true
	case cmd.Name != "BY" && strings.HasPrefix(cmd.Name, "B"):
		c.symbol = &cmd
	}
}

// escaper picks the value escaping for the field's symbology.
func (c *fieldContext) escaper() (func(string) (string, error), error) {
	fh := func(s string) (string, error) { return zpl.EscapeFieldData(s), nil }
	if c.hex {
		return nil, fmt.Errorf("write fields with placeholders without ^FH: the template adds it")
	}
	if c.symbol == nil {
		if c.block {
			return func(s string) (string, error) { return fh(zpl.EscapeBlockText(s)) }, nil
		}
		return fh, nil
	}
	params := strings.Split(c.symbol.Params, ",")
	switch c.symbol.Name {
	case "BC":
		if len(params) >= 6 && params[5] != "" && params[5] != "N" {
			return nil, fmt.Errorf("^BC with a placeholder must use mode N (subset B data), not %q", params[5])
		}
		return func(s string) (string, error) {
			v, err := zpl.EscapeCode128B(s)
			if err != nil {
				return "", err
			}
			return fh(v)
		}, nil
	case "B7":
		return func(s string) (string, error) { return fh(zpl.EscapeBlockText(s)) }, nil
	case "BX":
		if len(params) < 7 || params[2] != "200" || len(params[6]) != 1 {
			return nil, fmt.Errorf("^BX with a placeholder needs ECC 200 and an escape character, e.g. ^BXN,6,200,0,0,6,_")
		}
		esc := params[6][0]
		return func(s string) (string, error) { return fh(zpl.EscapeDataMatrix(s, esc)) }, nil
	}
	return fh, nil
}
