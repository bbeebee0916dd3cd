package printer

import (
	"errors"
	"fmt"
)

// Errors from Print fall in two families the spool acts on differently:
// ErrNotSent (nothing of the job left this host: safe to send again later)
// and ErrOutcomeUnknown (the job may or may not have printed: an operator
// must decide). Each also wraps the cause below.
var (
	ErrNotSent        = errors.New("job not sent")
	ErrOutcomeUnknown = errors.New("job outcome unknown")

	// ErrUnreachable: the printer could not be connected to.
	ErrUnreachable = errors.New("printer unreachable")
	// ErrNoAnswer: the printer did not answer ~HS in time. Zebra printers stay
	// silent in some faults (media out, head open, ribbon out), so this is a fault.
	ErrNoAnswer = errors.New("printer not answering (paper out, head open or ribbon out?)")
	// ErrFault is wrapped by *FaultError.
	ErrFault = errors.New("printer fault")
	// ErrInterrupted: the connection failed while the job was being written.
	ErrInterrupted = errors.New("connection lost while sending")
)

// FaultError is a printer whose status says it cannot print.
type FaultError struct {
	Status Status
}

// Error names the faults: "paper out, head open".
func (e *FaultError) Error() string { return e.Status.String() }

// Unwrap makes errors.Is(err, ErrFault) true.
func (e *FaultError) Unwrap() error { return ErrFault }

// notSent and unknown wrap a cause in its family.
func notSent(addr string, cause error) error {
	return fmt.Errorf("%w: printer %s: %w", ErrNotSent, addr, cause)
}

func unknown(addr string, cause error) error {
	return fmt.Errorf("%w: printer %s: %w", ErrOutcomeUnknown, addr, cause)
}
