package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/puller"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/spool"
)

// Hub is what a session asks of the order hub directly (events go through the outbox).
type Hub interface {
	Login(ctx context.Context, badge string) (domain.User, error)
	ClaimTask(ctx context.Context, userID string) (api.ClaimResponse, error)
}

// Store is the durable state a session needs.
type Store interface {
	Commit(workKey string, state any, drafts []domain.Draft) ([]domain.Event, error)
	LoadWork(workKey string, v any) (bool, error)
	RememberUser(u domain.User) error
	UserByBadge(badge string) (domain.User, bool, error)
	Attention() ([]outbox.Rejected, error)
	AttentionFor(userID string) ([]outbox.Rejected, error)
	Dismiss(seq uint64) error
	TaskNotice(taskID string) (puller.Notice, bool, error)
	DismissNotice(taskID string) error
}

// Sync is the event sender, seen from a session.
type Sync interface {
	Kick()
	Status() sender.SyncStatus
	OnChange(f func()) (unsubscribe func()) // f is called whenever Status changes
}

// Notices is the hub's change feed, seen from a session: it tells of tasks
// the hub took away (order cancelled, task reassigned).
type Notices interface {
	OnNotice(f func(puller.Notice)) (unsubscribe func())
}

// Config is what a session is made with.
type Config struct {
	Rules         *barcode.Rules
	Demo          bool             // show the barcode to scan on a hint line
	DemoBadge     string           // the badge the login hint offers in demo mode
	DemoLocation  string           // the location the lead's "count a location" hint offers
	DemoPIN       string           // the PIN the lead's PIN prompt offers in demo mode (the demo's PINs are public)
	DemoLeadBadge string           // the lead's badge a short close offers in demo mode
	Now           func() time.Time // default time.Now
	Log           *slog.Logger
	Timeout       time.Duration // for hub calls (default 5s)
	// Name names this terminal to other sessions of the process (a gun's
	// device id when hosted); default "another terminal".
	Name string
	// Notices tells the session of work the hub took away; nil: none.
	Notices Notices
	// Leases holds each user's work for one session at a time; sessions of
	// one process share it. nil: a lease table of this session's own.
	Leases *Leases
	// Inventory makes cycle counts and returns available; nil when not.
	Inventory InventoryHub
	// Lead gives leads their screens (approvals, count figures), each opened
	// after the lead's PIN; nil when not. LeadClient makes one of api.Client.
	Lead LeadHub
	// Cluster makes cluster picking available; nil when not.
	Cluster ClusterHub
	// Pack makes the terminal a pack station too; nil when it is not.
	Pack *PackStation
	// Dock makes the terminal a dock terminal (stage, load); nil when not.
	Dock *DockStation
	// Printer is the station's print spool; nil when the station has none.
	Printer    Printer
	PrinterDPI zpl.DPI // the printer's resolution (default 203)
	// PlainHTTP says the hub is reached over plain HTTP off loopback
	// (hub_plain_http): the status line shows it.
	PlainHTTP bool
	// Recovered, when the device store was found damaged at start and
	// replaced, says what was recovered and what was lost
	// (outbox.Recovery.String): the login screen shows it until
	// acknowledged.
	Recovered string
}

// Mode is what the session is doing: logging in, the menu, waiting on the
// hub, or the Mode of the registry row on screen.
type Mode string

// Modes of the session itself; each workflow's row names its own.
const (
	ModeLogin Mode = "login"
	ModeMenu  Mode = "menu"
	ModeBusy  Mode = "busy" // waiting on the hub
)

// Session actions beyond the workflow's own.
const (
	ActMenu   flow.Action = "menu"   // leave the task (it stays saved) for the menu
	ActLogout flow.Action = "logout" // log out
)

// Actions lists the actions the session itself offers, beside the flows'.
func Actions() []flow.Action { return []flow.Action{ActMenu, ActLogout} }

// Session is one terminal session. Its methods are safe for concurrent use.
type Session struct {
	cfg    Config
	hub    Hub
	store  Store
	sync   Sync
	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	rows   []Row

	mu          sync.Mutex
	busy        string // what the session waits on the hub for; "" when it does not
	user        *domain.User
	offline     bool      // the user logged in from the device's cache
	works       []entry   // the registry's rows offered to the user, each with its workflow
	active      *entry    // the workflow on screen; nil: the menu
	pinFor      *pinAsk   // the lead's PIN asked for, on screen; nil: none
	lead        *leadPass // the user's lead session; nil: none
	notEnrolled bool      // the hub answered that it does not know this device
	problem     *flow.Problem
	notice      string     // a line of information on the menu
	scanner     string     // the scanner's state, "" when fine
	alarms      int        // problems raised and inputs refused so far: the screen sounds the error tone when it grows
	handled     int        // inputs taken so far
	kick        bool       // events were queued: wake the sender once the lock is released
	attnSeen    int        // refusals already announced
	picked      []string   // totes picked here and not packed here yet, newest last: the pack station's demo hint
	dock        *flow.Dock // the dock list with this device's steps laid over it, as last built; nil: build it again
	closed      bool
	onView      func()
	unsub       []func() // the listeners to remove at Close
}

// New makes a session waiting for a badge. ctx bounds its background work;
// Close ends it sooner.
func New(ctx context.Context, cfg Config, hub Hub, store Store, sync Sync) *Session {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Name == "" {
		cfg.Name = "another terminal"
	}
	if cfg.Leases == nil {
		cfg.Leases = NewLeases()
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Session{cfg: cfg, hub: hub, store: store, sync: sync, ctx: ctx, cancel: cancel, rows: Rows()}
	if cfg.Recovered != "" {
		// The first screen says what the damaged store gave back and what
		// it lost, until acknowledged.
		s.problem = &flow.Problem{Title: "STORE RECOVERED", Detail: cfg.Recovered}
	}
	s.unsub = append(s.unsub, sync.OnChange(s.syncChanged))
	if cfg.Notices != nil {
		s.unsub = append(s.unsub, cfg.Notices.OnNotice(s.HandleNotice))
	}
	if cfg.Printer != nil {
		go s.watchPrinter(ctx)
	}
	s.watchDock()
	return s
}

// Close ends the session: its background work stops, its user's work lease
// is released (the work stays saved) and it calls no listener again.
func (s *Session) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	if s.user != nil {
		s.cfg.Leases.release(s.user.ID, s)
	}
	s.onView = nil
	unsub := s.unsub
	s.unsub = nil
	s.mu.Unlock()
	for _, f := range unsub {
		f()
	}
	s.cancel()
}

// watchPrinter redraws whenever the print spool's status changes, and
// sounds the error tone when the printer goes into a fault.
func (s *Session) watchPrinter(ctx context.Context) {
	fault := false
	for {
		changed := s.cfg.Printer.Changed()
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
		now := s.cfg.Printer.Status().State == spool.PrinterFault
		if now && !fault {
			s.mu.Lock()
			s.alarms++
			s.mu.Unlock()
		}
		fault = now
		s.changed()
	}
}

// OnView registers f, called whenever the view may have changed. f must not
// block; it is called from the caller's goroutine or a background one.
func (s *Session) OnView(f func()) {
	s.mu.Lock()
	s.onView = f
	s.mu.Unlock()
}

func (s *Session) changed() {
	s.mu.Lock()
	f := s.onView
	s.mu.Unlock()
	if f != nil {
		f()
	}
}

// Result tells the caller what became of an input.
type Result struct {
	Refused bool // refused: a problem is waiting for acknowledgement, or the session is busy
}

// Handle takes one input from the worker.
func (s *Session) Handle(in flow.Input) Result {
	if in.At.IsZero() {
		in.At = s.cfg.Now()
	}
	s.cfg.Log.Debug("input", "kind", in.Kind, "source", in.Scan.Source, "action", in.Action)
	s.mu.Lock()
	r := s.handle(in)
	s.handled++
	kick := s.kick
	s.kick = false
	s.mu.Unlock()
	if kick {
		s.sync.Kick() // outside the lock: the sender calls back into the session
	}
	s.changed()
	return r
}

func (s *Session) handle(in flow.Input) Result {
	if s.problem != nil {
		if in.Kind == flow.InAction && (in.Action == flow.ActAck || in.Action == flow.ActBack) || in.Kind == flow.InText && in.Text == "" {
			s.problem = nil
			return Result{}
		}
		s.alarms++
		return Result{Refused: true}
	}
	switch {
	case s.closed:
		return Result{Refused: true}
	case s.busy != "":
		s.alarms++
		return Result{Refused: true}
	case s.user == nil:
		return s.handleLogin(in)
	case s.pinFor != nil:
		return s.handlePIN(in)
	case s.active == nil:
		return s.handleMenu(in)
	}
	if in.Kind == flow.InAction && in.Action == ActMenu && s.active.w.Prompt().Problem == nil {
		s.toMenu() // saved after every step: it resumes from the menu
		return Result{}
	}
	return s.active.w.Handle(in)
}

// toMenu leaves the workflow on screen for the menu.
func (s *Session) toMenu() { s.active = nil }

// show puts a workflow of the user's on screen.
func (s *Session) show(w Workflow) {
	for i := range s.works {
		if s.works[i].w == w {
			s.active = &s.works[i]
			return
		}
	}
}

// fail puts a session-level problem on screen.
func (s *Session) fail(title, detail string) Result {
	s.problem = &flow.Problem{Title: title, Detail: detail}
	s.alarms++
	return Result{}
}

// background runs f off the caller's goroutine while the session shows busy.
// f runs with the lock released and returns a function to apply under the
// lock; nothing is applied once the session is closed or its user has left.
func (s *Session) background(what string, f func(ctx context.Context) func()) {
	s.busy = what
	user := s.user
	go func() {
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
		apply := f(ctx)
		cancel()
		s.mu.Lock()
		s.busy = ""
		if !s.closed && s.user == user {
			apply()
		}
		s.mu.Unlock()
		s.changed()
	}()
}

// commit saves a workflow's state with its events in one transaction, as
// long as this session holds the user's work (another terminal may have
// taken it over).
func (s *Session) commit(key string, state any, drafts []domain.Draft) error {
	if len(drafts) > 0 {
		s.dock = nil // a dock step goes over the list
	}
	return s.cfg.Leases.do(s.user.ID, s, func() error {
		_, err := s.store.Commit(key, state, drafts)
		return err
	})
}

// commitHeld saves like commit, for code that runs while this session takes
// the user's lease (restoring work at login): the lease's lock is held.
func (s *Session) commitHeld(key string, state any, drafts []domain.Draft) error {
	if len(drafts) > 0 {
		s.dock = nil
	}
	_, err := s.store.Commit(key, state, drafts)
	return err
}

// unreachable reports whether err means the hub could not be asked (rather than a refusal).
func unreachable(err error) bool {
	var apiErr *api.Error
	return !errors.As(err, &apiErr) || api.Retryable(err)
}

func describe(err error) string {
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return fmt.Sprint(err)
}

// notEnrolledErr handles an answer saying the hub does not know this
// device, and reports whether err was that. Called with the lock held.
func (s *Session) notEnrolledErr(err error) bool {
	if !errors.Is(err, api.ErrNotEnrolled) {
		return false
	}
	s.notEnrolledFailure()
	return true
}

// notEnrolledFailure says the hub does not know this device: no work and
// no retry helps until it is enrolled again. Called with the lock held.
func (s *Session) notEnrolledFailure() {
	s.notEnrolled = true
	s.fail("DEVICE NOT ENROLLED", "The hub no longer knows this terminal (revoked, or its id enrolled on another one). Ask the lead to enrol it again.")
}
