package flow

import (
	"fmt"
)

// Prompt says what the screen shows now.
func (p *Pick) Prompt() Prompt {
	pr := Prompt{Actions: p.actions(), Problem: p.Problem}
	done := len(p.Lines) - p.openLines()
	if p.Step == StepDone {
		pr.Title = fmt.Sprintf("PICK %s DONE", p.OrderID)
		pr.Fields = []Field{{"Tote", p.Tote}, {"Lines", fmt.Sprintf("%d", len(p.Lines))}}
		if s := p.shortCount(); s > 0 {
			pr.Fields = append(pr.Fields, Field{"Short", fmt.Sprintf("%d line(s)", s)})
		}
		pr.Fields = append(pr.Fields, nextWork()...)
		pr.Ask, pr.Expect, pr.Scan = "Take tote to packing", p.Tote, ""
		pr.Essential = []string{"Short", "Enter", "M"}
		return pr
	}
	pr.Title = fmt.Sprintf("PICK %d/%d %s", done+1, len(p.Lines), p.OrderID)
	if p.Step == StepTote {
		pr.Fields = []Field{{"Order", p.OrderID}, {"Lines", fmt.Sprintf("%d", len(p.Lines))}}
		pr.Ask = "Scan tote"
		pr.Expect = "a tote label"
		pr.Scan = demoTote(p.TaskID)
		pr.Essential = []string{"Order"}
		return pr
	}
	pr.Fields = append(p.lineFields(), Field{"Tote", p.Tote})
	p.lineAsk(&pr, p.TaskID)
	pr.Essential = lineEssentials()
	return pr
}

// lineEssentials are the fields that decide a line's step: where, what, how
// many, which lot and its expiry (where the units go, in a cluster).
func lineEssentials() []string { return []string{"Loc", "SKU", "Qty", "Lot", "Exp", "Put"} }

// nextWork are the fields of a finished pick's screen that say the way on:
// Enter takes the next task, M goes to the menu.
func nextWork() []Field { return []Field{{"Enter", "next task"}, {"M", "menu"}} }
