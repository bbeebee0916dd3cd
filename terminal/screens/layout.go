package screens

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/internal/safetext"
	"github.com/rfterm/rfterm/terminal/flow"
)

// screenSize is the layout a screen's size calls for: the RF-gun grids of
// the trade, 20×16 and 40×8, and stations of 80×24 and more.
type screenSize int

const (
	sizeNarrow  screenSize = iota // 20 columns or so: one field a row
	sizeCompact                   // 40×8 or so: few rows, two fields a row, prompt and expected value on one row
	sizeWide                      // 80×24 and larger
)

// sizeOf chooses the layout for a screen of width × height.
func sizeOf(width, height int) screenSize {
	switch {
	case height < 12:
		return sizeCompact
	case width < 40:
		return sizeNarrow
	}
	return sizeWide
}

// String names the layout, for the gallery.
func (s screenSize) String() string {
	return [...]string{"narrow", "compact", "wide"}[s]
}

// bodyText is the body: the menu, then the fields, the essential ones first
// (they decide the step, so a page too short for all shows them). On a
// compact screen the essential fields come before the menu (a long menu
// pages, with ↓More), two short fields share a row, and a menu takes as
// many columns as fit.
func bodyText(p flow.Prompt, size screenSize, width int) string {
	var menu []string
	if cols := menuColumns(p.Menu, size, width); cols > 1 {
		colWidth := width / cols
		for i := 0; i < len(p.Menu); i += cols {
			var row strings.Builder
			for j := i; j < min(i+cols, len(p.Menu)); j++ {
				cell := p.Menu[j]
				if j < i+cols-1 {
					cell = padRight(cell, colWidth)
				}
				row.WriteString(safetext.Escape(cell))
			}
			menu = append(menu, row.String())
		}
	} else {
		for _, m := range p.Menu {
			menu = append(menu, safetext.Escape(m))
		}
	}
	essential, rest := splitEssential(p)
	var lines []string
	if size == sizeCompact && width >= 40 {
		lines = append(lines, compactFields(essential, width)...)
		lines = append(lines, menu...)
		lines = append(lines, compactFields(rest, width)...)
	} else {
		lines = append(lines, menu...)
		for _, f := range append(essential, rest...) {
			lines = append(lines, fieldCell(f, 0))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// compactFields lays fields out two to a row where they fit.
func compactFields(fields []flow.Field, width int) []string {
	var lines []string
	half := width / 2
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if i+1 < len(fields) && compactWidth(f) < half && compactWidth(fields[i+1]) <= width-half {
			lines = append(lines, compactCell(f, half)+compactCell(fields[i+1], 0))
			i++
			continue
		}
		lines = append(lines, compactCell(f, 0))
	}
	return lines
}

// splitEssential parts the prompt's fields into the essential ones and the
// rest, each in its own order.
func splitEssential(p flow.Prompt) (essential, rest []flow.Field) {
	for _, f := range p.Fields {
		if p.IsEssential(f.Label) {
			essential = append(essential, f)
		} else {
			rest = append(rest, f)
		}
	}
	return essential, rest
}

// fieldWidth is how many columns a field takes: its label padded to five,
// a space, its value.
func fieldWidth(f flow.Field) int { return max(5, len([]rune(f.Label))) + 1 + len([]rune(f.Value)) }

// fieldCell renders one field, padded to width columns when width > 0.
func fieldCell(f flow.Field, width int) string {
	s := fmt.Sprintf("[::d]%-5s[::-] %s", safetext.Escape(f.Label), safetext.Escape(f.Value))
	if pad := width - fieldWidth(f); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

func padRight(s string, width int) string {
	if n := len([]rune(s)); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// menuColumns is how many columns a menu takes: on a compact screen as many
// as fit (up to four), so a short menu leaves rows for the fields.
func menuColumns(menu []string, size screenSize, width int) int {
	if size != sizeCompact || len(menu) < 2 {
		return 1
	}
	longest := 0
	for _, m := range menu {
		longest = max(longest, len([]rune(m)))
	}
	for cols := min(4, len(menu)); cols > 1; cols-- {
		if longest < width/cols {
			return cols
		}
	}
	return 1
}

// compactWidth is how many columns a field takes on a compact screen: its
// label, a space, its value.
func compactWidth(f flow.Field) int { return len([]rune(f.Label)) + 1 + len([]rune(f.Value)) }

// compactCell renders a field for a compact screen, padded to width columns
// when width > 0.
func compactCell(f flow.Field, width int) string {
	s := fmt.Sprintf("[::d]%s[::-] %s", safetext.Escape(f.Label), safetext.Escape(f.Value))
	if pad := width - compactWidth(f); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// maxRun is the longest run without a space a problem's detail shows whole:
// a longer one (a garbled or pasted "scan") is cut in the middle, so the
// words around it stay on a small screen.
const maxRun = 48

// clipRuns shortens every run of more than n characters without a space.
func clipRuns(s string, n int) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if r := []rune(w); len(r) > n {
			words[i] = string(r[:n/2-1]) + "…" + string(r[len(r)-n/2:])
		}
	}
	return strings.Join(words, " ")
}
