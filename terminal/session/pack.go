package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

// PackHub is what a pack station asks the hub: the order for a tote or an
// order number, with what picking confirmed.
type PackHub interface {
	PackWork(ctx context.Context, tote, orderID string) (api.PackWorkResponse, error)
}

// Scale reads the station's scale: a stable weight, waiting through
// unsteady readings until ctx ends.
type Scale interface {
	Weigh(ctx context.Context) (flow.Weighing, error)
}

// PackStation makes a session a pack station.
type PackStation struct {
	Hub      PackHub
	SSCCs    flow.SSCCAllocator // SSCCs reserved for this device
	Config   flow.PackConfig    // tolerance, fill factor; carton types come with each order
	Scale    Scale              // nil: the packer keys each carton's weight
	ShipFrom domain.Address     // the site, on the labels
	Carrier  string             // on the shipping label
	Service  string
	Incoterm string // on the commercial invoice of a parcel that crosses a border; default DAP
}

// ModePack is the pack station's mode.
const ModePack Mode = "pack"

// packWork is the pack station: the order being packed is saved after every
// step; labels print once their carton is on disk.
type packWork struct {
	base
	pack      *flow.Pack // the station's order, or one waiting for a tote; nil before the station opens
	weighing  bool       // a scale reading is under way
	scaleNote string     // the last scale reading or why there is none
}

func newPackWork(b base) Workflow { return &packWork{base: b} }

func (w *packWork) restore() (bool, error) {
	var p flow.Pack
	found, err := w.s.store.LoadWork(w.key(), &p)
	if err != nil || !found {
		return false, err
	}
	w.pack = &p
	return p.OrderID != "", nil // back at the station, mid-order
}

func (w *packWork) inHand() string {
	if w.pack == nil {
		return ""
	}
	return w.pack.OrderID
}

func (w *packWork) ref() (string, string, flow.Step) {
	if w.pack == nil {
		return "", "", ""
	}
	return "", w.pack.OrderID, flow.Step(w.pack.Step)
}

// Open opens the pack station: the saved pack, or a new one waiting for a
// tote or order.
func (w *packWork) Open() {
	if w.pack == nil {
		cfg := w.s.cfg.Pack.Config
		cfg.Scale = w.s.cfg.Pack.Scale != nil
		w.pack = flow.NewPack(cfg, w.user.ID)
	}
	w.s.show(w)
	w.weighIfDue()
}

func (w *packWork) Handle(in flow.Input) Result {
	return w.afterPack(w.pack.Handle(flow.Env{Rules: w.s.cfg.Rules, SSCCs: w.s.cfg.Pack.SSCCs}, in))
}

// afterPack does what a pack step asks of the session: save it with its
// events, then print, look an order up, or read the scale.
func (w *packWork) afterPack(o flow.Outcome) Result {
	s, key := w.s, w.key()
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		for _, job := range o.Print { // a hold prints the cartons it closed
			w.printPackLabel(job)
		}
		w.pack = nil
		w.Open()
		return Result{}
	}
	if r, ok := s.saveStep(key, w.pack, o, reloadWork(s, key, &w.pack)); !ok {
		return r
	}
	for _, job := range o.Print { // only once the carton is on disk
		w.printPackLabel(job)
	}
	w.invoiceIfDue()
	if o.Lookup != nil {
		w.lookupPack(*o.Lookup)
	}
	w.weighIfDue()
	return Result{}
}

// lookupPack fetches the order for a tote or order number and starts packing it.
func (w *packWork) lookupPack(l flow.PackLookup) {
	s := w.s
	s.background("Finding the order", func(ctx context.Context) func() {
		resp, err := s.cfg.Pack.Hub.PackWork(ctx, l.Tote, l.OrderID)
		return func() {
			if w.pack == nil {
				return
			}
			if err != nil {
				w.pack.Looking = nil
				s.cfg.Log.Info("pack lookup failed", "tote", l.Tote, "order", l.OrderID, "err", err)
				var apiErr *api.Error
				switch {
				case errors.As(err, &apiErr) && apiErr.Code == api.CodeNotFound:
					s.fail("NOTHING TO PACK", describe(err))
				case unreachable(err):
					s.fail("OFFLINE", "Packing needs the order from the hub. Retry when online.")
				default:
					s.fail("HUB REFUSED", describe(err))
				}
				return
			}
			w.pack.Config.CartonTypes = resp.CartonTypes
			s.packedTote(resp.Tote)
			w.afterPack(w.pack.Start(flow.PackWork{Order: resp.Order, Tote: resp.Tote, Picked: resp.Picked, Items: resp.Items, Held: resp.HeldCartons, Carrier: carrierName(resp.Carrier)}, s.cfg.Now()))
		}
	})
}

// weighIfDue reads the scale in the background while a carton waits to be
// weighed, again and again until a stable weight comes or the step changes
// (the packer may key the weight meanwhile); why it has none shows on screen.
func (w *packWork) weighIfDue() {
	s := w.s
	if s.cfg.Pack.Scale == nil || w.pack == nil || w.pack.Step != flow.PackStepWeigh || w.weighing {
		return
	}
	w.weighing = true
	go func() {
		for {
			ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
			reading, err := s.cfg.Pack.Scale.Weigh(ctx)
			cancel()
			s.mu.Lock()
			due := w.pack != nil && w.pack.Step == flow.PackStepWeigh && s.ctx.Err() == nil && s.active != nil && s.active.w == Workflow(w)
			if err != nil {
				w.scaleNote = "Scale: " + err.Error()
			} else {
				w.scaleNote = fmt.Sprintf("Scale: %.3f kg", float64(reading.Milligrams)/1e6)
			}
			if !due || err == nil {
				w.weighing = false
			}
			s.mu.Unlock()
			switch {
			case !due:
				s.changed()
				return
			case err == nil:
				s.Handle(flow.WeightInput(reading, s.cfg.Now()))
				return
			}
			s.cfg.Log.Info("scale", "err", err)
			s.changed()
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

// packPrompt is the pack station's screen: the flow's prompt, then every
// line with packed/expected counts (a station at 80×24 shows them all).
func (w *packWork) Prompt() flow.Prompt {
	p := menuAction(w.pack.Prompt())
	if w.scaleNote != "" && w.pack.Step == flow.PackStepWeigh {
		p.Fields = append(p.Fields, flow.Field{Label: "Scale", Value: w.scaleNote})
	}
	for _, l := range w.pack.Lines {
		v := fmt.Sprintf("%s %d/%d", l.SKU, l.Packed, l.Expected-l.Short)
		if l.Short > 0 {
			v += fmt.Sprintf(" (%d short)", l.Short)
		}
		p.Fields = append(p.Fields, flow.Field{Label: fmt.Sprintf("L%d", l.Line), Value: v})
	}
	if n := len(w.s.picked); w.pack.Step == flow.PackStepOrder && n > 0 {
		p.Scan = w.s.picked[n-1] // picked here last, not packed yet
	}
	return p
}

// maxPickedTotes bounds the totes the pack station's demo hint remembers.
const maxPickedTotes = 16

// pickedTote notes a tote picked here, newest last, for the pack station's
// demo hint. Called with the lock held.
func (s *Session) pickedTote(tote string) {
	if tote == "" {
		return
	}
	s.picked = append(slices.DeleteFunc(s.picked, func(t string) bool { return t == tote }), tote)
	if len(s.picked) > maxPickedTotes {
		s.picked = s.picked[len(s.picked)-maxPickedTotes:]
	}
}

// packedTote forgets a tote once a pack of it starts here. Called with the
// lock held.
func (s *Session) packedTote(tote string) {
	s.picked = slices.DeleteFunc(s.picked, func(t string) bool { return t == tote })
}

// carrierName is the name the labels give a carrier; "" for none.
func carrierName(k *domain.Carrier) string {
	if k == nil {
		return ""
	}
	return cmp.Or(k.Name, k.Code)
}
