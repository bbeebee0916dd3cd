package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/gdamore/tcell/v2"

	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/screens"
	"github.com/rfterm/rfterm/terminal/session"
)

// openLog opens the log file: logs never go to the terminal the UI draws on.
func openLog(path string) (*slog.Logger, func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("log: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, nil
}

// showTerminal runs the session's screen in this terminal until ctx is done
// or the user quits, reading scans from src (a keyboard wedge sits in the
// key path; other sources run on their own).
func showTerminal(ctx context.Context, sess *session.Session, src scanner.Source, log *slog.Logger, controls ...screens.Control) error {
	screen, err := tcell.NewScreen()
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	term := screens.NewTerminal(sess, screen)
	for _, c := range controls {
		term.AddControl(c)
	}
	if w, ok := src.(*scanner.Wedge); ok {
		term.UseWedge(w)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		if err := src.Run(ctx, sess); err != nil && ctx.Err() == nil {
			log.Error("scanner stopped", "scanner", src.Name(), "err", err)
		}
	}()
	return term.Run(ctx)
}
