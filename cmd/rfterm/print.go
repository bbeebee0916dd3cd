package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rfterm/rfterm/zpl/printer"
)

// Exit codes of rfterm print beyond 0 (printed) and 2 (usage).
const (
	exitNotPrinted     = 1 // nothing was sent: the reason is printed, the job can be sent again
	exitOutcomeUnknown = 3 // the job may have printed: check the printer before sending again
)

// printCommand sends a ZPL file to a printer, checking its status before and after.
func printCommand() command {
	return command{name: "print", summary: "send ZPL (a file or stdin) to a printer, checking its status before and after", run: runPrint}
}

func runPrint(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("rfterm print", flag.ContinueOnError)
	fs.SetOutput(s.err)
	c := printerFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: rfterm print --printer HOST:PORT [FILE|-]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagErrorCode(err)
	}
	if c.Addr == "" || fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	c.Addr = printer.New(c.Addr).Addr
	data, err := readJob(fs.Arg(0), s.in)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm print: %v\n", err)
		return 2
	}
	r, err := c.Print(ctx, data)
	switch {
	case errors.Is(err, printer.ErrOutcomeUnknown):
		fmt.Fprintf(s.err, "rfterm print: %v\nthe label may or may not have printed: check the printer before sending it again\n", err)
		return exitOutcomeUnknown
	case err != nil:
		fmt.Fprintf(s.err, "rfterm print: %v\n", err)
		return exitNotPrinted
	}
	fmt.Fprintf(s.out, "sent %d bytes to %s; printer %s\n", len(data), c.Addr, r.After)
	return 0
}

// readJob reads the job from a file, or stdin for "" or "-".
func readJob(name string, stdin io.Reader) ([]byte, error) {
	var data []byte
	var err error
	if name == "" || name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	switch {
	case err != nil:
		return nil, err
	case len(data) == 0:
		return nil, errors.New("nothing to print: the input is empty")
	}
	return data, checkZPL(data)
}

// checkZPL refuses input that is not ZPL: every label format is ^XA … ^XZ,
// so the job (spaces and line ends aside) starts with ^XA and ends with ^XZ.
// Anything else would be printed as text, or hang the printer waiting for
// the end of a format.
func checkZPL(data []byte) error {
	job := bytes.TrimSpace(data)
	if len(job) >= 6 && bytes.HasPrefix(job, []byte("^XA")) && bytes.HasSuffix(job, []byte("^XZ")) {
		return nil
	}
	head := job[:min(len(job), 24)]
	return fmt.Errorf("the input is not ZPL: a label format starts with ^XA and ends with ^XZ (it starts %q); nothing was sent", head)
}

// printerFlags defines --printer and the timeouts shared by the printer commands.
func printerFlags(fs *flag.FlagSet) *printer.Client {
	c := &printer.Client{}
	fs.StringVar(&c.Addr, "printer", "", "printer address HOST:PORT (port 9100 when omitted)")
	fs.DurationVar(&c.DialTimeout, "dial-timeout", printer.DefaultDialTimeout, "time allowed to connect")
	fs.DurationVar(&c.StatusTimeout, "status-timeout", printer.DefaultStatusTimeout, "time allowed for the printer to answer ~HS")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", 10*time.Second, "time allowed to send the job")
	return c
}

// flagErrorCode is the exit code after a flag parse error: 0 for -h, else 2.
func flagErrorCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
