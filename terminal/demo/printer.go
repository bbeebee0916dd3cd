package demo

import (
	"context"
	"log/slog"
	"sync"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

// Printer is the demo's fake Zebra printer on a loopback port: every label it
// receives is saved as a .zpl file, and NextFault switches it through the
// faults a real printer has, to show them on screen.
type Printer struct {
	*fakeprinter.Printer
	mu   sync.Mutex
	next int
}

type faultStep struct {
	name   string
	faults fakeprinter.Faults
	silent bool
}

// faultSteps is the order NextFault goes through, back to ready.
func faultSteps() []faultStep {
	return []faultStep{
		{name: "paper out", faults: fakeprinter.Faults{PaperOut: true}},
		{name: "head open", faults: fakeprinter.Faults{HeadOpen: true}},
		{name: "paused", faults: fakeprinter.Faults{Paused: true}},
		{name: "not answering", silent: true},
		{name: "ready"},
	}
}

// StartPrinter starts the fake printer, saving labels in dir.
func StartPrinter(ctx context.Context, dir string, log *slog.Logger) (*Printer, error) {
	p := &Printer{Printer: fakeprinter.New(fakeprinter.Options{Dir: dir, Log: log})}
	if err := p.Listen(ctx, "127.0.0.1:0"); err != nil {
		return nil, err
	}
	return p, nil
}

// NextFault puts the printer in the next fault (or back to ready) and says which.
func (p *Printer) NextFault() string {
	steps := faultSteps()
	p.mu.Lock()
	step := steps[p.next]
	p.next = (p.next + 1) % len(steps)
	p.mu.Unlock()
	p.SetFaults(step.faults)
	p.SetSilent(step.silent)
	return step.name
}
