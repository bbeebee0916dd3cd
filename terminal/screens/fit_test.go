package screens

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/rfterm/rfterm/terminal/session"
)

var gallery = flag.String("gallery", "", "write plain-text captures of every screen state the tests reach to this folder")

// gridSizes are the screen sizes every state must work at: the two SAP RF
// grids of the trade and a station's terminal.
var gridSizes = []struct{ w, h int }{{20, 16}, {40, 8}, {80, 24}}

// seenViews keeps the distinct views a driver's session went through, for
// the fit check and the gallery.
type seenViews struct {
	keys  map[string]bool
	views []session.View
}

func (s *seenViews) add(v session.View) {
	if s.keys == nil {
		s.keys = map[string]bool{}
	}
	prompt, _ := json.Marshal(v.Prompt)
	k := string(v.Mode) + string(prompt)
	if s.keys[k] || v.Mode == session.ModeBusy {
		return
	}
	s.keys[k] = true
	s.views = append(s.views, v)
}

// renderAt draws v on a w×h simulation screen, as a terminal of that size
// shows it, and returns the screen's rows.
func renderAt(v session.View, w, h int) []string {
	sess := session.New(context.Background(), session.Config{}, nil, nil, idleSync{})
	defer sess.Close()
	sim := tcell.NewSimulationScreen("UTF-8")
	term := NewTerminal(sess, sim)
	sim.SetSize(w, h)
	term.width, term.height = w, h
	term.render(v)
	term.root.SetRect(0, 0, w, h)
	term.root.Draw(sim)
	sim.Show()
	cells, cw, ch := sim.GetContents()
	rows := make([]string, ch)
	for y := 0; y < ch; y++ {
		var b strings.Builder
		for x := 0; x < cw; x++ {
			c := cells[y*cw+x]
			if len(c.Runes) == 0 {
				b.WriteRune(' ')
			} else {
				b.WriteString(string(c.Runes))
			}
		}
		rows[y] = b.String()
	}
	return rows
}

var notWord = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// collapse keeps the letters and digits of s: what is visible is compared
// whatever the wrapping, padding and escaping of brackets on the way.
func collapse(s string) string { return notWord.ReplaceAllString(s, "") }

// missing lists what v must show that the rows do not: the title, the
// instruction and the value expected (or the problem whole), every essential
// field with its value, and the keys of every action on offer (the way out).
func missing(v session.View, rows []string) []string {
	screen := collapse(strings.Join(rows, " "))
	shown := func(s string) bool { return strings.Contains(screen, collapse(s)) }
	var out []string
	need := func(what, s string) {
		if s != "" && !shown(s) {
			out = append(out, fmt.Sprintf("%s %q", what, s))
		}
	}
	p := v.Prompt
	if p.Problem != nil { // the problem is the screen: the step's title may give way to it
		need("problem", p.Problem.Title)
		need("problem detail", clipRuns(p.Problem.Detail, maxRun))
		need("acknowledgement", "Enter to acknowledge")
		return out
	}
	need("title", p.Title)
	need("instruction", p.Ask)
	need("expected value", p.Expect)
	for _, f := range p.Fields {
		if p.IsEssential(f.Label) {
			need("field", f.Label+" "+f.Value)
		}
	}
	for _, ka := range live(KeyActions(), p.Actions) {
		need("key", hintText([]KeyAction{ka}))
	}
	return out
}

// checkFit renders every view a driver saw at every grid size and fails
// the test when something essential is not fully visible; with -gallery it
// also writes the captures.
func checkFit(t *testing.T, seen *seenViews) {
	t.Helper()
	for _, v := range seen.views {
		// Captures must not depend on the clock or on how fast the sender was.
		v.Status.Queued, v.Status.Oldest = 0, time.Time{}
		if !v.Status.PrinterFault {
			v.Status.Printer = "" // jobs waiting or printing: a matter of timing
		}
		for _, size := range gridSizes {
			rows := renderAt(v, size.w, size.h)
			if miss := missing(v, rows); len(miss) > 0 {
				t.Errorf("%dx%d, %s %q: not fully visible: %s\n%s", size.w, size.h, v.Mode, v.Prompt.Title, strings.Join(miss, "; "), strings.Join(rows, "\n"))
			}
			if *gallery != "" {
				writeCapture(t, *gallery, size.w, size.h, v, rows)
			}
		}
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9]+`)

func writeCapture(t *testing.T, dir string, w, h int, v session.View, rows []string) {
	t.Helper()
	sub := filepath.Join(dir, fmt.Sprintf("%dx%d", w, h))
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	title := v.Prompt.Title
	if v.Prompt.Problem != nil {
		title += " " + v.Prompt.Problem.Title
	}
	// One file per state of a test, whichever screen size the test ran at:
	// named by the test, the screen's title and a hash of what it shows.
	test, _, _ := strings.Cut(t.Name(), "/")
	sum := fnv.New32a()
	prompt, _ := json.Marshal(v.Prompt) // deterministic, unlike printing its pointers
	fmt.Fprint(sum, v.Mode, string(prompt))
	name := fmt.Sprintf("%s-%s-%08x.txt", test, strings.Trim(unsafeName.ReplaceAllString(title, "-"), "-"), sum.Sum32())
	border := "+" + strings.Repeat("-", w) + "+\n"
	var b strings.Builder
	b.WriteString(border)
	for _, r := range rows {
		b.WriteString("|" + r + "|\n")
	}
	b.WriteString(border)
	if err := os.WriteFile(filepath.Join(sub, name), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
