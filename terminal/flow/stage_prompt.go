package flow

import "strconv"

// Prompt is the screen for the current step of staging.
func (s *Stage) Prompt() Prompt {
	list := Field{Label: "List", Value: s.Age}
	if s.Step == StepStageLane {
		c := s.Carton
		p := Prompt{Title: "STAGE", Ask: "Scan lane", Expect: "staging lane", Scan: s.Expect, Actions: []Action{ActBack}, Problem: s.Problem,
			Fields:    []Field{{Label: "Order", Value: c.OrderID}, {Label: "Ctn", Value: cartonOf(*c)}},
			Essential: []string{"Order", "Ctn", "Lane"}}
		if s.Expect != "" {
			p.Expect = "lane " + s.Expect
			p.Fields = append(p.Fields, Field{Label: "Lane", Value: s.Expect})
		}
		if c.Carrier != "" {
			p.Fields = append(p.Fields, Field{Label: "Via", Value: c.Carrier + " " + c.Service})
		}
		if s.Load != "" {
			p.Fields = append(p.Fields, Field{Label: "Load", Value: s.Load})
		}
		if c.Lane != "" {
			p.Fields = append(p.Fields, Field{Label: "Now", Value: c.Lane})
		}
		p.Fields = append(p.Fields, Field{Label: "SSCC", Value: c.SSCC}, list)
		return p
	}
	p := Prompt{Title: "STAGE", Ask: "Scan carton", Expect: "SSCC label", Scan: s.Next, Problem: s.Problem,
		Fields: []Field{list, {Label: "Staged", Value: strconv.Itoa(s.Staged)}}, Essential: []string{"List"}}
	if s.Last != "" {
		p.Fields = append(p.Fields, Field{Label: "Last", Value: s.Last})
	}
	return p
}
