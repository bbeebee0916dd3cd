package scanner

import (
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigJSON(t *testing.T) {
	examples := map[string]string{
		"serial": `{"kind": "serial", "serial": {"port": "/dev/serial/by-id/usb-Honeywell-if00", "baud": 115200, "data_bits": 7, "parity": "even", "stop_bits": "2", "prefix": "STX", "suffix": "CRLF", "gap": "200ms"}, "debounce": "0s"}`,
		"evdev":  `{"kind": "evdev", "evdev": {"device": "/dev/input/by-id/usb-Datalogic-event-kbd", "layout": "fr", "gap": 500}}`,
		"wedge":  `{"kind": "wedge", "wedge": {"max_key_gap": "30ms", "min_length": 6, "gs": "^]", "prefix": "$"}}`,
	}
	for kind, text := range examples {
		var cfg Config
		require.NoError(t, json.Unmarshal([]byte(text), &cfg), kind)
		if kind == "evdev" && runtime.GOOS != "linux" {
			continue // refused off Linux: TestEvdevRefusedOffLinux
		}
		src, err := Open(cfg, nil)
		require.NoError(t, err, kind)
		assert.Contains(t, src.Name(), kind)
	}
	var cfg Config
	require.NoError(t, json.Unmarshal([]byte(examples["serial"]), &cfg))
	s, err := NewSerial(cfg.Serial, cfg.debounce(), nil)
	require.NoError(t, err)
	assert.Equal(t, Framing{Prefix: "\x02", Suffix: "\r\n", Gap: 200 * time.Millisecond}, s.framing)
	assert.Equal(t, 115200, s.mode.BaudRate)
	assert.Zero(t, cfg.debounce())
	assert.Equal(t, DefaultDebounce, Config{}.debounce())

	require.NoError(t, json.Unmarshal([]byte(examples["evdev"]), &cfg))
	assert.Equal(t, Duration(500*time.Millisecond), cfg.Evdev.Gap, "a number is milliseconds")
	b, err := json.Marshal(Duration(50 * time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, `"50ms"`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`{"wedge": {"max_key_gap": "soon"}}`), &cfg))

	_, err = Open(Config{Kind: "evdev", Evdev: EvdevConfig{Device: "/dev/input/event0", Layout: "dvorak"}}, nil)
	assert.Error(t, err)
}

func TestParseControl(t *testing.T) {
	for in, want := range map[string]string{"CR": "\r", "crlf": "\r\n", "TAB": "\t", "ETX": "\x03", "STX": "\x02", "none": "", "": "", `\x1e`: "\x1e", "#": "#", "^]": "^]"} {
		got, err := ParseControl(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := ParseControl(`\q`)
	assert.Error(t, err)
}
