package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rfterm/rfterm/domain"
)

// tokenBounds is scanBounds as it was written first, over encoding/json's
// tokens: the reference the one-pass scanner must agree with.
func tokenBounds(t domain.EventType, p []byte, limit int64) error {
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.UseNumber()
	type frame struct{ obj, wantKey bool }
	var stack []frame
	key := ""
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].wantKey = true
		}
		key = ""
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				stack, key = append(stack, frame{obj: v == '{', wantKey: v == '{'}), ""
				continue
			}
			stack = stack[:len(stack)-1]
		case string:
			if len(v) > MaxFieldBytes {
				return errors.New("long")
			}
			if n := len(stack); n > 0 && stack[n-1].wantKey {
				stack[n-1].wantKey, key = false, v
				continue
			}
		case json.Number:
			if isQuantityField(key) {
				if err := checkQuantity(t, key, v, limit); err != nil {
					return err
				}
			}
		}
		valueDone()
	}
}

// FuzzScanBounds: on every valid JSON payload the one-pass scanner refuses
// exactly what the token walk refuses.
func FuzzScanBounds(f *testing.F) {
	long := strings.Repeat("x", MaxFieldBytes+1)
	for _, seed := range []string{
		`{"task_id":"T-1","line":1,"picked":5}`,
		`{"picked":100001}`, `{"qty":-100001}`, `{"short":1e9}`, `{"Picked":2.5}`,
		`{"lots":[{"lot":"A","qty":100001}]}`, `{"serials":[100001, 5]}`, `[{"qty":7}]`,
		`{"a":{"qty":{"b":1}},"qty":99}`, `{"tote":"` + long + `"}`, `{"` + long + `":1}`,
		`{"s":"a\"b\\c\u00e9","qty":3}`, `{"t":true,"f":false,"n":null,"qty":100000}`,
		`"just a string"`, `12`, `{"x":[1,2,[3,{"picked":-5}]],"picked":9223372036854775808}`,
		`{"esc":"` + strings.Repeat(`\u0041`, 200) + `"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if !json.Valid(p) {
			return
		}
		got := scanBounds("x", p, DefaultMaxEventQty)
		want := tokenBounds("x", p, DefaultMaxEventQty)
		if (got == nil) != (want == nil) {
			t.Fatalf("%q: scanner says %v, tokens %v", p, got, want)
		}
	})
}
