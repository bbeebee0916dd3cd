package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeConfig(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "rfterm.json")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func TestLoadConfig(t *testing.T) {
	c, err := loadConfig(writeConfig(t, `{"device_id":"g1","hub":"http://h","db":"d.db",
		"barcode_rules":[{"kind":"badge","pattern":"^U\\d{4}$"}]}`))
	require.NoError(t, err)
	assert.Equal(t, "wedge", c.Scanner.Kind, "the keyboard wedge by default")
	assert.Equal(t, "rfterm.log", c.Log)

	_, err = loadConfig(writeConfig(t, `{"hub":"http://h"}`))
	require.Error(t, err)
	for _, want := range []string{`"device_id" is required`, `"db" is required`, `"barcode_rules" is required`} {
		assert.ErrorContains(t, err, want)
	}
	_, err = loadConfig(writeConfig(t, `{"device_id":"g1","hub":"h","db":"d","barcode_rules":[],"scaner":{}}`))
	assert.ErrorContains(t, err, "scaner", "a misspelt key is named")
	_, err = loadConfig(writeConfig(t, `{"device_id":`))
	assert.Error(t, err)
	_, err = loadConfig(filepath.Join(t.TempDir(), "none.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestRunRefusesABadConfig(t *testing.T) {
	var out, errOut bytes.Buffer
	code := dispatch(context.Background(), []string{"run", "--config", writeConfig(t, `{}`)}, stdio{out: &out, err: &errOut})
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), `"device_id" is required`)
}

func TestLoadPackStationConfig(t *testing.T) {
	c, err := loadConfig(writeConfig(t, `{"device_id":"pack-1","hub":"http://h","db":"d.db",
		"barcode_rules":[{"kind":"badge","pattern":"^U\\d{4}$"}],
		"pack":{"ship_from":{"name":"Demo DC"},"carrier":"Demo Freight","service":"Ground",
		        "tolerance":{"grams":50,"percent":5},
		        "scale":{"port":"/dev/ttyUSB0","baud":9600,"protocol":"mt-sics"}}}`))
	require.NoError(t, err)
	require.NotNil(t, c.Pack)
	assert.Equal(t, "Demo DC", c.Pack.ShipFrom.Name)
	assert.Equal(t, 50, c.Pack.Tolerance.Grams)
	require.NotNil(t, c.Pack.Scale)
	assert.Equal(t, "/dev/ttyUSB0", c.Pack.Scale.Port)
	assert.Equal(t, 9600, c.Pack.Scale.Baud)
}
