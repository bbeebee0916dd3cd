package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
)

// demoSummary prints what the hub holds after a demo: the tasks worked on,
// the backorders, the shipments, the counts and the returns, so a newcomer
// sees the other end of what they did.
func demoSummary(ctx context.Context, h *demo.Hub, s stdio) error {
	tasks, err := h.Store().Tasks(ctx)
	if err != nil {
		return err
	}
	bos, err := h.Store().Backorders(ctx, "")
	if err != nil {
		return err
	}
	ships, err := h.Store().Shipments(ctx)
	if err != nil {
		return err
	}
	counts, err := h.Store().CountTasks(ctx)
	if err != nil {
		return err
	}
	returns, err := h.Store().Receipts(ctx)
	if err != nil {
		return err
	}
	writeSummary(s.out, tasks, bos, ships)
	writeInventory(s.out, counts, returns)
	return nil
}

func writeSummary(w io.Writer, tasks []domain.Task, bos []domain.Backorder, ships []domain.Shipment) {
	fmt.Fprintln(w, "On the order hub:")
	worked := 0
	for _, t := range tasks {
		if t.Status == domain.TaskOpen {
			continue
		}
		worked++
		picked, short := 0, 0
		for _, l := range t.Lines {
			picked += l.Picked
			short += l.Short
		}
		fmt.Fprintf(w, "  task %-12s %-12s order %-9s tote %-7s picked %d, short %d\n", t.ID, t.Status, t.OrderID, t.Tote, picked, short)
	}
	if worked == 0 {
		fmt.Fprintln(w, "  no task started yet")
	}
	for _, b := range bos {
		fmt.Fprintf(w, "  backorder %s line %d: %d × %s (%s) by %s on %s\n", b.OrderID, b.Line, b.Qty, b.SKU, b.Reason.Label(), b.UserID, b.DeviceID)
	}
	for _, sh := range ships {
		partial := ""
		if sh.Partial {
			partial = " (partial, rest backordered)"
		}
		if sh.Status == domain.ShipmentHeld {
			partial = fmt.Sprintf(" (%s)", sh.HoldReason.Label())
		}
		fmt.Fprintf(w, "  shipment %s %s%s: %d carton(s)\n", sh.OrderID, sh.Status, partial, len(sh.Cartons))
		for i, c := range sh.Cartons {
			// Cartons are numbered "N of Of" only once the order is complete
			// and shipped; a held or open shipment's are counted as closed.
			n := fmt.Sprintf("carton %d of %d", c.N, c.Of)
			if c.Of == 0 {
				n = fmt.Sprintf("carton %d (closed)", i+1)
			}
			fmt.Fprintf(w, "    %-17s SSCC %s  %s  %d g\n", n, c.SSCC, c.CartonType, c.WeightGrams)
		}
	}
}

// writeInventory says what counting and returns left on the hub: the count
// tasks worked on (locations counted of those asked) and the returns
// received (units, credit).
func writeInventory(w io.Writer, counts []domain.CountTask, returns []api.ReturnReceipt) {
	for _, c := range counts {
		if c.Status == domain.TaskOpen {
			continue
		}
		kind := "count"
		if c.RecountOf != "" {
			kind = "recount"
		}
		fmt.Fprintf(w, "  %s %s %-11s by %s: %d of %d location(s) counted\n", kind, c.ID, c.Status, c.UserID, len(c.Counted), len(c.Locations))
	}
	for _, r := range returns {
		units := 0
		for _, u := range r.Units {
			units += u.Qty
		}
		fmt.Fprintf(w, "  return %s received by %s: %d unit(s), credit %d.%02d (%s)\n", r.RMA, r.UserID, units, r.CreditCents/100, r.CreditCents%100, r.Credit)
	}
}
