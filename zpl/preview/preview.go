// Package preview renders a ZPL label as text: its fields and the contents
// of its barcodes at their positions on a character grid, then listed with
// their positions in millimetres, so a packer or a developer can check a label
// without a printer.
package preview

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/zpl/decode"
)

// Options sets out the rendering.
type Options struct {
	DPI     int // the resolution the label was laid out for (positions are in dots)
	Columns int // grid width in characters; 0 means 64
}

// mmPerRow is the height of one grid row.
const mmPerRow = 2.5

// Render writes each format of doc as a grid and a field list.
func Render(w io.Writer, doc decode.Document, o Options) error {
	if o.DPI <= 0 {
		return fmt.Errorf("preview: resolution %d dpi", o.DPI)
	}
	cols := o.Columns
	if cols <= 0 {
		cols = 64
	}
	mm := func(dots int) float64 { return float64(dots) * 25.4 / float64(o.DPI) }
	for i, f := range doc.Formats {
		width, length := mm(f.Width), mm(f.Length)
		if f.Width == 0 || f.Length == 0 {
			width, length = 101.6, 152.4
		}
		fmt.Fprintf(w, "label %d of %d: %.1f × %.1f mm at %d dpi\n", i+1, len(doc.Formats), width, length, o.DPI)
		rows := int(math.Ceil(length / mmPerRow))
		grid := make([][]rune, rows)
		for r := range grid {
			grid[r] = []rune(strings.Repeat(" ", cols))
		}
		colOf := func(x int) int { return min(cols-1, max(0, int(mm(x)/width*float64(cols)))) }
		rowOf := func(y int) int { return min(rows-1, max(0, int(mm(y)/mmPerRow))) }
		fields := append([]decode.Field(nil), f.Fields...)
		sort.SliceStable(fields, func(a, b int) bool {
			if fields[a].Y != fields[b].Y {
				return fields[a].Y < fields[b].Y
			}
			return fields[a].X < fields[b].X
		})
		for _, fl := range fields {
			r, c := rowOf(fl.Y), colOf(fl.X)
			switch fl.Kind {
			case decode.Box:
				if p := strings.Split(fl.Symbol, ","); len(p) >= 2 && strings.HasPrefix(p[0], "GB") {
					var wd, ht int
					fmt.Sscan(strings.TrimPrefix(p[0], "GB"), &wd)
					fmt.Sscan(p[1], &ht)
					if ht <= 4 {
						put(grid[r], c, strings.Repeat("─", max(1, colOf(fl.X+wd)-c)))
					}
				}
			case decode.Text, decode.TextBlock:
				for k, line := range strings.Split(fl.Data, "\n") {
					if r+k < rows {
						put(grid[r+k], c, line)
					}
				}
			default:
				put(grid[r], c, "▐"+describe(fl)+"▌")
			}
		}
		fmt.Fprintln(w, "┌"+strings.Repeat("─", cols)+"┐")
		for _, row := range grid {
			fmt.Fprintln(w, "│"+string(row)+"│")
		}
		fmt.Fprintln(w, "└"+strings.Repeat("─", cols)+"┘")
		for _, fl := range fields {
			if fl.Kind == decode.Box {
				continue
			}
			fmt.Fprintf(w, "  %6.1f,%6.1f mm  %-15s %s\n", mm(fl.X), mm(fl.Y), fl.Kind, describe(fl))
		}
	}
	return nil
}

// describe is a field's content as a reader sees it: text as printed, a
// GS1 barcode as "(AI) value", another barcode's data quoted.
func describe(f decode.Field) string {
	switch f.Kind {
	case decode.Text, decode.TextBlock:
		return fmt.Sprintf("%q", f.Data)
	case decode.GS1128, decode.GS1DataMatrix:
		els, err := gs1.Parse(f.Data)
		if err != nil && len(els) == 0 {
			return fmt.Sprintf("%q (not GS1: %v)", f.Data, err)
		}
		parts := make([]string, len(els))
		for i, e := range els {
			parts[i] = "(" + e.AI + ") " + e.Value
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprintf("%s %q", f.Kind, f.Data)
}

// put writes s into row from column c, clipped at the row's end.
func put(row []rune, c int, s string) {
	for _, r := range s {
		if c >= len(row) {
			return
		}
		if r == utf8.RuneError || r < 0x20 {
			r = '·'
		}
		row[c] = r
		c++
	}
}
