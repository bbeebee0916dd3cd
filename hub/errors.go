package hub

import (
	"errors"
	"fmt"

	"github.com/rfterm/rfterm/api"
)

// Kind is the sort of failure a business rule reports. The rules choose a
// kind and a code; the HTTP edge alone chooses the status each kind is
// answered with (see httpStatus in handler.go).
type Kind uint8

// Kinds of Error.
const (
	// KindInvalid: the request is malformed or out of bounds.
	KindInvalid Kind = iota + 1
	// KindUnauthorized: the caller is not proven (an unknown token, a wrong
	// enrol key, badge or PIN, no lead session).
	KindUnauthorized
	// KindForbidden: the caller is known but may not do this.
	KindForbidden
	// KindNotFound: what the request names does not exist, or no work waits.
	KindNotFound
	// KindConflict: the state of things does not allow it now.
	KindConflict
	// KindRejected: a business rule refused an event; the event's result
	// carries the code.
	KindRejected
)

// Error is a business rule's failure: its kind, a machine code (one of the
// api.Code constants, the same on the wire and in event results) and a
// message for people.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// newError makes an *Error.
func newError(kind Kind, code, format string, args ...any) error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// kindOf is the kind of the domain error err wraps; 0 when it wraps none.
func kindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// badRequest is a request the hub cannot take as it is.
func badRequest(format string, args ...any) error {
	return newError(KindInvalid, api.CodeBadRequest, format, args...)
}

// notFound is a record the request names that does not exist.
func notFound(format string, args ...any) error {
	return newError(KindNotFound, api.CodeNotFound, format, args...)
}

// forbidden is a call the caller may not make.
func forbidden(format string, args ...any) error {
	return newError(KindForbidden, api.CodeForbidden, format, args...)
}

// unauthorized is a caller the hub cannot take for who it claims to be.
func unauthorized(code, format string, args ...any) error {
	return newError(KindUnauthorized, code, format, args...)
}

// conflict is a call the state of things does not allow now.
func conflict(code, format string, args ...any) error {
	return newError(KindConflict, code, format, args...)
}

// reject is a business rule refusing an event. Rule checks come before any
// write, so a rejected event leaves no trace but its recorded outcome.
func reject(code, format string, args ...any) error {
	return newError(KindRejected, code, format, args...)
}
