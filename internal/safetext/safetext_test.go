package safetext_test

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rfterm/rfterm/internal/safetext"
	"github.com/rivo/tview"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rendered draws text in a tview TextView with dynamic colours and regions
// on a simulation screen and returns the first line as shown, and whether
// any cell of it was drawn in another style (colour, attributes, URL) than
// plain text is.
func rendered(t *testing.T, text string) (string, bool) {
	t.Helper()
	draw := func(text string) ([]tcell.SimCell, int) {
		screen := tcell.NewSimulationScreen("UTF-8")
		require.NoError(t, screen.Init())
		t.Cleanup(screen.Fini)
		screen.SetSize(200, 3)
		tv := tview.NewTextView().SetDynamicColors(true).SetRegions(true).SetWrap(false)
		tv.SetText(text)
		tv.SetRect(0, 0, 200, 3)
		tv.Draw(screen)
		screen.Show()
		cells, w, _ := screen.GetContents()
		return cells, w
	}
	plain, _ := draw("A")
	cells, w := draw(text)
	var line strings.Builder
	styled := false
	for x := 0; x < w; x++ {
		line.WriteString(string(cells[x].Runes))
	}
	shown := strings.TrimRight(line.String(), " ")
	for x := 0; x < len([]rune(shown)) && x < w; x++ {
		styled = styled || cells[x].Style != plain[0].Style
	}
	return shown, styled
}

// Finding 10: every tview tag form in text from outside is shown as text:
// no colour, attribute, hyperlink or region leaks, and nothing is hidden.
func TestEscapeNeutralisesEveryTagForm(t *testing.T) {
	// Tags with a URL part cannot be shown literally by tview: their "[" shows as "(".
	for text, want := range map[string]string{
		"[red:blue:bu:http://x]link":    "(red:blue:bu:http://x]link",
		"[:::click]here":                "(:::click]here",
		"[red:blue:bu:http://x[]]":      "(red:blue:bu:http://x[]]",
		"a[b]c[::u:https://evil/]d[-]e": "a[b]c(::u:https://evil/]d[-]e",
	} {
		shown, styled := rendered(t, safetext.Escape(text))
		assert.Equal(t, want, shown, "shown: %q", text)
		assert.False(t, styled, "no style leaks from %q", text)
	}
	for _, text := range []string{
		"[red]RED",
		"[::b]bold[::-]",
		`["region1"]in a region[""]`,
		"[-]reset[-:-:-]",
		"[red[]already escaped",
		"[#ff0000]hex",
		"[]empty[[]",
		"a]b[c",
		"[[red]]",
		"x[yellow::l]blink",
	} {
		shown, styled := rendered(t, safetext.Escape(text))
		assert.Equal(t, text, shown, "shown as given: %q", text)
		assert.False(t, styled, "no style leaks from %q", text)
	}
	// The forms tview.Escape leaves live (so this test can tell).
	for _, text := range []string{"[red:blue:bu:http://x]link", "[:::click]here"} {
		naive, naiveStyled := rendered(t, tview.Escape(text))
		assert.True(t, naive != text || naiveStyled, "tview.Escape now escapes %q", text)
	}
}

// Finding 10: control characters are stripped: nothing printed can move
// the cursor, recolour or retitle a terminal, or reorder text.
func TestStripRemovesControlCharacters(t *testing.T) {
	in := "ZT410\x1b[31m red\x1b]0;owned\x07\r\n\tok\x7f\u0085\u202eevil\u200b\xff"
	got := safetext.Strip(in)
	for _, r := range got {
		assert.False(t, r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u200b', "control %U left in %q", r, got)
	}
	assert.Equal(t, "ZT410[31m red]0;ownedokevil\uFFFD", got)
	assert.Equal(t, "Ümlaut 日本", safetext.Strip("Ümlaut 日本"), "printable text is kept")
}
