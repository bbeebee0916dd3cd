package session

import (
	"context"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/puller"
)

// DockHub is what the dock's screens ask the hub: the dock list.
type DockHub interface {
	Dock(ctx context.Context) (api.DockResponse, error)
}

// DockCache is where the device keeps the dock list (puller.Cache).
type DockCache interface {
	FetchDock(ctx context.Context, src puller.DockSource) (api.DockResponse, error)
	CachedDock() (api.DockResponse, bool, error)
}

// DockEvents are the device's steps not yet delivered (the outbox).
type DockEvents interface {
	Pending(maxEvents, maxBytes int) ([]domain.Event, error)
}

// DockUpdates tells of a dock list fetched again after a load change on
// the hub's changes feed (puller.Puller).
type DockUpdates interface {
	OnDock(f func(at time.Time)) (unsubscribe func())
}

// DockStation makes the terminal a dock terminal: loaders stage cartons in
// lanes and load them onto trailers, checked against the dock list kept on
// the device (offline too).
type DockStation struct {
	Hub     DockHub
	Cache   DockCache
	Events  DockEvents  // the steps not yet delivered, laid over the list
	Updates DockUpdates // nil: the list is fetched only by the dock screens
	// Docs gives the bill of lading printed at the station's printer when a
	// load closed here reaches the hub (dock_bills.go); nil: none printed.
	Docs DockDocs
}

// dockFlow is a dock workflow's flow: it takes each new dock list.
type dockFlow interface {
	flow.Flow
	Refresh(d *flow.Dock, env flow.Env)
}

// dockList is the dock list kept on the device, with this device's dock
// steps not yet delivered laid over it; nil when the device holds none. It
// is built once, and again only after the list was fetched or this session
// queued a step (s.dock is cleared then), not at every scan: the list and
// the outbox are read and decoded whole. Called with the lock held.
func (s *Session) dockList() (*flow.Dock, error) {
	if s.dock != nil {
		return s.dock, nil
	}
	d, err := s.readDockList()
	if err == nil {
		s.dock = d
	}
	return d, err
}

// readDockList reads the dock list and the steps not yet delivered.
func (s *Session) readDockList() (*flow.Dock, error) {
	st := s.cfg.Dock
	resp, found, err := st.Cache.CachedDock()
	if err != nil || !found {
		return nil, err
	}
	loads := make([]flow.DockLoad, 0, len(resp.Loads))
	var cartons []flow.DockCarton
	for _, l := range resp.Loads {
		dl := flow.DockLoad{Load: l.Load}
		for _, c := range l.Planned {
			dl.Planned = append(dl.Planned, c.SSCC)
		}
		cartons = append(cartons, l.Planned...)
		loads = append(loads, dl)
	}
	cartons = append(cartons, resp.Cartons...)
	d := flow.NewDock(resp.At, loads, cartons)
	d.Lanes, d.Doors = resp.Lanes, resp.Doors
	if st.Events != nil {
		pending, err := st.Events.Pending(1<<20, 64<<20)
		if err != nil {
			return nil, err
		}
		if err := d.Overlay(pending); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// dockEnv is the flow environment for a dock step, with the list as kept now.
func (s *Session) dockEnv(f dockFlow, at time.Time) flow.Env {
	env := flow.Env{Rules: s.cfg.Rules, Now: at}
	d, err := s.dockList()
	if err != nil {
		s.cfg.Log.Error("dock list", "err", err)
	}
	env.Dock = d
	f.Refresh(d, env)
	return env
}

// fetchDock fetches the dock list in the background and then calls then
// with the lock held; offline, then runs on the list as kept (how old it is
// shows on screen). It reports nothing when the device has no list at all
// and the hub is unreachable: the caller says so.
func (s *Session) fetchDock(what string, then func(err error)) {
	st := s.cfg.Dock
	s.background(what, func(ctx context.Context) func() {
		_, err := st.Cache.FetchDock(ctx, st.Hub)
		if err != nil {
			s.cfg.Log.Info("dock list not fetched", "err", err)
		}
		return func() {
			if err == nil {
				s.dock = nil
			}
			then(err)
		}
	})
}

// dockFetchFailed says why a dock screen has no list to work from.
func (s *Session) dockFetchFailed(err error) {
	if s.notEnrolledErr(err) {
		return
	}
	if unreachable(err) {
		s.fail("OFFLINE", "This device holds no dock list yet and the hub is not reachable. Retry when online.")
		return
	}
	s.fail("HUB REFUSED", describe(err))
}

// watchDock redraws a dock screen whenever the puller fetched the list again.
func (s *Session) watchDock() {
	if s.cfg.Dock == nil || s.cfg.Dock.Updates == nil {
		return
	}
	s.unsub = append(s.unsub, s.cfg.Dock.Updates.OnDock(func(time.Time) {
		s.mu.Lock()
		s.dock = nil // fetched again
		if s.active != nil {
			if w, ok := s.active.w.(interface{ dockChanged() }); ok {
				w.dockChanged()
			}
		}
		s.mu.Unlock()
		s.changed()
	}))
}

// dockStep hands an input to a dock flow with the dock list as kept now. A
// carton the list does not hold is looked up at the hub first, when the hub
// is reachable: the list is fetched again, then step runs.
func (s *Session) dockStep(f dockFlow, in flow.Input, step func(env flow.Env) Result) Result {
	env := s.dockEnv(f, in.At)
	if f.Prompt().Problem == nil && s.sync.Status().Online && s.notOnList(env.Dock, in) {
		s.fetchDock("Looking the carton up", func(error) {
			step(s.dockEnv(f, in.At))
			if s.kick { // the step's events were queued after Handle returned
				s.kick = false
				go s.sync.Kick()
			}
		})
		return Result{}
	}
	return step(env)
}

// notOnList reports whether in is a carton's SSCC the dock list does not hold.
func (s *Session) notOnList(d *flow.Dock, in flow.Input) bool {
	sc, ok := scanOf(in)
	if !ok {
		return false
	}
	sscc, ok, err := barcode.SSCC(s.cfg.Rules.Classify(sc))
	if !ok || err != nil {
		return false
	}
	_, held := d.Carton(sscc)
	return !held
}

// openDock fetches the dock list as a dock screen opens, then shows it with
// show; offline it works from the list kept on the device.
func (s *Session) openDock(show func()) {
	s.fetchDock("Getting the dock list", func(err error) {
		if err != nil {
			if _, found, cerr := s.cfg.Dock.Cache.CachedDock(); cerr != nil || !found {
				s.dockFetchFailed(err)
				return
			}
		}
		show()
	})
}
