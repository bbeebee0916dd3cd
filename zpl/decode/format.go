package decode

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is what a field draws.
type Kind string

// The kinds of field the decoder understands.
const (
	Text          Kind = "text"
	TextBlock     Kind = "text block"
	Code128       Kind = "Code 128"
	GS1128        Kind = "GS1-128"
	QR            Kind = "QR"
	DataMatrix    Kind = "Data Matrix"
	GS1DataMatrix Kind = "GS1 Data Matrix"
	PDF417        Kind = "PDF417"
	Box           Kind = "box"
)

// Field is one ^FO … ^FS field with its data decoded.
type Field struct {
	X, Y   int    // ^FO, dots
	Kind   Kind   // what the field draws
	Symbol string // the font or barcode command with its parameters ("BCN,256,N,N,N,N")
	Module int    // ^BY module width in effect, dots
	// BlockWidth and BlockLines are a text block's ^FB width in dots and
	// its number of lines.
	BlockWidth, BlockLines int
	Raw                    string // the ^FD data as sent
	// Data is what the field prints or encodes: for GS1 symbols the element
	// string with GS (0x1D) for each FNC1 after the leading one.
	Data string
}

// Format is one ^XA … ^XZ label.
type Format struct {
	Width, Length int  // ^PW, ^LL in dots; 0 when not set
	UTF8          bool // ^CI28 selected
	Fields        []Field
}

// Document is a ZPL stream: its formats and any ~ control commands outside them.
type Document struct {
	Formats  []Format
	Controls []Command
}

// Parse reads a ZPL stream. It fails on anything a safe label never contains:
// data outside a field, a ~ command or ^XA inside a format, a field without
// ^FS, an escape the printer would misread.
func Parse(zpl []byte) (Document, error) {
	cmds, err := Commands(zpl)
	if err != nil {
		return Document{}, err
	}
	var doc Document
	var f *Format
	var st fieldState
	module := 2
	for _, c := range cmds {
		if c.Prefix == '~' {
			if f != nil {
				return doc, fmt.Errorf("%w: control command %s inside a format at %d", ErrSyntax, c, c.Offset)
			}
			doc.Controls = append(doc.Controls, c)
			continue
		}
		if c.Name == "XA" {
			if f != nil {
				return doc, fmt.Errorf("%w: ^XA inside a format at %d", ErrSyntax, c.Offset)
			}
			f, st, module = &Format{}, fieldState{}, 2
			continue
		}
		if f == nil {
			return doc, fmt.Errorf("%w: %s outside ^XA…^XZ at %d", ErrSyntax, c, c.Offset)
		}
		switch c.Name {
		case "XZ":
			if st.open() {
				return doc, fmt.Errorf("%w: format ends inside a field at %d", ErrSyntax, c.Offset)
			}
			doc.Formats = append(doc.Formats, *f)
			f = nil
		case "CI":
			f.UTF8 = c.Params == "28"
		case "PW":
			f.Width, err = atoi(c)
		case "LL":
			f.Length, err = atoi(c)
		case "BY":
			module, err = atoi(Command{Name: c.Name, Params: strings.Split(c.Params, ",")[0], Offset: c.Offset})
		case "FO":
			st.origin, st.x, st.y = true, 0, 0
			xy := strings.Split(c.Params, ",")
			if len(xy) >= 2 {
				st.x, err = atoi(Command{Params: xy[0], Offset: c.Offset})
				if err == nil {
					st.y, err = atoi(Command{Params: xy[1], Offset: c.Offset})
				}
			}
		case "A":
			st.font = c.String()[1:]
		case "FB":
			st.block = true
			p := strings.Split(c.Params, ",")
			st.blockWidth, st.blockLines = 0, 1
			if len(p) >= 1 && p[0] != "" {
				st.blockWidth, err = atoi(Command{Params: p[0], Offset: c.Offset})
			}
			if err == nil && len(p) >= 2 && p[1] != "" {
				st.blockLines, err = atoi(Command{Params: p[1], Offset: c.Offset})
			}
		case "FH":
			st.hex = true
			st.indicator = '_'
			if c.Params != "" {
				st.indicator = c.Params[0]
			}
		case "GB":
			st.symbol, st.kind = c.String()[1:], Box
		case "BC", "BQ", "BX", "B7":
			st.symbol, st.kind = c.String()[1:], map[string]Kind{"BC": Code128, "BQ": QR, "BX": DataMatrix, "B7": PDF417}[c.Name]
		case "FD":
			if st.hasData {
				return doc, fmt.Errorf("%w: second ^FD in one field at %d", ErrSyntax, c.Offset)
			}
			st.hasData, st.raw = true, c.Params
		case "FS":
			fld, ferr := st.field(module)
			if ferr != nil {
				return doc, fmt.Errorf("field at %d: %w", c.Offset, ferr)
			}
			f.Fields = append(f.Fields, fld)
			st = fieldState{}
		case "LH", "FX", "PQ", "MM", "MN", "MT", "PR", "MD", "LS", "PO", "FW", "CF", "JZ":
		default:
			if strings.HasPrefix(c.Name, "B") {
				return doc, fmt.Errorf("%w: barcode command %s is not understood by the reader at %d", ErrSyntax, c, c.Offset)
			}
		}
		if err != nil {
			return doc, err
		}
	}
	if f != nil {
		return doc, fmt.Errorf("%w: format without ^XZ", ErrSyntax)
	}
	return doc, nil
}

// fieldState collects one field's commands until ^FS.
type fieldState struct {
	origin       bool
	x, y         int
	font, symbol string
	kind         Kind
	block, hex   bool
	blockWidth   int
	blockLines   int
	indicator    byte
	hasData      bool
	raw          string
}

func (s fieldState) open() bool { return s.origin || s.hasData || s.kind != "" }

func (s fieldState) field(module int) (Field, error) {
	f := Field{X: s.x, Y: s.y, Kind: s.kind, Symbol: s.symbol, Module: module, Raw: s.raw, BlockWidth: s.blockWidth, BlockLines: s.blockLines}
	if f.Kind == Box {
		return f, nil
	}
	if !s.hasData {
		return f, fmt.Errorf("%w: field without ^FD", ErrSyntax)
	}
	data := s.raw
	if s.hex {
		var err error
		if data, err = unhex(data, s.indicator); err != nil {
			return f, err
		}
	}
	var err error
	switch s.kind {
	case "":
		f.Kind, f.Symbol = Text, s.font
		if s.block {
			f.Kind = TextBlock
			data, err = unblock(data)
		}
	case Code128:
		f.Kind, data, err = code128(data)
	case QR:
		data, err = qr(data)
	case DataMatrix:
		f.Kind, data, err = dataMatrix(data, s.symbol)
	case PDF417:
		data, err = unblock(data)
	}
	f.Data = data
	return f, err
}

func atoi(c Command) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(c.Params))
	if err != nil {
		return 0, fmt.Errorf("%w: %q at %d is not a number", ErrSyntax, c.Params, c.Offset)
	}
	return n, nil
}
