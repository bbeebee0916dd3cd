package session

import (
	"context"
	"errors"
	"fmt"
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
}

func packKey(userID string) string { return "pack/" + userID }

// startPack opens the pack station: the saved pack (loaded at login, or
// kept from earlier), or a new one waiting for a tote or order.
func (s *Session) startPack() {
	if s.pack == nil {
		var p flow.Pack
		if found, err := s.store.LoadWork(packKey(s.user.ID), &p); err == nil && found {
			s.pack = &p
		} else {
			cfg := s.cfg.Pack.Config
			cfg.Scale = s.cfg.Pack.Scale != nil
			s.pack = flow.NewPack(cfg, s.user.ID)
		}
	}
	s.mode = ModePack
	s.weighIfDue()
}

func (s *Session) handlePack(in flow.Input) Result {
	if in.Kind == flow.InAction && in.Action == ActMenu && s.pack.Problem == nil {
		s.mode = ModeMenu // saved after every step: it resumes from the menu
		return Result{}
	}
	return s.afterPack(s.pack.Handle(flow.Env{Rules: s.cfg.Rules, SSCCs: s.cfg.Pack.SSCCs}, in))
}

// afterPack does what a pack step asks of the session: save it with its
// events, then print, look an order up, or read the scale.
func (s *Session) afterPack(o flow.Outcome) Result {
	key := packKey(s.user.ID)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.pack = nil
		s.startPack()
		return Result{}
	}
	if r, ok := s.saveStep(key, s.pack, o, reloadWork(s, key, &s.pack)); !ok {
		return r
	}
	for _, job := range o.Print { // only once the carton is on disk
		s.printPackLabel(job)
	}
	if o.Lookup != nil {
		s.lookupPack(*o.Lookup)
	}
	s.weighIfDue()
	return Result{}
}

// lookupPack fetches the order for a tote or order number and starts packing it.
func (s *Session) lookupPack(l flow.PackLookup) {
	s.background("Finding the order", func(ctx context.Context) func() {
		resp, err := s.cfg.Pack.Hub.PackWork(ctx, l.Tote, l.OrderID)
		return func() {
			s.mode = ModePack
			if err != nil {
				s.pack.Looking = nil
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
			s.pack.Config.CartonTypes = resp.CartonTypes
			s.afterPack(s.pack.Start(flow.PackWork{Order: resp.Order, Tote: resp.Tote, Picked: resp.Picked, Items: resp.Items}, s.cfg.Now()))
		}
	})
}

// weighIfDue reads the scale in the background while a carton waits to be
// weighed, again and again until a stable weight comes or the step changes
// (the packer may key the weight meanwhile); why it has none shows on screen.
func (s *Session) weighIfDue() {
	if s.cfg.Pack.Scale == nil || s.pack == nil || s.pack.Step != flow.PackStepWeigh || s.weighing {
		return
	}
	s.weighing = true
	go func() {
		for {
			ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
			w, err := s.cfg.Pack.Scale.Weigh(ctx)
			cancel()
			s.mu.Lock()
			due := s.pack != nil && s.pack.Step == flow.PackStepWeigh && s.ctx.Err() == nil
			if err != nil {
				s.scaleNote = "Scale: " + err.Error()
			} else {
				s.scaleNote = fmt.Sprintf("Scale: %.3f kg", float64(w.Milligrams)/1e6)
			}
			if !due || err == nil {
				s.weighing = false
			}
			s.mu.Unlock()
			switch {
			case !due:
				s.changed()
				return
			case err == nil:
				s.Handle(flow.WeightInput(w, s.cfg.Now()))
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
func (s *Session) packPrompt() flow.Prompt {
	p := s.pack.Prompt()
	if s.scaleNote != "" && s.pack.Step == flow.PackStepWeigh {
		p.Fields = append(p.Fields, flow.Field{Label: "Scale", Value: s.scaleNote})
	}
	for _, l := range s.pack.Lines {
		v := fmt.Sprintf("%s %d/%d", l.SKU, l.Packed, l.Expected-l.Short)
		if l.Short > 0 {
			v += fmt.Sprintf(" (%d short)", l.Short)
		}
		p.Fields = append(p.Fields, flow.Field{Label: fmt.Sprintf("L%d", l.Line), Value: v})
	}
	if s.pack.Step == flow.PackStepOrder {
		switch {
		case s.pick != nil && s.pick.Step == flow.StepDone:
			p.Scan = s.pick.Tote // picked here, not yet acknowledged
		case s.lastTote != "":
			p.Scan = s.lastTote
		}
	}
	return p
}
