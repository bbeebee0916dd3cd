package device

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// RecoveredNotice is what the login screen says about a damaged store that
// was replaced at start: what was recovered and what was lost, by sequence
// number, short enough for a 20×16 gun (the log has the full report,
// outbox.Recovery.String).
func RecoveredNotice(r outbox.Recovery) string {
	var b strings.Builder
	b.WriteString("Store damaged, replaced. ")
	switch {
	case r.Unsent < 0 || r.Unsent == 0 && !r.Complete:
		b.WriteString("Its queue was unreadable: steps since the last sync may be lost. Check your last task.")
		return b.String()
	case r.Unsent == 0:
		b.WriteString("It held no unsent steps: nothing lost.")
		return b.String()
	}
	fmt.Fprintf(&b, "Unsent seq %d-%d: %d recovered.", r.FirstSeq, r.LastSeq, r.Carried)
	if len(r.Lost) > 0 {
		seqs := make([]string, 0, len(r.Lost))
		for i, s := range r.Lost {
			if i == 4 {
				seqs = append(seqs, fmt.Sprintf("+%d more", len(r.Lost)-i))
				break
			}
			seqs = append(seqs, fmt.Sprint(s))
		}
		fmt.Fprintf(&b, " LOST: seq %s: redo them.", strings.Join(seqs, ", "))
	}
	if !r.Complete {
		b.WriteString(" Earlier ones may be lost.")
	}
	return b.String()
}
