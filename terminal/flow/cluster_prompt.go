package flow

import "fmt"

// Prompt says what the screen shows now; every line fits 20 columns.
//
//	CLUSTER 2/6          CLUSTER TOTE P2      CLUSTER DONE
//	Loc   A-04-02        Pos   P2             P1    T10013 SO-10013
//	SKU   KN-0180        Order SO-10014       P2    SO-10014 stopped
//	Item  Safety utili…  Lines 2              P3    T10015 SO-10015
//	Qty   0 of 2         Scan tote for P2     Totes to packing
//	Put   P2 T10014      an empty tote
//	Scan item
//	KN-0180
func (c *Cluster) Prompt() Prompt {
	pr := Prompt{Actions: c.actions(), Problem: c.Problem}
	switch c.Step {
	case StepDone:
		pr.Title = "CLUSTER DONE"
		for _, o := range c.Orders {
			v := o.Tote + " " + o.OrderID
			if o.Stopped != "" {
				v = o.OrderID + " stopped"
			}
			pr.Fields = append(pr.Fields, Field{fmt.Sprintf("P%d", o.Pos), v})
		}
		if s := c.shortCount(); s > 0 {
			pr.Fields = append(pr.Fields, Field{"Short", fmt.Sprintf("%d line(s)", s)})
		}
		pr.Fields = append(pr.Fields, nextWork()...)
		pr.Ask = "Totes to packing"
		for _, f := range pr.Fields {
			pr.Essential = append(pr.Essential, f.Label) // every position and what became of it
		}
		return pr
	case StepTote:
		o := c.toteWanted()
		lines := 0
		for _, l := range c.Lines {
			if l.Pos == o.Pos {
				lines++
			}
		}
		pr.Title = fmt.Sprintf("CLUSTER TOTE P%d", o.Pos)
		pr.Fields = []Field{{"Pos", fmt.Sprintf("P%d", o.Pos)}, {"Order", o.OrderID}, {"Lines", fmt.Sprintf("%d", lines)}}
		pr.Ask = fmt.Sprintf("Scan tote for P%d", o.Pos)
		pr.Expect = "an empty tote"
		pr.Scan = demoTote(o.TaskID)
		pr.Essential = []string{"Pos", "Order"}
		return pr
	}
	l := c.line()
	o := c.order(l.Pos)
	done := len(c.Lines) - c.openLines()
	pr.Essential = lineEssentials()
	if c.Step == StepPut {
		done-- // the line in hand is not confirmed yet
	}
	pr.Title = fmt.Sprintf("CLUSTER %d/%d", done+1, len(c.Lines))
	pr.Fields = append(c.lineFields(), Field{"Put", fmt.Sprintf("P%d %s", o.Pos, o.Tote)})
	if c.Step == StepPut {
		pr.Ask = fmt.Sprintf("Put %d, scan P%d tote", l.Picked, o.Pos)
		pr.Expect, pr.Scan = o.Tote, o.Tote
		return pr
	}
	c.lineAsk(&pr, o.TaskID)
	return pr
}
