package telnet

import (
	"bytes"
	"reflect"
	"testing"
)

func TestDecodeSeparatesDataAndCommands(t *testing.T) {
	in := []byte{'a', IAC, WILL, OptNAWS, 'b', IAC, IAC, 'c', IAC, SB, OptNAWS, 0, 40, 0, 8, IAC, SE, '\r', 0, 'd', '\r', '\n', IAC, AYT}
	var d Decoder
	data, cmds := d.Decode(in, nil)
	if want := []byte{'a', 'b', IAC, 'c', '\r', 'd', '\r'}; !bytes.Equal(data, want) {
		t.Fatalf("data %q, want %q", data, want)
	}
	want := []Command{{Verb: WILL, Option: OptNAWS}, {Verb: SB, Option: OptNAWS, Data: []byte{0, 40, 0, 8}}, {Verb: AYT}}
	if !reflect.DeepEqual(cmds, want) {
		t.Fatalf("commands %v, want %v", cmds, want)
	}
	if w, h, ok := NAWS(cmds[1].Data); !ok || w != 40 || h != 8 {
		t.Fatalf("NAWS %d×%d %v", w, h, ok)
	}
}

func TestDecodeSubnegotiationWithEscapedIAC(t *testing.T) {
	var d Decoder
	_, cmds := d.Decode([]byte{IAC, SB, OptNAWS, 0, IAC, IAC, 0, 24, IAC, SE}, nil)
	if len(cmds) != 1 || !bytes.Equal(cmds[0].Data, []byte{0, IAC, 0, 24}) {
		t.Fatalf("commands %v", cmds)
	}
	if w, h, _ := NAWS(cmds[0].Data); w != 255 || h != 24 {
		t.Fatalf("NAWS %d×%d", w, h)
	}
	_, cmds = d.Decode([]byte{IAC, SB, OptTermType, TermTypeIS, 'V', 'T', '2', '2', '0', IAC, SE}, nil)
	if name, ok := TermType(cmds[0].Data); !ok || name != "VT220" {
		t.Fatalf("term type %q %v", name, ok)
	}
}

// TestDecodeSplitAnywhere: a stream cut at every point decodes as it does whole.
func TestDecodeSplitAnywhere(t *testing.T) {
	in := []byte{'x', '\r', IAC, NOP, '\n', IAC, DO, OptEcho, IAC, SB, OptTermType, TermTypeIS, 'x', 't', IAC, SE, '\r', 0, 'y', IAC, IAC}
	var whole Decoder
	wantData, wantCmds := whole.Decode(in, nil)
	for cut := range in {
		var d Decoder
		data, c1 := d.Decode(in[:cut], nil)
		data, c2 := d.Decode(in[cut:], data)
		if !bytes.Equal(data, wantData) || !reflect.DeepEqual(append(c1, c2...), wantCmds) {
			t.Fatalf("cut at %d: %q %v, want %q %v", cut, data, append(c1, c2...), wantData, wantCmds)
		}
	}
}

func TestDecodeBoundsSubnegotiation(t *testing.T) {
	in := append([]byte{IAC, SB, OptTermType, TermTypeIS}, bytes.Repeat([]byte{'a'}, 10000)...)
	in = append(in, IAC, SE)
	var d Decoder
	_, cmds := d.Decode(in, nil)
	if len(cmds) != 1 || len(cmds[0].Data) != maxSub {
		t.Fatalf("got %d commands, payload %d", len(cmds), len(cmds[0].Data))
	}
}

// FuzzDecoder: any input, split anywhere, decodes as it does whole; data
// escaped and sent decodes back to itself; payloads stay bounded.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte{IAC, WILL, OptNAWS, IAC, SB, OptNAWS, 0, 80, 0, 24, IAC, SE, 'a', '\r', '\n'}, uint8(3))
	f.Add([]byte{IAC, SB, OptTermType, 0, 'v', 't', IAC, IAC, IAC, 'x'}, uint8(1))
	f.Add([]byte("U1001\r\x00T12345\r\n"), uint8(0))
	f.Fuzz(func(t *testing.T, in []byte, cut uint8) {
		var whole Decoder
		wantData, wantCmds := whole.Decode(in, nil)
		c := int(cut) % (len(in) + 1)
		var d Decoder
		data, c1 := d.Decode(in[:c], nil)
		data, c2 := d.Decode(in[c:], data)
		if !bytes.Equal(data, wantData) || !reflect.DeepEqual(append(c1, c2...), wantCmds) {
			t.Fatalf("split at %d decodes differently", c)
		}
		if len(data) > len(in) {
			t.Fatalf("more data out (%d) than in (%d)", len(data), len(in))
		}
		for _, cmd := range wantCmds {
			if len(cmd.Data) > maxSub {
				t.Fatalf("payload of %d bytes", len(cmd.Data))
			}
		}
		// Data without CR round-trips through Escape.
		plain := bytes.ReplaceAll(in, []byte{'\r'}, nil)
		var rt Decoder
		back, cmds := rt.Decode(Escape(nil, plain), nil)
		if !bytes.Equal(back, plain) || len(cmds) != 0 {
			t.Fatalf("escaped data %q came back as %q with %v", plain, back, cmds)
		}
	})
}
