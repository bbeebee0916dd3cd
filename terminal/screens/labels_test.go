package screens

import (
	"fmt"
	"testing"
	"time"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/stretchr/testify/require"
)

// TestLabelsAndPrinterFault prints a tote label from the Labels menu, then
// watches a printer fault appear on screen with the next label kept, at both
// screen sizes.
func TestLabelsAndPrinterFault(t *testing.T) {
	for _, size := range []struct{ w, h int }{{20, 16}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			d := newDriver(t, size.w, size.h)
			d.typeLine("U1003")
			d.expect("MENU", "6 Labels")
			d.typeLine("6")
			d.expect("LABELS", "1 Tote/LPN label", "4 Print jobs")
			d.typeLine("1")
			d.expect("Scan or key tote/LPN")
			d.typeLine("T00042")
			d.expect("J000001", "queued")
			// The label reaches the printer before its paper runs out.
			require.True(t, waitFor(5*time.Second, func() bool { return len(d.printer.Formats()) == 1 }), "the tote label never printed")

			d.printer.SetFaults(fakeprinter.Faults{PaperOut: true})
			d.spool.RetryNow()
			d.expect("Printer: paper out")
			d.typeLine("2")
			d.typeLine("B-02-03")
			d.expect("Printer: paper out", "1 waiting")

			d.printer.SetFaults(fakeprinter.Faults{})
			d.spool.RetryNow()
			d.expect("LABELS")
			d.expectGone("Printer:")
		})
	}
}
