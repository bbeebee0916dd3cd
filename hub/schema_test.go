package hub_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/stretchr/testify/require"
)

// openAPIDoc is the subset of an OpenAPI 3.0 document the conformance test
// needs, with a small JSON Schema validator: $ref, type, enum, required,
// properties, additionalProperties, items, anyOf, minimum, minLength,
// maxLength, pattern and format date-time.
type openAPIDoc struct {
	root map[string]any
}

func loadOpenAPI(t testing.TB) *openAPIDoc {
	t.Helper()
	var root map[string]any
	require.NoError(t, json.Unmarshal(api.OpenAPI(), &root))
	require.Regexp(t, `^3\.`, root["openapi"])
	return &openAPIDoc{root: root}
}

// node follows a JSON pointer ("#/components/schemas/Item").
func (d *openAPIDoc) node(ref string) (map[string]any, error) {
	cur := any(d.root)
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not an object at %q", ref, part)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("%s: no %q", ref, part)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", ref)
	}
	return m, nil
}

// deref resolves a $ref chain.
func (d *openAPIDoc) deref(m map[string]any) (map[string]any, error) {
	for i := 0; i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		var err error
		if m, err = d.node(ref); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("$ref chain too long")
}

// operation returns the operation object for method and path template.
func (d *openAPIDoc) operation(method, path string) (map[string]any, error) {
	paths, _ := d.root["paths"].(map[string]any)
	item, ok := paths[path].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("path %s not documented", path)
	}
	op, ok := item[strings.ToLower(method)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s not documented", method, path)
	}
	return op, nil
}

// jsonSchema returns the application/json schema of a response or request body object.
func (d *openAPIDoc) jsonSchema(obj map[string]any) (map[string]any, error) {
	obj, err := d.deref(obj)
	if err != nil {
		return nil, err
	}
	content, _ := obj["content"].(map[string]any)
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no application/json content")
	}
	schema, ok := media["schema"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no schema")
	}
	return schema, nil
}

// responseSchema is the documented schema of one status of an operation.
func (d *openAPIDoc) responseSchema(method, path string, status int) (map[string]any, error) {
	op, err := d.operation(method, path)
	if err != nil {
		return nil, err
	}
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: status %d not documented", method, path, status)
	}
	return d.jsonSchema(resp)
}

// requestSchema is the documented request body schema of an operation.
func (d *openAPIDoc) requestSchema(method, path string) (map[string]any, error) {
	op, err := d.operation(method, path)
	if err != nil {
		return nil, err
	}
	body, ok := op["requestBody"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: no request body documented", method, path)
	}
	return d.jsonSchema(body)
}

// validateJSON checks raw against schema and returns every violation.
func (d *openAPIDoc) validateJSON(schema map[string]any, raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var errs []string
	d.validate("$", schema, v, &errs)
	return errs
}

func (d *openAPIDoc) validate(at string, schema map[string]any, v any, errs *[]string) {
	fail := func(format string, args ...any) { *errs = append(*errs, at+": "+fmt.Sprintf(format, args...)) }
	schema, err := d.deref(schema)
	if err != nil {
		fail("%v", err)
		return
	}
	if anyOf, ok := schema["anyOf"].([]any); ok {
		for _, alt := range anyOf {
			var sub []string
			d.validate(at, alt.(map[string]any), v, &sub)
			if len(sub) == 0 {
				return
			}
		}
		fail("matches none of anyOf")
		return
	}
	if typ, ok := schema["type"].(string); ok && !hasType(typ, v) {
		fail("want %s, got %T %v", typ, v, v)
		return
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || fmt.Sprint(e) == fmt.Sprint(v)
		}
		if !found {
			fail("%v is not one of %v", v, enum)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		d.validateObject(at, schema, x, errs)
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range x {
				d.validate(fmt.Sprintf("%s[%d]", at, i), items, e, errs)
			}
		}
	case string:
		if n, ok := schema["minLength"].(float64); ok && len(x) < int(n) {
			fail("shorter than %v", n)
		}
		if n, ok := schema["maxLength"].(float64); ok && len(x) > int(n) {
			fail("longer than %v", n)
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			fail("%q does not match %s", x, p)
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				fail("not a date-time: %v", err)
			}
		}
	case json.Number:
		if m, ok := schema["minimum"].(float64); ok {
			if f, _ := x.Float64(); f < m {
				fail("%v is below %v", x, m)
			}
		}
	}
}

func (d *openAPIDoc) validateObject(at string, schema, obj map[string]any, errs *[]string) {
	props, _ := schema["properties"].(map[string]any)
	if req, ok := schema["required"].([]any); ok {
		for _, r := range req {
			if _, ok := obj[r.(string)]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: required %q missing", at, r))
			}
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p, ok := props[k].(map[string]any); ok {
			d.validate(at+"."+k, p, obj[k], errs)
			continue
		}
		switch extra := schema["additionalProperties"].(type) {
		case bool:
			if !extra {
				*errs = append(*errs, fmt.Sprintf("%s: undocumented field %q", at, k))
			}
		case map[string]any:
			d.validate(at+"."+k, extra, obj[k], errs)
		}
	}
}

func hasType(typ string, v any) bool {
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		return ok && !strings.ContainsAny(n.String(), ".eE")
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return false
}

// TestSchemaValidatorCatches makes sure the validator fails what it should,
// so a passing conformance test means something.
func TestSchemaValidatorCatches(t *testing.T) {
	doc := loadOpenAPI(t)
	item := map[string]any{"$ref": "#/components/schemas/Item"}
	good := `{"sku":"A","gtin":"05401230041002","description":"d","weight_g":1,"length_mm":1,"width_mm":1,"height_mm":1}`
	require.Empty(t, doc.validateJSON(item, []byte(good)))
	for name, bad := range map[string]string{
		"missing field":   `{"sku":"A","description":"d","weight_g":1,"length_mm":1,"width_mm":1,"height_mm":1}`,
		"extra field":     strings.Replace(good, `"sku":"A"`, `"sku":"A","colour":"red"`, 1),
		"wrong type":      strings.Replace(good, `"weight_g":1`, `"weight_g":"1"`, 1),
		"not integer":     strings.Replace(good, `"weight_g":1`, `"weight_g":1.5`, 1),
		"bad enum":        strings.Replace(good, `"sku":"A"`, `"sku":"A","tracking":"batch"`, 1),
		"pattern":         strings.Replace(good, `05401230041002`, `5401230041002`, 1),
		"null array":      strings.Replace(good, `"sku":"A"`, `"sku":"A","barcodes":null`, 1),
		"not JSON at all": `<html>`,
	} {
		require.NotEmpty(t, doc.validateJSON(item, []byte(bad)), name)
	}
	list := map[string]any{"type": "array", "items": item}
	require.NotEmpty(t, doc.validateJSON(list, []byte(`[`+good+`,{"sku":1}]`)))
}
