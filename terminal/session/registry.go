package session

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
)

// Row is one line of the workflow registry. The registry drives the menu,
// dispatch, resume at login, logout and the help: a new workflow is one
// workflow file and one row.
type Row struct {
	Key     string               // the menu key
	Mode    Mode                 // the workflow's name: the view's Mode while it is on screen
	Label   string               // the menu line, e.g. "Pick"
	Help    string               // what it is for, for the help screen and the README
	Role    domain.Role          // only users of this role may use it; "" for everyone
	Offered func(c *Config) bool // whether this terminal offers it; nil: every terminal
	Where   string               // which terminals offer it, in words, for the README; "" for every terminal
	WorkKey string               // what its saved work is keyed under on the device (with the user's id); "" when it saves none
	Resume  Resume               // what login does with saved work
	start   func(b base) Workflow
}

// KeyLogout is the menu key that logs out.
const KeyLogout = "0"

// Rows is the workflow registry, in menu order.
func Rows() []Row {
	pack := func(c *Config) bool { return c.Pack != nil }
	inventory := func(c *Config) bool { return c.Inventory != nil }
	lead := func(c *Config) bool { return c.Lead != nil }
	dock := func(c *Config) bool { return c.Dock != nil }
	return []Row{
		{Key: "1", Mode: ModePick, Label: "Pick", Help: "Pick the next order into a tote", WorkKey: "pick", Resume: ResumeAtLogin, start: newPickWork},
		{Key: "2", Mode: ModeCluster, Label: "Cluster pick", Help: "Pick several small orders at once, one tote each", Offered: clusterOffered, Where: "with cluster picking configured", WorkKey: "cluster", Resume: ResumeAtLogin, start: newClusterWork},
		{Key: "3", Mode: ModePack, Label: "Pack", Help: "Pack a picked tote or order into cartons", Offered: pack, Where: "pack stations", WorkKey: "pack", Resume: ResumeAtLogin, start: newPackWork},
		{Key: "4", Mode: ModeCount, Label: "Count", Help: "Blind-count a location", Offered: inventory, Where: "with inventory configured", WorkKey: "count", Resume: ResumeAtLogin, start: newCountWork},
		{Key: "5", Mode: ModeReturn, Label: "Returns", Help: "Receive returns against an RMA", Offered: inventory, Where: "with inventory configured", WorkKey: "return", Resume: ResumeMenu, start: newReturnWork},
		{Key: "6", Mode: ModeLabels, Label: "Labels", Help: "Print tote and bin labels; reprint; print jobs", Offered: func(c *Config) bool { return c.Printer != nil }, Where: "with a printer", start: newLabelsWork},
		{Key: "7", Mode: ModeAttention, Label: "Attention", Help: "Steps the hub refused, with what to do", start: newAttentionWork},
		{Key: "8", Mode: ModeApprovals, Label: "Approvals", Help: "Approve or reject stock adjustments", Role: domain.RoleLead, Offered: lead, Where: "with lead screens", start: newApprovalsWork},
		{Key: "9", Mode: ModeKPIs, Label: "Count figures", Help: "Inventory accuracy, recounts; make a count task", Role: domain.RoleLead, Offered: lead, Where: "with lead screens", start: newKPIsWork},
		{Key: "10", Mode: ModeStage, Label: "Stage", Help: "Put shipped cartons in their load's staging lane", Offered: dock, Where: "dock terminals", WorkKey: "stage", Resume: ResumeAtLogin, start: newStageWork},
		{Key: "11", Mode: ModeLoad, Label: "Load", Help: "Load cartons onto a trailer by SSCC; close the load", Offered: dock, Where: "dock terminals", WorkKey: "load", Resume: ResumeAtLogin, start: newLoadWork},
	}
}

// entry is a registry row made for the logged-in user, with its workflow.
type entry struct {
	row *Row
	w   Workflow
}

// offered reports whether the row is on this terminal's menu for u.
func (r *Row) offered(c *Config, u domain.User) bool {
	return (r.Offered == nil || r.Offered(c)) && (r.Role == "" || r.Role == u.Role)
}

// menuLine is the row's line on the menu: its label, the work in hand, or
// how many items wait.
func (e entry) menuLine() string {
	line := e.row.Key + " " + e.row.Label
	if sv, ok := e.w.(saved); ok {
		if work := sv.inHand(); work != "" {
			line += " " + work
		}
	}
	if c, ok := e.w.(counter); ok {
		if n := c.waiting(); n > 0 {
			line += fmt.Sprintf(" (%d)", n)
		}
	}
	return line
}

// MenuRow is a workflow on the user's menu, for the help screen.
type MenuRow struct {
	Key, Label, Help string
}

// Menu is what the user's menu offers, for the help screen.
func (s *Session) Menu() []MenuRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []MenuRow
	for _, e := range s.works {
		out = append(out, MenuRow{Key: e.row.Key, Label: e.row.Label, Help: e.row.Help})
	}
	if s.user != nil {
		out = append(out, MenuRow{Key: KeyLogout, Label: "Log out", Help: "the work stays saved"})
	}
	return out
}

// MenuTableMarkdown is the README's menu table, made from the registry.
func MenuTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| key | menu | what for | who | where offered | saved work |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range Rows() {
		who := "everyone"
		if r.Role != "" {
			who = string(r.Role) + "s"
		}
		where := r.Where
		if where == "" {
			where = "every terminal"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.Key, r.Label, r.Help, who, where, r.Resume)
	}
	fmt.Fprintf(&b, "| %s | Log out | the work stays saved | everyone | every terminal | |\n", KeyLogout)
	return b.String()
}

// String says what login does with saved work, for the README.
func (r Resume) String() string {
	switch r {
	case ResumeMenu:
		return "resumed from the menu"
	case ResumeAtLogin:
		return "resumed at login"
	}
	return ""
}

// counter is a workflow whose menu line shows how many items wait in it.
type counter interface{ waiting() int }
