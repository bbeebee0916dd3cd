package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/hub/hubtest"
)

// TestRunSaysWhatToDoWhenTheIdIsEnrolled: a device whose store was lost,
// for an id the hub holds enrolled (409 device_enrolled), is told to have
// it revoked or to enrol with the API key, not given a raw error.
func TestRunSaysWhatToDoWhenTheIdIsEnrolled(t *testing.T) {
	h := hubtest.StartDemo(t)
	h.Register("gun-lost")
	dir := t.TempDir()
	rules, err := demodata.BarcodeRules()
	require.NoError(t, err)
	raw, err := json.Marshal(terminalConfig{DeviceID: "gun-lost", Hub: h.URL(), EnrollKey: h.Site.EnrollKey,
		DB: filepath.Join(dir, "device.db"), Log: filepath.Join(dir, "rfterm.log"), BarcodeRules: rules})
	require.NoError(t, err)
	cfgPath := filepath.Join(dir, "rfterm.json")
	require.NoError(t, os.WriteFile(cfgPath, raw, 0o600))
	var out, errOut bytes.Buffer
	code := runTerminal(context.Background(), []string{"--config", cfgPath}, stdio{in: &bytes.Buffer{}, out: &out, err: &errOut})
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "revoke gun-lost at the hub with the integration API key")
	assert.Contains(t, errOut.String(), "API key as enroll_key")
}

// TestPlainHTTPOffLoopback: the status line's HTTP! is for plain HTTP to a
// host off loopback only.
func TestPlainHTTPOffLoopback(t *testing.T) {
	for url, want := range map[string]bool{
		"http://10.0.0.5:8080":      true,
		"http://hub.example":        true,
		"HTTP://hub.example:80/":    true,
		"http://127.0.0.1:8080":     false,
		"http://localhost:8080":     false,
		"http://[::1]:8080":         false,
		"https://hub.example:8443":  false,
		"https://10.0.0.5:8443/hub": false,
	} {
		assert.Equal(t, want, plainHTTPOffLoopback(url), url)
	}
}
