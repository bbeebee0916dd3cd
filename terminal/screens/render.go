package screens

import (
	"fmt"
	"strings"
	"time"

	"github.com/rivo/tview"

	"github.com/rfterm/rfterm/internal/safetext"
	"github.com/rfterm/rfterm/terminal/session"
)

// render shows a session view, laid out for the screen's size. It runs on
// the UI goroutine.
func (t *Terminal) render(v session.View) {
	prev := t.view
	t.view = v
	p := v.Prompt
	width, height := t.screen.Size()
	size := sizeOf(width, height)
	offered := live(t.table, p.Actions)
	for _, c := range conflicts(offered) {
		t.keyConflicts = append(t.keyConflicts, p.Title+": "+c) // a bug in a flow's prompt: the key tests fail on it
	}

	demoText := ""
	if v.Demo && p.Scan != "" && p.Problem == nil {
		demoText = "Try " + p.Scan
	}
	title := escapeLines(p.Title)
	demoRows := 0
	if size == sizeCompact && demoText != "" && len([]rune(p.Title))+1+len([]rune(demoText)) <= width {
		// 40×8: the hint shares the title's row, on the right.
		pad := width - len([]rune(p.Title)) - len([]rune(demoText))
		title += "[-::-]" + strings.Repeat(" ", pad) + "[darkcyan]" + escapeLines(demoText)
	} else if demoText != "" {
		setText(t.demo, "[darkcyan]"+escapeLines(demoText))
		demoRows = t.rowsFor(demoText, 2) // a long barcode wraps rather than being cut
	}
	setText(t.body, bodyText(p, size, width))

	askRows, expectRows := 1, 1
	keysShown := true
	if p.Problem != nil {
		// An error is red; a terminal without colours (a vt100 gun) shows
		// it in reverse video, so it is never missed.
		rev := ""
		if t.screen.Colors() < 8 {
			rev = "r"
		}
		detail := "[::" + rev + "]" + escapeLines(clipRuns(p.Problem.Detail, maxRun))
		if size == sizeCompact {
			// 40×8: the problem's title takes the title row and its detail
			// the body; "Enter to acknowledge" says the way on, so the hint
			// bar gives its row to the detail too.
			title = "[white:maroon:b" + rev + "]" + escapeLines(p.Problem.Title)
			setText(t.problem, detail)
			expectRows, keysShown = 0, false
		} else {
			setText(t.problem, "[::b"+rev+"]"+escapeLines(p.Problem.Title)+"[::-]\n"+detail)
		}
		setText(t.ask, "[yellow::b]Enter to acknowledge")
		setText(t.expect, "")
	} else {
		ask := "[yellow::b]" + escapeLines(p.Ask)
		expect, expectPlain := "", ""
		switch {
		case t.inputFull:
			expectPlain = inputFullText()
			expect = "[red::b]" + expectPlain
		case p.Expect != "":
			expectPlain = p.Expect
			expect = "[green::b]" + escapeLines(p.Expect)
		}
		askText := p.Ask
		if size == sizeCompact {
			// 40×8: the prompt and the value expected share a row.
			if expect != "" {
				ask += "[-::-] " + expect
				askText += " " + expectPlain
			}
			expect, expectRows = "", 0
		}
		setText(t.ask, ask)
		setText(t.expect, expect)
		askRows = t.rowsFor(askText, 2) // a long instruction wraps rather than being cut
		if expectRows > 0 {
			expectRows = t.rowsFor(expectPlain, 2)
		}
	}
	setText(t.title, "[white::b]"+title)
	hints := t.hintBar(offered)
	keyRowsMax := 2
	if size == sizeNarrow {
		keyRowsMax = 3 // 20 columns: a step with many keys needs a third row
	}
	keyRows := t.rowsFor(hints, keyRowsMax)
	if !keysShown {
		keyRows = 0
	}
	printerRows := t.printerRows(v.Status)
	// What the body can show: the screen less every other row.
	fixed := func() int { return 1 + askRows + expectRows + demoRows + 1 + keyRows + printerRows + 1 }
	t.bodyRows = height - fixed()
	if p.Problem == nil && t.bodyLines(t.body.GetText(false)) > t.bodyRows {
		// The body is longer than the screen: page it (Down/Up), and say so.
		if hints != "" {
			hints += " "
		}
		hints += "↓More"
		keyRows = t.rowsFor(hints, keyRowsMax)
		t.bodyRows = height - fixed()
	}
	if prev.Prompt.Title != p.Title || len(prev.Prompt.Menu) != len(p.Menu) {
		t.body.ScrollToBeginning() // a new screen starts at its top
	}
	t.layout.ResizeItem(t.demo, demoRows, 0)
	t.layout.ResizeItem(t.ask, askRows, 0)
	t.layout.ResizeItem(t.expect, expectRows, 0)
	t.layout.ResizeItem(t.keys, keyRows, 0)
	t.pages.SwitchToPage(t.bodyPage())
	setText(t.keys, escapeLines(hints))
	setText(t.status, statusText(v.Status, time.Now(), width))
	t.mask(v.Secret)
	t.renderPrinter(v.Status, printerRows)

	if v.Alarms > prev.Alarms && prev.Prompt.Title != "" {
		t.alarm()
	}
}

// hintBar lists the actions on offer, then the program's own controls on a
// station's screen; on a gun's (20×16, 40×8) those are in the help (? Help),
// so the step's own keys never scroll off.
func (t *Terminal) hintBar(offered []KeyAction) string {
	hints := hintText(offered)
	if len(t.controls) == 0 {
		return hints
	}
	if width, height := t.screen.Size(); sizeOf(width, height) != sizeWide {
		return strings.TrimSpace(hints + " ? Help") // a gun's few rows are for the step's own keys
	}
	for _, c := range t.controls {
		hints += " " + c.Command + " " + c.Label
	}
	return strings.TrimSpace(hints)
}

// bodyLines is how many rows text takes in the body at the screen's width,
// wrapped.
func (t *Terminal) bodyLines(text string) int {
	width, _ := t.screen.Size()
	n := 0
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n += max(1, (tview.TaggedStringWidth(line)+width-1)/max(width, 1))
	}
	return n
}

// pageBody moves the body a page down (or up), from the end back to the top.
func (t *Terminal) pageBody(down bool) {
	row, _ := t.body.GetScrollOffset()
	page := max(1, t.bodyRows)
	total := t.bodyLines(t.body.GetText(false))
	switch {
	case down && row+page >= total:
		row = 0
	case down:
		row += page
	default:
		row = max(0, row-page)
	}
	t.body.ScrollTo(row, 0)
}

// rowsFor is how many rows text takes at the screen's width, from 1 to most.
func (t *Terminal) rowsFor(text string, most int) int {
	width, _ := t.screen.Size()
	if width <= 0 {
		return 1
	}
	return max(1, min(most, wrappedRows(text, width)))
}

// wrappedRows is how many rows text takes wrapped at word boundaries to
// width columns, as the views wrap it (a word longer than a row breaks).
func wrappedRows(text string, width int) int {
	rows, col := 1, 0
	for _, w := range strings.Fields(text) {
		n := len([]rune(w))
		switch {
		case col == 0:
		case col+1+n <= width:
			col++ // the space before it
		default:
			rows++
			col = 0
		}
		for n > width { // a word longer than a row fills rows of its own
			n -= width
			rows++
		}
		col += n
	}
	return rows
}

// renderPrinter shows the printer's row when it is not simply ready: red for a
// fault, so a printer that stopped is seen at once.
func (t *Terminal) renderPrinter(s session.Status, rows int) {
	if s.Printer != "" {
		colour := "[yellow]"
		if s.PrinterFault {
			colour = "[white:red:b]"
		}
		setText(t.printer, colour+safetext.Escape(s.Printer))
	}
	t.layout.ResizeItem(t.printer, rows, 0)
}

// printerRows is how many rows the printer's line takes: none when it is
// simply ready.
func (t *Terminal) printerRows(s session.Status) int {
	if s.Printer == "" {
		return 0
	}
	return t.rowsFor(s.Printer, 2)
}

// alarm sounds the error tone: the terminal bell, twice. The screen may be
// touched only on the UI goroutine, so the second ring is queued to it.
func (t *Terminal) alarm() {
	t.screen.Beep()
	go func() {
		select {
		case <-time.After(200 * time.Millisecond):
			t.app.QueueUpdate(func() { t.screen.Beep() })
		case <-t.stopped:
		}
	}()
}

// statusText is the status line: connection, queue, needs-attention count,
// user, at a screen width columns wide. A device the hub no longer knows
// says so, never OFFLINE; a hub reached over plain HTTP off loopback shows
// HTTP!.
func statusText(s session.Status, now time.Time, width int) string {
	var b strings.Builder
	switch {
	case s.NotEnrolled && width >= 40:
		b.WriteString("[white:red:b]DEVICE NOT ENROLLED — ask the lead[-:-:-] ")
	case s.NotEnrolled:
		b.WriteString("[white:red:b]NOT ENROLLED[-:-:-] ")
	case s.Scanner != "":
		b.WriteString("[red::b]SCANNER OFF[-::-] ")
	case s.Online:
		b.WriteString("[green]ONLINE[-] ")
	default:
		b.WriteString("[red::b]OFFLINE[-::-] ")
	}
	if s.PlainHTTP {
		b.WriteString("[red::b]HTTP![-::-] ")
	}
	fmt.Fprintf(&b, "Q%d", s.Queued)
	if s.Queued > 0 && !s.Oldest.IsZero() {
		b.WriteString(" " + age(now.Sub(s.Oldest)))
	}
	if s.Attention > 0 {
		fmt.Fprintf(&b, " [yellow::b]!%d[-::-]", s.Attention)
	}
	if s.User != "" {
		b.WriteString(" " + safetext.Escape(s.User))
	}
	return b.String()
}

// age is a short duration: 45s, 12m, 3h, 2d.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// mask hides what is typed on the input line while the session asks for a
// secret (a lead's PIN), and shows it again after.
func (t *Terminal) mask(secret bool) {
	if secret {
		t.input.SetMaskCharacter('*')
	} else {
		t.input.SetMaskCharacter(0)
	}
}

// escapeLines neutralises text for a tview view as safetext.Escape does
// (every tag form, control characters), line by line: line breaks stay.
// Single values from outside (field values, menu lines, names) go through
// safetext.Escape itself, so they never break a line.
func escapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safetext.Escape(l)
	}
	return strings.Join(lines, "\n")
}

// setText gives a view its text, unless it has it already: tview parses a
// view's text again after every SetText, at every draw.
func setText(v *tview.TextView, text string) {
	if v.GetText(false) != text {
		v.SetText(text)
	}
}
