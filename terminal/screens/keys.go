package screens

import (
	"fmt"
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
	Does    string    // what it does, for the README's key table
	Where   string    // where it is offered, for the README's key table
}

// KeyActions is the terminal's key table: one row per action. It drives
// dispatch, the hint bar, the help screen and the README's key table. Only
// the actions the current prompt offers are live and shown; two actions may
// share a key only if no prompt ever offers both (a test checks it).
func KeyActions() []KeyAction {
	return []KeyAction{
		{Action: flow.ActAck, Key: tcell.KeyEscape, Label: "OK", Does: "acknowledge an error (Enter on an empty line does too)", Where: "any error"},
		{Action: flow.ActShort, Key: tcell.KeyF4, Command: "S", Label: "Short", Does: "short the line", Where: "location, item, quantity steps"},
		{Action: flow.ActSkip, Key: tcell.KeyF5, Command: "K", Label: "Skip", Does: "skip the line", Where: "before the first unit, when another line is open"},
		{Action: flow.ActBack, Key: tcell.KeyEscape, Command: "B", Label: "Back", Does: "back", Where: "short reason, lot/serial, lists and lead screens"},
		{Action: flow.ActClose, Key: tcell.KeyF6, Command: "C", Label: "Close", Does: "close the carton", Where: "packing"},
		{Action: flow.ActUnpack, Key: tcell.KeyF7, Command: "U", Label: "Unpack", Does: "unpack a closed carton", Where: "packing, before ship confirm"},
		{Action: flow.ActReprint, Key: tcell.KeyF3, Command: "R", Label: "Reprint", Does: "reprint a carton's labels", Where: "packing, once the order is complete"},
		{Action: flow.ActTakeOut, Key: tcell.KeyF12, Command: "T", Label: "Take out", Does: "take a unit out of the open carton", Where: "packing, with units in the open carton"},
		// Counts and returns: never live with the pack station's keys, so they share F-keys.
		{Action: flow.ActSubmit, Key: tcell.KeyF6, Command: "D", Label: "Done", Does: "location or return done", Where: "counting, returns"},
		{Action: flow.ActEmpty, Key: tcell.KeyF7, Command: "E", Label: "Empty", Does: "location empty (then Enter to confirm)", Where: "counting"},
		{Action: flow.ActUndo, Key: tcell.KeyF3, Command: "Z", Label: "Undo", Does: "undo the last scan", Where: "counting"},
		// Loading: never live with packing's, counting's or picking's keys.
		{Action: flow.ActMissing, Key: tcell.KeyF3, Command: "L", Label: "Missing", Does: "list the cartons and orders still missing", Where: "loading"},
		{Action: flow.ActNoSeal, Key: tcell.KeyF4, Command: "N", Label: "No seal", Does: "close the load without a seal", Where: "closing a load"},
		{Action: session.ActMenu, Key: tcell.KeyF2, Command: "M", Label: "Menu", Does: "menu (the work stays saved)", Where: "picking, packing, counting, returns"},
		{Action: session.ActLogout, Key: tcell.KeyF10, Command: "X", Label: "Logout", Does: "log out", Where: "menu"},
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

// conflicts lists the keys and commands that two live actions share: a
// prompt must never offer both.
func conflicts(live []KeyAction) []string {
	var out []string
	for i, a := range live {
		for _, b := range live[i+1:] {
			if a.Action == b.Action {
				continue
			}
			if a.Key != tcell.KeyNUL && a.Key == b.Key {
				out = append(out, fmt.Sprintf("%s: %s and %s", tcell.KeyNames[a.Key], a.Action, b.Action))
			}
			if a.Command != "" && strings.EqualFold(a.Command, b.Command) {
				out = append(out, fmt.Sprintf("%s: %s and %s", a.Command, a.Action, b.Action))
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
// controls, the keys that always work, and the menu's workflows, short
// enough for 20 columns.
func helpText(live []KeyAction, controls []Control, menu []session.MenuRow) string {
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
	lines = append(lines, "F1/? Help", "↓↑ PgDn/PgUp More", "Ctrl+C Quit", "Ctrl+L Redraw", "", "A letter: type it,", "then Enter.", "Any key: back")
	if len(menu) > 0 {
		lines = append(lines, "", "MENU")
		for _, m := range menu {
			lines = append(lines, m.Key+" "+m.Label+": "+m.Help)
		}
	}
	return strings.Join(lines, "\n")
}

// KeyTableMarkdown is the README's key table, made from the key table.
func KeyTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| action | key | plain | where |\n| --- | --- | --- | --- |\n")
	for _, ka := range KeyActions() {
		plain := ""
		if ka.Command != "" {
			plain = "`" + ka.Command + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", ka.Does, tcell.KeyNames[ka.Key], plain, ka.Where)
	}
	b.WriteString("| more of a long menu or list (the hint bar says ↓More) | Down/PgDn, Up/PgUp | | anywhere |\n")
	b.WriteString("| help | F1 | `?` | anywhere |\n| redraw the whole screen | Ctrl+L | | anywhere |\n| quit | Ctrl+C | | anywhere |\n")
	return b.String()
}
