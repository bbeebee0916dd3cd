package flow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// actions are the actions loading offers at its step.
func (l *Load) actions() []Action {
	switch l.Step {
	case StepLoadCarton:
		return []Action{ActMissing, ActClose, ActBack}
	case StepLoadMissing, StepLoadLead, StepLoadReason:
		return []Action{ActBack}
	case StepLoadSeal:
		return []Action{ActNoSeal, ActBack}
	}
	return nil
}

// missingText is "3 ctn, 2 ord", or "none".
func (l *Load) missingText() string {
	if len(l.Missing) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d ctn, %d ord", len(l.Missing), len(l.MissingOrders))
}

// Prompt is the screen for the current step of loading.
func (l *Load) Prompt() Prompt {
	p := Prompt{Title: "LOAD " + l.LoadID, Actions: l.actions(), Problem: l.Problem, Scan: l.Hint}
	door := Field{Label: "Door", Value: l.Door}
	missing := Field{Label: "Missing", Value: l.missingText()}
	list := Field{Label: "List", Value: l.Age}
	switch l.Step {
	case StepLoadDoor:
		p.Title, p.Ask, p.Expect = "LOAD", "Scan door or load", "dock door or load id"
		p.Fields, p.Essential = []Field{list}, []string{"List"}
	case StepLoadCarton:
		p.Ask, p.Expect = "Scan carton", "SSCC label"
		if len(l.Missing) == 0 && (l.Planned > 0 || len(l.Loaded) > 0) {
			// Nothing planned is missing: the way on is the close key.
			p.Ask, p.Expect, p.Scan = "All loaded: C to close", "", "C"
		}
		p.Fields = []Field{door, missing, {Label: "Loaded", Value: fmt.Sprintf("%d of %d", len(l.Loaded), l.Planned)},
			{Label: "Via", Value: l.Carrier + " " + l.Service}, list}
		if l.Last != "" {
			p.Fields = append(p.Fields, Field{Label: "Last", Value: l.Last})
		}
		p.Essential = []string{"Door", "Missing", "List"}
	case StepLoadMissing:
		p.Title, p.Ask, p.Scan = fmt.Sprintf("MISSING %d", len(l.Missing)), "Still to load", ""
		p.Fields = []Field{{Label: "Orders", Value: strings.Join(l.MissingOrders, " ")}}
		for _, c := range l.Missing {
			p.Fields = append(p.Fields, Field{Label: c.OrderID, Value: c.SSCC})
		}
		if len(l.Missing) == 0 {
			p.Fields = []Field{{Label: "Missing", Value: "none: close the load"}}
		}
	case StepLoadLead:
		p.Title, p.Ask, p.Expect, p.Scan = "SHORT CLOSE", "Lead: scan badge", "a lead's badge", ""
		p.Fields, p.Essential = []Field{door, missing}, []string{"Missing"}
	case StepLoadPIN:
		p.Title, p.Ask, p.Expect, p.Scan = "SHORT CLOSE", "Lead: key PIN", "PIN", ""
		p.Fields = []Field{door, missing}
	case StepLoadReason:
		p.Title, p.Ask, p.Scan = "SHORT REASON", "Lead: choose", "1"
		for i, r := range domain.LoadShortReasons() {
			p.Menu = append(p.Menu, strconv.Itoa(i+1)+" "+r.Label())
		}
		p.Fields, p.Essential = []Field{missing, {Label: "Lead", Value: l.LeadName}}, []string{"Missing"}
	case StepLoadSeal:
		p.Title, p.Ask, p.Expect, p.Scan = "CLOSE "+l.LoadID, "Scan trailer seal", "seal, or no seal", ""
		p.Fields, p.Essential = []Field{door, missing}, []string{"Door", "Missing"}
		if l.Lead != "" {
			p.Fields = append(p.Fields, Field{Label: "Lead", Value: l.LeadName + ": " + l.Reason.Label()})
		}
	case StepDone:
		p.Title, p.Ask, p.Scan = "LOAD CLOSED", "Enter: next load", ""
		seal := l.Seal
		if seal == "" {
			seal = "none"
		}
		p.Fields = []Field{{Label: "Load", Value: l.LoadID}, {Label: "Seal", Value: seal},
			{Label: "Loaded", Value: strconv.Itoa(len(l.Loaded))}, {Label: "Short", Value: strconv.Itoa(l.Short)}}
		p.Essential = []string{"Load", "Short"}
	}
	return p
}
