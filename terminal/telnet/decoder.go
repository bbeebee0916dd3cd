// Package telnet is the small part of the telnet protocol (RFC 854) an RF
// gun's terminal-emulation client needs: IAC command parsing, option
// negotiation for ECHO (RFC 857), SUPPRESS-GO-AHEAD (RFC 858), BINARY (RFC
// 856), TERMINAL-TYPE (RFC 1091) and NAWS (RFC 1073), and a Conn that hands
// the application the data bytes only.
package telnet

// Telnet command bytes (RFC 854).
const (
	SE   byte = 240 // end of subnegotiation
	NOP  byte = 241
	DM   byte = 242 // data mark
	BRK  byte = 243
	IP   byte = 244 // interrupt process
	AO   byte = 245 // abort output
	AYT  byte = 246 // are you there
	EC   byte = 247 // erase character
	EL   byte = 248 // erase line
	GA   byte = 249 // go ahead
	SB   byte = 250 // start of subnegotiation
	WILL byte = 251
	WONT byte = 252
	DO   byte = 253
	DONT byte = 254
	IAC  byte = 255
)

// Options this package negotiates.
const (
	OptBinary   byte = 0
	OptEcho     byte = 1
	OptSGA      byte = 3
	OptTermType byte = 24
	OptNAWS     byte = 31
)

// Subnegotiation verbs of TERMINAL-TYPE.
const (
	TermTypeIS   byte = 0
	TermTypeSEND byte = 1
)

// maxSub bounds a subnegotiation's payload: a terminal type or a window
// size is a few bytes; anything longer is cut (the rest is dropped).
const maxSub = 64

// Command is a telnet command met in the stream: a negotiation (WILL, WONT,
// DO, DONT with its Option), a subnegotiation (SB, with Option and Data), or
// another command (NOP, AYT, …) alone.
type Command struct {
	Verb   byte
	Option byte
	Data   []byte // SB payload, IAC IAC undone
}

type state uint8

const (
	stData  state = iota
	stIAC         // after IAC
	stOpt         // after IAC WILL/WONT/DO/DONT: the option byte
	stSBOpt       // after IAC SB: the option byte
	stSB          // inside SB
	stSBIAC       // inside SB, after IAC
	stCR          // after a data CR: LF or NUL that follows is dropped
	stCRIAC       // after a data CR then IAC
)

// Decoder separates data from telnet commands in a byte stream. It keeps its
// state between calls, so a command split across reads is still one
// command. The zero value is ready to use.
//
// A data CR followed by LF or NUL (the network's two forms of a line end,
// RFC 854) becomes one CR, the Enter key.
type Decoder struct {
	st   state
	verb byte
	opt  byte
	sub  []byte
}

// Decode appends the data bytes of in to data and returns it with the
// commands in in, in order. Commands interleave with the data; an
// application that needs their exact position decodes smaller pieces.
func (d *Decoder) Decode(in []byte, data []byte) ([]byte, []Command) {
	var cmds []Command
	for _, b := range in {
		switch d.st {
		case stData, stCR:
			wasCR := d.st == stCR
			d.st = stData
			switch {
			case b == IAC:
				d.st = stIAC
				if wasCR {
					d.st = stCRIAC
				}
			case wasCR && (b == '\n' || b == 0):
				// the second half of a line end
			case b == '\r':
				data = append(data, b)
				d.st = stCR
			default:
				data = append(data, b)
			}
		case stIAC, stCRIAC:
			wasCR := d.st == stCRIAC
			d.st = stData
			switch b {
			case IAC:
				data = append(data, IAC)
			case WILL, WONT, DO, DONT:
				d.verb, d.st = b, stOpt
			case SB:
				d.st = stSBOpt
			default:
				cmds = append(cmds, Command{Verb: b})
				if wasCR {
					d.st = stCR // a command between CR and LF leaves the line end whole
				}
			}
		case stOpt:
			cmds = append(cmds, Command{Verb: d.verb, Option: b})
			d.st = stData
		case stSBOpt:
			d.opt, d.sub, d.st = b, d.sub[:0], stSB
		case stSB:
			if b == IAC {
				d.st = stSBIAC
			} else if len(d.sub) < maxSub {
				d.sub = append(d.sub, b)
			}
		case stSBIAC:
			switch b {
			case SE:
				cmds = append(cmds, Command{Verb: SB, Option: d.opt, Data: append([]byte(nil), d.sub...)})
				d.st = stData
			case IAC:
				if len(d.sub) < maxSub {
					d.sub = append(d.sub, IAC)
				}
				d.st = stSB
			default:
				// IAC then something other than SE or IAC ends the
				// subnegotiation badly: drop it and read the command.
				d.st = stIAC
				switch b {
				case WILL, WONT, DO, DONT:
					d.verb, d.st = b, stOpt
				case SB:
					d.st = stSBOpt
				default:
					cmds = append(cmds, Command{Verb: b})
					d.st = stData
				}
			}
		default:
			d.st = stData
		}
	}
	return data, cmds
}

// Escape appends p to dst with every IAC byte doubled, as data must be sent.
func Escape(dst, p []byte) []byte {
	for _, b := range p {
		if b == IAC {
			dst = append(dst, IAC)
		}
		dst = append(dst, b)
	}
	return dst
}

// NAWS reads a NAWS subnegotiation payload: width and height, each a
// 16-bit big-endian number. ok is false for a payload of another length.
func NAWS(data []byte) (width, height int, ok bool) {
	if len(data) != 4 {
		return 0, 0, false
	}
	return int(data[0])<<8 | int(data[1]), int(data[2])<<8 | int(data[3]), true
}

// TermType reads a TERMINAL-TYPE IS payload: the terminal's name. ok is
// false for any other payload.
func TermType(data []byte) (name string, ok bool) {
	if len(data) < 1 || data[0] != TermTypeIS {
		return "", false
	}
	return string(data[1:]), true
}
