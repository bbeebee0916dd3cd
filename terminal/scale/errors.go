package scale

import "errors"

// Errors wrapped by the scale's answers; check them with errors.Is.
var (
	ErrNotExecutable = errors.New("scale cannot execute the command now")      // "x I"
	ErrOverload      = errors.New("scale overload (above its range)")          // "x +", OL
	ErrUnderload     = errors.New("scale underload (below its range)")         // "x -"
	ErrSyntax        = errors.New("scale did not understand the command (ES)") // ES
	ErrTransmission  = errors.New("scale received a garbled command (ET)")     // ET
	ErrLogical       = errors.New("scale cannot do that command (EL)")         // EL
	ErrBadReply      = errors.New("scale reply not understood")                // parse failure
	ErrNoAnswer      = errors.New("scale did not answer")                      // timeout
	ErrNotConnected  = errors.New("scale not connected")                       // port away
	ErrUnstable      = errors.New("scale weight still moving")                 // no stable weight in time
	ErrUnsupported   = errors.New("the scale's protocol has no such command")  // zero/tare on continuous
	errStale         = errors.New("reply to another command")                  // skipped
)
