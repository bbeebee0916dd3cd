package zpl

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// ellipsis marks text cut to fit.
const ellipsis = "..."

// minCondense is how far text may be narrowed (as a share of its font's width
// setting) to fit its box before it is shortened: font 0 stays legible well
// below that, and a narrowed word still reads whole.
const minCondense = 0.75

// face picks the font for s: font 0, or the printer's TrueType font when s has
// a character font 0 has no glyph for. Without a TrueType font such text is
// refused, so it never prints as empty boxes.
func (l *Label) face(s string) (trueType bool, err error) {
	r, needs := NeedsTrueType(s)
	if !needs {
		return false, nil
	}
	if l.trueType == "" {
		return false, fmt.Errorf("%w: %q has %q (U+%04X), which the printer's font 0 cannot print; configure a TrueType font stored on the printer (^A@) for this text", ErrData, s, r, r)
	}
	return true, nil
}

// maxDots is how many dots of a box widthMM wide starting at x are on the label.
func (l *Label) maxDots(x int, widthMM float64) float64 {
	return math.Min(math.Floor(widthMM*float64(l.dpi)/25.4), float64(l.width-x))
}

// TextWidthMM is the printed width of s in font f, measured with font 0's
// advance widths at this label's resolution.
func (l *Label) TextWidthMM(f Font, s string) float64 {
	_, w := l.fontDots(f)
	return l.dpi.MM(int(math.Ceil(AdvanceDots(w, s))))
}

// Text prints s on one line in font f at xMM,yMM, within maxWidthMM (and the
// label's edge). Text too wide for its box, measured with font 0's advance
// widths, is first narrowed (down to 3/4 of the font's width setting); only
// then is it cut at a character boundary and ends in "...". It reports whether
// s was shortened, so a caller whose field tells lines apart can say so.
func (l *Label) Text(xMM, yMM float64, f Font, maxWidthMM float64, s string) (shortened bool) {
	if !l.ok() {
		return false
	}
	return l.textDots(l.dpi.Dots(xMM), l.dpi.Dots(yMM), f, maxWidthMM, s)
}

func (l *Label) textDots(x, y int, f Font, maxWidthMM float64, s string) bool {
	tt, err := l.face(s)
	if err != nil {
		l.fail(err)
		return false
	}
	h, w := l.fontDots(f)
	limit := l.maxDots(x, maxWidthMM)
	if limit < AdvanceDots(w, "W") {
		l.fail(fmt.Errorf("%w: text box %g mm is narrower than one character", ErrLayout, maxWidthMM))
		return false
	}
	if !l.originDots(x, y) {
		return false
	}
	out, cut := s, false
	if width := AdvanceDots(w, s); width > limit {
		if narrow := int(float64(w) * limit / width); narrow >= int(math.Ceil(float64(w)*minCondense)) {
			w = narrow
		} else {
			out, cut = shorten(s, func(t string) bool { return AdvanceDots(w, t) <= limit }), true
		}
	}
	l.font(h, w, tt)
	l.fieldData(out)
	return cut
}

// shorten returns the longest prefix of s that, followed by "...", fits
// (found by bisection over the character boundaries: a longer prefix is never
// narrower).
func shorten(s string, fits func(string) bool) string {
	ends := make([]int, 0, len(s))
	for i := range s {
		ends = append(ends, i) // s[:i] is a proper prefix
	}
	with := func(k int) string { return strings.TrimRight(s[:ends[k]], " ") + ellipsis }
	lo, hi := 0, len(ends)-1 // find the largest k with fits(with(k))
	if len(ends) == 0 || !fits(with(0)) {
		return ""
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(with(mid)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return with(lo)
}

// TextBlock prints s in font f wrapped at word boundaries into at most lines
// lines of widthMM (^FB), wrapping with font 0's measured advance widths. Line
// breaks in s are kept. Text that does not fit is cut at a character boundary
// and the last line ends in "...", so the printer never overprints the last
// line as ^FB does with overflow; it reports whether s was shortened.
func (l *Label) TextBlock(xMM, yMM, widthMM float64, lines int, f Font, s string) (shortened bool) {
	if !l.ok() {
		return false
	}
	x := l.dpi.Dots(xMM)
	limit := l.maxDots(x, widthMM)
	h, w := l.fontDots(f)
	if lines < 1 || limit < AdvanceDots(w, "W") {
		l.fail(fmt.Errorf("%w: text block %g mm × %d lines holds no character", ErrLayout, widthMM, lines))
		return false
	}
	tt, err := l.face(s)
	if err != nil {
		l.fail(err)
		return false
	}
	if !l.origin(xMM, yMM) {
		return false
	}
	wrapped, cut := WrapFunc(s, func(t string) bool { return AdvanceDots(w, t) <= limit }, lines)
	l.font(h, w, tt)
	fmt.Fprintf(&l.b, "^FB%d,%d,0,L,0", int(limit), lines)
	l.fieldData(EscapeBlockText(wrapped))
	return cut
}

// Lines is how many lines of widthMM s takes in font f when wrapped at word
// boundaries as TextBlock wraps it.
func (l *Label) Lines(f Font, widthMM float64, s string) int {
	_, w := l.fontDots(f)
	limit := l.maxDots(0, widthMM)
	wrapped, _ := WrapFunc(s, func(t string) bool { return AdvanceDots(w, t) <= limit }, 0)
	return strings.Count(wrapped, "\n") + 1
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
	out, _ := WrapFunc(s, func(t string) bool { return utf8.RuneCountInString(t) <= perLine }, maxLines)
	return out
}

// WrapFunc breaks s into lines that fit (as fits says) at spaces, splitting a
// word longer than a line, keeping s's own line breaks, and keeps at most
// maxLines lines (0: all); the last kept line ends in "..." when text was
// dropped, which it reports. fits must accept any single character.
func WrapFunc(s string, fits func(string) bool, maxLines int) (string, bool) {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			for !fits(w) {
				if line != "" {
					out = append(out, line)
					line = ""
				}
				head := longestFitting(w, fits)
				out = append(out, head)
				w = w[len(head):]
			}
			switch {
			case line == "":
				line = w
			case fits(line + " " + w):
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	if maxLines <= 0 || len(out) <= maxLines {
		return strings.Join(out, "\n"), false
	}
	last := out[maxLines-1] + ellipsis
	if !fits(last) {
		last = shorten(out[maxLines-1], fits)
	}
	return strings.Join(append(out[:maxLines-1], last), "\n"), true
}

// longestFitting is the longest prefix of w (at least one character) that fits.
func longestFitting(w string, fits func(string) bool) string {
	_, first := utf8.DecodeRuneInString(w)
	end := first
	for end < len(w) {
		_, size := utf8.DecodeRuneInString(w[end:])
		if !fits(w[:end+size]) {
			break
		}
		end += size
	}
	return w[:end]
}

// EscapeBlockText applies the ^FB (and ^B7) conventions before ^FH escaping:
// a backslash is doubled and a line break becomes \&.
func EscapeBlockText(s string) string {
	if !strings.ContainsAny(s, "\\\n") {
		return s
	}
	return strings.NewReplacer("\\", "\\\\", "\n", "\\&").Replace(s)
}
