package zpl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ellipsis marks text cut to fit.
const ellipsis = "..."

// Text prints s on one line in font f at xMM,yMM. Text longer than maxWidthMM
// allows is cut at a character boundary and ends in "...".
func (l *Label) Text(xMM, yMM float64, f Font, maxWidthMM float64, s string) {
	if !l.ok() {
		return
	}
	n := charsFitting(maxWidthMM, f)
	if n < 1 {
		l.fail(fmt.Errorf("%w: text box %g mm is narrower than one character", ErrLayout, maxWidthMM))
		return
	}
	if !l.origin(xMM, yMM) {
		return
	}
	l.font(f)
	l.fieldData(Truncate(s, n))
}

// TextBlock prints s in font f wrapped at word boundaries into at most lines
// lines of widthMM (^FB). Line breaks in s are kept. Text that does not fit is
// cut at a character boundary and the last line ends in "...", so the printer
// never overprints the last line as ^FB does with overflow.
func (l *Label) TextBlock(xMM, yMM, widthMM float64, lines int, f Font, s string) {
	if !l.ok() {
		return
	}
	perLine := charsFitting(widthMM, f)
	if perLine < 1 || lines < 1 {
		l.fail(fmt.Errorf("%w: text block %g mm × %d lines holds no character", ErrLayout, widthMM, lines))
		return
	}
	if !l.origin(xMM, yMM) {
		return
	}
	l.font(f)
	fmt.Fprintf(&l.b, "^FB%d,%d,0,L,0", l.dpi.Dots(widthMM), lines)
	l.fieldData(EscapeBlockText(Wrap(s, perLine, lines)))
}

// Truncate cuts s to at most n characters (runes), ending in "..." when cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := n - len(ellipsis)
	if keep < 1 {
		return firstRunes(s, n)
	}
	return firstRunes(s, keep) + ellipsis
}

func firstRunes(s string, n int) string {
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// Wrap breaks s into lines of at most perLine characters at spaces (a word
// longer than a line is split), keeping s's own line breaks, and keeps at most
// maxLines lines; the last kept line ends in "..." when text was dropped.
func Wrap(s string, perLine, maxLines int) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			for utf8.RuneCountInString(w) > perLine {
				if line != "" {
					out = append(out, line)
					line = ""
				}
				head := firstRunes(w, perLine)
				out = append(out, head)
				w = w[len(head):]
			}
			switch {
			case line == "":
				line = w
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= perLine:
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	if len(out) > maxLines {
		last := out[maxLines-1]
		if utf8.RuneCountInString(last)+len(ellipsis) > perLine {
			last = firstRunes(last, max(0, perLine-len(ellipsis)))
		}
		out = append(out[:maxLines-1], firstRunes(last+ellipsis, min(perLine, utf8.RuneCountInString(last)+len(ellipsis))))
	}
	return strings.Join(out, "\n")
}

// EscapeBlockText applies the ^FB (and ^B7) conventions before ^FH escaping:
// a backslash is doubled and a line break becomes \&.
func EscapeBlockText(s string) string {
	if !strings.ContainsAny(s, "\\\n") {
		return s
	}
	return strings.NewReplacer("\\", "\\\\", "\n", "\\&").Replace(s)
}
