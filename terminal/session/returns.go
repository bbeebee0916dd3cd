package session

import (
	"context"
	"fmt"

	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl/label"
	"github.com/rfterm/rfterm/zpl/spool"
)

// ModeReturn is receiving returns' mode.
const ModeReturn Mode = "return"

// returnWork receives returns against the open RMAs, saved after every
// step; route labels print once the receipt is on disk.
type returnWork struct {
	base
	ret *flow.Return
}

func newReturnWork(b base) Workflow { return &returnWork{base: b} }

func (w *returnWork) restore() (bool, error) {
	var r flow.Return
	found, err := w.s.store.LoadWork(w.key(), &r)
	if err != nil || !found {
		return false, err
	}
	w.ret = &r
	return true, nil
}

func (w *returnWork) inHand() string {
	if w.ret == nil {
		return ""
	}
	return w.ret.RMA
}

func (w *returnWork) Prompt() flow.Prompt { return menuAction(w.ret.Prompt()) }

// Open resumes receiving, or fetches the open RMAs to receive against.
func (w *returnWork) Open() {
	if w.ret != nil {
		w.s.show(w)
		return
	}
	s, userID := w.s, w.user.ID
	s.background("Getting open returns", func(ctx context.Context) func() {
		resp, err := s.cfg.Inventory.Returns(ctx)
		if err != nil {
			return func() { s.hubFailed(err, "No returns open.", "Returns need the open RMAs from the hub.") }
		}
		r, err := flow.NewReturn(resp.RMAs, resp.Items, resp.Locations, userID)
		return func() {
			if err != nil {
				s.fail("NO RETURNS", err.Error())
				return
			}
			if err := s.commit(w.key(), r, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			w.ret = r
			s.show(w)
		}
	})
}

func (w *returnWork) Handle(in flow.Input) Result {
	s, key := w.s, w.key()
	o := w.ret.Handle(flow.Env{Rules: s.cfg.Rules}, in)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.notice = "Return received."
		w.ret = nil
		s.toMenu()
		return Result{}
	}
	if r, ok := s.saveStep(key, w.ret, o, reloadWork(s, key, &w.ret)); !ok {
		return r
	}
	for _, l := range o.Labels { // once the receipt is on disk
		w.printRouteLabel(l)
	}
	return Result{}
}

// printRouteLabel labels a returned unit that is not restocked, so it goes
// where its disposition says.
func (w *returnWork) printRouteLabel(l flow.RouteLabel) {
	s := w.s
	route := label.Route{RMA: l.RMA, OrderID: l.OrderID, SKU: l.SKU, Description: l.Description, Code: l.Code,
		Serial: l.Serial, Lot: l.Lot, Qty: l.Qty, Condition: l.Condition, Disposition: l.Disposition, Expected: l.Expected}
	name := fmt.Sprintf("%s label %s %s", l.Disposition, l.RMA, route.Barcode())
	if s.cfg.Printer == nil {
		s.fail("NO PRINTER", "Write on the unit: "+route.Text())
		return
	}
	data, err := route.Build(s.dpi())
	if err != nil {
		s.fail("LABEL NOT MADE", name+": "+err.Error())
		return
	}
	if _, err := s.cfg.Printer.Submit(spool.Request{Name: name, ZPL: data}); err != nil {
		s.fail("NOT QUEUED", name+": "+err.Error())
	}
}
