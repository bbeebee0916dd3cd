package screens

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl/decode"
)

// TestPackTwoCartons packs an order picked earlier (two serial-tracked
// items) into two cartons with one line short, at both screen sizes: a
// weight out of tolerance goes to audit and is weighed again, three labels
// per carton reach the printer, and the hub holds the shipment once.
func TestPackTwoCartons(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {20, 16}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) { packTwoCartons(t, size.w, size.h) })
	}
}

func packTwoCartons(t *testing.T, w, h int) {
	const order = "SO-10006" // EX-1025 ×2, LT-0900 ×3 (serial), CB-2500 ×5, DR-5521 ×1 (serial)
	d := newDriver(t, w, h)
	_, err := d.hub.Store().SetOrderPriority(t.Context(), order, 0) // picked first
	require.NoError(t, err)

	// Pick it (the pick screens are tested elsewhere): follow the hints.
	d.typeLine("U1001")
	d.typeLine("1")
	require.Equal(t, order, d.sess.View().OrderID)
	for i := 0; i < 40 && d.sess.View().Step != flow.StepDone; i++ {
		d.typeLine(d.sess.View().Prompt.Scan)
	}
	require.Equal(t, flow.StepDone, d.sess.View().Step)
	tote := d.sess.View().Prompt.Expect
	// The station finds what was picked at the hub: the picks must be there.
	require.True(t, waitFor(10*time.Second, func() bool { return d.sess.View().Status.Queued == 0 }), "the picks never reached the hub")
	d.typeLine("M")
	d.expect("3 Pack")
	d.typeLine("3")
	d.expect("PACK", "Scan tote or order", "Try "+tote)
	d.typeLine(tote)
	d.expect("PACK "+order, "0 of 11")

	// Carton 1: six units, the suggested carton, a wrong weight, then the right one.
	for i := 0; i < 6; i++ {
		d.typeLine(d.sess.View().Prompt.Scan)
	}
	d.expect("6 units")
	d.typeLine("C")
	d.expect("Enter or scan carton")
	d.typeLine("")
	d.expect("Key weight")
	expected := packExpected(t, d)
	d.typeLine(fmt.Sprintf("%d g", expected*2))
	d.expect("WEIGHT OUT OF", "Enter to acknowledge")
	d.typeLine("")
	d.expect("Audit hold", "2 Weigh again")
	d.typeLine("2")
	d.expect("Key weight")
	d.typeLine(fmt.Sprintf("%d g", expected))
	d.expect("PACK "+order+" C2", "6 of 11")

	// Carton 2: all but the last line, which is missing from the tote.
	for i := 0; i < 10 && d.sess.View().Prompt.Ask == "Scan item" && remainingLines(d) > 1; i++ {
		d.typeLine(d.sess.View().Prompt.Scan)
	}
	d.typeLine("S")
	d.expect("Which item missing?", "1 DR-5521")
	d.typeLine("1")
	d.typeLine("C")
	d.typeLine("")
	d.typeLine(fmt.Sprintf("%d g", packExpected(t, d)))
	d.expect("PACKED "+order, "Cartons", "backorder", "Enter: ship it")
	d.typeLine("")
	d.expect("DONE " + order)

	// Three labels per carton, read back from the fake printer.
	require.True(t, waitFor(10*time.Second, func() bool { return len(d.printer.Formats()) >= 6 }), "six labels printed")
	var ssccs []string
	texts := ""
	for _, f := range d.printer.Formats() {
		doc, err := decode.Parse(f.ZPL)
		require.NoError(t, err)
		for _, format := range doc.Formats {
			for _, fl := range format.Fields {
				texts += fl.Data + "\n"
				if fl.Kind == decode.GS1128 && strings.HasPrefix(fl.Data, "00") {
					ssccs = append(ssccs, fl.Data[2:])
				}
			}
		}
	}
	require.Len(t, ssccs, 2, "one SSCC barcode per carton")
	assert.NotEqual(t, ssccs[0], ssccs[1], "SSCCs are unique")
	for _, s := range ssccs {
		assert.Len(t, s, 18)
		assert.True(t, barcode.ValidCheckDigit(s), s)
	}
	shipTo := orderOf(t, d, order).ShipTo.Name
	assert.Contains(t, texts, shipTo)
	assert.Regexp(t, regexp.MustCompile(`(?i)carton\s*1\s*of\s*2`), texts)
	assert.Regexp(t, regexp.MustCompile(`(?i)carton\s*2\s*of\s*2`), texts)

	// The hub holds the shipment once, partial, with both cartons.
	require.True(t, waitFor(10*time.Second, func() bool {
		sh, err := d.hub.Store().Shipment(t.Context(), order)
		return err == nil && sh.Status == domain.ShipmentShipped
	}), "the shipment reached the hub")
	sh, err := d.hub.Store().Shipment(t.Context(), order)
	require.NoError(t, err)
	require.Len(t, sh.Cartons, 2)
	assert.True(t, sh.Partial)
	assert.ElementsMatch(t, ssccs, []string{sh.Cartons[0].SSCC, sh.Cartons[1].SSCC})
	all, err := d.hub.Store().Shipments(t.Context())
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

// packExpected reads the expected carton weight off the weigh prompt.
func packExpected(t *testing.T, d *driver) int {
	for _, f := range d.sess.View().Prompt.Fields {
		if f.Label == "Expect" {
			var g int
			_, err := fmt.Sscanf(f.Value, "%d g", &g)
			require.NoError(t, err)
			return g
		}
	}
	t.Fatalf("no expected weight on %+v", d.sess.View().Prompt)
	return 0
}

// remainingLines counts the order lines with units still to pack.
func remainingLines(d *driver) int {
	n := 0
	for _, f := range d.sess.View().Prompt.Fields {
		var sku string
		var packed, expected int
		if strings.HasPrefix(f.Label, "L") {
			if _, err := fmt.Sscanf(f.Value, "%s %d/%d", &sku, &packed, &expected); err == nil && packed < expected {
				n++
			}
		}
	}
	return n
}

func orderOf(t *testing.T, d *driver, id string) domain.Order {
	o, err := d.hub.Store().Order(t.Context(), id)
	require.NoError(t, err)
	return o
}
