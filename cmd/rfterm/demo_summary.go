package main

import (
	"fmt"
	"io"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/demo"
)

// demoSummary prints what the hub holds after a demo: the tasks worked on and
// the backorders, so a newcomer sees the other end of what they did.
func demoSummary(h *demo.Hub, s stdio) error {
	tasks, err := h.Store().Tasks()
	if err != nil {
		return err
	}
	bos, err := h.Store().Backorders("")
	if err != nil {
		return err
	}
	ships, err := h.Store().Shipments()
	if err != nil {
		return err
	}
	writeSummary(s.out, tasks, bos, ships)
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
		fmt.Fprintf(w, "  shipment %s %s%s: %d carton(s)\n", sh.OrderID, sh.Status, partial, len(sh.Cartons))
		for _, c := range sh.Cartons {
			fmt.Fprintf(w, "    carton %d of %d  SSCC %s  %s  %d g\n", c.N, c.Of, c.SSCC, c.CartonType, c.WeightGrams)
		}
	}
}
