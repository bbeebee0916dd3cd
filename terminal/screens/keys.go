package screens

import (
	"strings"

	"github.com/gdamore/tcell/v2"

	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
)

// KeyAction binds an action to a function key and to a plain-key alternative:
// a one-letter command typed and ended with Enter, for guns without F-keys.
type KeyAction struct {
	Action  flow.Action
	Key     tcell.Key // function key, or tcell.KeyNUL for none
	Command string    // plain-key alternative, or "" for none
	Label   string    // what the hint bar says
}

// keyActions is the terminal's key table. Only the actions the current
// prompt offers are live and shown; a key bound twice acts for the one live.
func keyActions() []KeyAction {
	return []KeyAction{
		{Action: flow.ActAck, Key: tcell.KeyEnter, Label: "OK"},
		{Action: flow.ActShort, Key: tcell.KeyF4, Command: "S", Label: "Short"},
		{Action: flow.ActSkip, Key: tcell.KeyF5, Command: "K", Label: "Skip"},
		{Action: flow.ActBack, Key: tcell.KeyEscape, Command: "B", Label: "Back"},
		{Action: flow.ActClose, Key: tcell.KeyF6, Command: "C", Label: "Close"},
		{Action: flow.ActUnpack, Key: tcell.KeyF7, Command: "U", Label: "Unpack"},
		{Action: flow.ActReprint, Key: tcell.KeyF3, Command: "R", Label: "Reprint"},
		// Counts and returns: never live with the pack station's keys, so they share F-keys.
		{Action: flow.ActSubmit, Key: tcell.KeyF6, Command: "D", Label: "Done"},
		{Action: flow.ActEmpty, Key: tcell.KeyF7, Command: "E", Label: "Empty"},
		{Action: flow.ActUndo, Key: tcell.KeyF3, Command: "Z", Label: "Undo"},
		{Action: session.ActMenu, Key: tcell.KeyF2, Command: "M", Label: "Menu"},
		{Action: session.ActLogout, Key: tcell.KeyF10, Command: "X", Label: "Logout"},
	}
}

// live returns the table entries for the actions on offer, in table order.
func live(table []KeyAction, offered []flow.Action) []KeyAction {
	var out []KeyAction
	for _, ka := range table {
		for _, a := range offered {
			if ka.Action == a {
				out = append(out, ka)
			}
		}
	}
	return out
}

// byKey finds the live action bound to a function key.
func byKey(live []KeyAction, k tcell.Key) (flow.Action, bool) {
	for _, ka := range live {
		if ka.Key == k && k != tcell.KeyEnter {
			return ka.Action, true
		}
	}
	return "", false
}

// byCommand finds the live action whose plain-key command was typed.
func byCommand(live []KeyAction, text string) (flow.Action, bool) {
	for _, ka := range live {
		if ka.Command != "" && strings.EqualFold(ka.Command, strings.TrimSpace(text)) {
			return ka.Action, true
		}
	}
	return "", false
}

// hintText is the hint bar: "S Short  K Skip", or "Enter OK" for the acknowledgement.
func hintText(live []KeyAction) string {
	var parts []string
	for _, ka := range live {
		switch {
		case ka.Action == flow.ActAck:
			parts = append(parts, "Enter "+ka.Label)
		case ka.Command != "":
			parts = append(parts, ka.Command+" "+ka.Label)
		default:
			parts = append(parts, tcell.KeyNames[ka.Key]+" "+ka.Label)
		}
	}
	return strings.Join(parts, " ")
}

// helpText is the help screen: the keys live now, the program's own
// controls, and the keys that always work, short enough for 20 columns.
func helpText(live []KeyAction, controls []Control) string {
	lines := []string{"KEYS NOW"}
	for _, ka := range live {
		keys := tcell.KeyNames[ka.Key]
		if ka.Command != "" {
			keys += "/" + ka.Command
		}
		lines = append(lines, keys+" "+ka.Label)
	}
	for _, c := range controls {
		lines = append(lines, tcell.KeyNames[c.Key]+"/"+c.Command+" "+c.Label)
	}
	lines = append(lines, "F1/? Help", "Ctrl+C Quit", "", "A letter: type it,", "then Enter.", "Any key: back")
	return strings.Join(lines, "\n")
}
