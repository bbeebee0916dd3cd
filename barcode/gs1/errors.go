package gs1

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every error from this package.
var ErrSyntax = errors.New("gs1 syntax")

// Causes of errors, each wrapped next to ErrSyntax so callers can tell them
// apart with errors.Is.
var (
	ErrUnknownAI  = errors.New("unknown application identifier")
	ErrLength     = errors.New("wrong length")
	ErrCharset    = errors.New("character not allowed")
	ErrCheckDigit = errors.New("check digit is wrong")
	ErrDate       = errors.New("not a valid date or time")
	ErrContent    = errors.New("content not allowed")
	ErrRequires   = errors.New("required AI missing")
	ErrExcludes   = errors.New("AIs may not appear together")
)

// Error says which AI a parse failed at, and why.
type Error struct {
	AI     string // "" when the AI itself could not be read
	Offset int    // byte offset in the data, where known
	Reason string // for people
	Err    error  // one of the causes above (ErrCheckDigit …), or nil
}

func (e *Error) Error() string {
	if e.AI == "" {
		return fmt.Sprintf("GS1 data at %d: %s", e.Offset, e.Reason)
	}
	return fmt.Sprintf("AI (%s): %s", e.AI, e.Reason)
}

// Unwrap makes errors.Is(err, ErrSyntax) true, and errors.Is(err, e.Err).
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrSyntax}
	}
	return []error{ErrSyntax, e.Err}
}
