// Package decode reads ZPL back: it splits a stream into commands and a format
// into fields whose data is decoded as the printer would (^FH hex escapes,
// ^FB and ^B7 backslash codes, Code 128 invocation codes, Data Matrix escape
// sequences). Tests use it to prove every field holds exactly the data it was
// given; the fake printer uses it to answer ~HS and keep each format.
package decode

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every error about malformed ZPL.
var ErrSyntax = errors.New("zpl syntax")

// Command is one ZPL command: its prefix ('^' or '~'), its name in upper case
// ("XA", "FO", "A" for the font command, "B7") and its parameters as sent.
type Command struct {
	Prefix byte
	Name   string
	Params string
	Offset int // byte offset of the prefix in the input
}

// String is the command as it would be written.
func (c Command) String() string { return string(c.Prefix) + c.Name + c.Params }

// noParams are commands that take no parameters, so they are complete as soon
// as their name has arrived.
var noParams = map[string]bool{"XA": true, "XZ": true, "FS": true, "HS": true, "HI": true, "HM": true, "HD": true, "JR": true, "JA": true, "PS": true, "PP": true}

// Next reads the command at the start of buf (leading CR, LF, spaces and tabs
// are skipped). It returns the command and the bytes consumed; ok is false when
// buf holds no complete command yet: a command's parameters end where the next
// command starts, so without atEOF the last one waits for more input unless it
// takes no parameters. Bytes before the first prefix are an error.
func Next(buf []byte, atEOF bool) (cmd Command, n int, ok bool, err error) {
	i := 0
	for i < len(buf) && (buf[i] == '\r' || buf[i] == '\n' || buf[i] == ' ' || buf[i] == '\t') {
		i++
	}
	if i == len(buf) {
		return Command{}, i, false, nil
	}
	if buf[i] != '^' && buf[i] != '~' {
		end := min(len(buf), i+16)
		return Command{}, i, false, fmt.Errorf("%w: %q at %d is outside any command", ErrSyntax, buf[i:end], i)
	}
	nameLen := 2
	if i+1 < len(buf) && upper(buf[i+1]) == 'A' && buf[i] == '^' {
		nameLen = 1
	}
	if i+1+nameLen > len(buf) {
		if atEOF {
			return Command{}, len(buf), false, fmt.Errorf("%w: truncated command %q at %d", ErrSyntax, buf[i:], i)
		}
		return Command{}, i, false, nil
	}
	name := string(bytes.ToUpper(buf[i+1 : i+1+nameLen]))
	start := i + 1 + nameLen
	end := start
	if !noParams[name] {
		end = indexPrefix(buf[start:])
		if end < 0 {
			if !atEOF {
				return Command{}, i, false, nil
			}
			end = len(buf)
		} else {
			end += start
		}
	}
	params := buf[start:end]
	if name != "FD" && name != "FX" {
		params = bytes.TrimRight(params, "\r\n")
	}
	return Command{Prefix: buf[i], Name: name, Params: string(params), Offset: i}, end, true, nil
}

// Commands splits a whole stream into commands.
func Commands(zpl []byte) ([]Command, error) {
	var out []Command
	for off := 0; off < len(zpl); {
		c, n, ok, err := Next(zpl[off:], true)
		if err != nil {
			return out, fmt.Errorf("at byte %d: %w", off, err)
		}
		if !ok {
			break
		}
		c.Offset += off
		out = append(out, c)
		off += n
	}
	return out, nil
}

func indexPrefix(b []byte) int {
	return bytes.IndexAny(b, "^~")
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
