package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinySite is a one-order site whose devices enrol with key.
func tinySite(key string) string {
	return `{"name":"Tiny","enroll_key":"` + key + `","items":[{"sku":"A-1","gtin":"05401230041002","description":"a","weight_g":1,"length_mm":1,"width_mm":1,"height_mm":1}],
	"locations":[{"code":"A-01-01","zone":"A","sequence":1,"check":"11"}],"users":[{"id":"u1","name":"U","badge":"U0001","role":"operator"}],
	"orders":[{"id":"O1","customer":"C","ship_to":{"name":"n","street":"s","city":"c","postal":"p","country":"GB"},"priority":1,"status":"open","lines":[{"line":1,"sku":"A-1","qty":2}]}],
	"stock":{"A-1":"A-01-01"}}`
}

// TestSiteAdd: `orderhub site add` adds a site beside the demo site; its
// enrol key enrols a device that sees its orders only. On the store the
// tests run on (see package backendtest).
func TestSiteAdd(t *testing.T) {
	dir := t.TempDir()
	db, file := backendtest.NewDatabase(t), filepath.Join(dir, "north.json")
	require.NoError(t, os.WriteFile(file, []byte(tinySite("north-key")), 0o644))
	site := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := runSite(context.Background(), args, &out, &out)
		return code, out.String()
	}

	code, out := site("add", "--db", db, "--id", "north", "--seed", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "seed it first")
	_, stop, _ := start(t, "--db", db, "--seed", "demo")
	require.Equal(t, 0, stop())

	code, out = site("add", "--db", db, "--id", "north", "--seed", file)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "site north (Tiny) added")
	code, out = site("add", "--db", db, "--id", "north", "--seed", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "exists already")
	code, out = site("list", "--db", db)
	require.Equal(t, 0, code, out)
	assert.Regexp(t, `(?m)^default +Demo`, out)
	assert.Regexp(t, `(?m)^north +Tiny`, out)
	for _, bad := range [][]string{{}, {"add", "--db", db}, {"list", "--db", db, "--id", "x"}, {"remove", "--db", db}} {
		code, _ := site(bad...)
		assert.Equal(t, 2, code, "%q", bad)
	}

	c, stop, _ := start(t, "--db", db)
	ctx := context.Background()
	reg, err := c.Register(ctx, api.RegisterRequest{DeviceID: "gun-1", EnrollKey: "north-key"})
	require.NoError(t, err)
	orders, err := c.WithToken(reg.Token).Orders(ctx)
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.Equal(t, "O1", orders[0].ID)
	reg, err = c.Register(ctx, api.RegisterRequest{DeviceID: "gun-1", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	orders, err = c.WithToken(reg.Token).Orders(ctx)
	require.NoError(t, err)
	assert.Greater(t, len(orders), 1)
	assert.Equal(t, 0, stop())
}
