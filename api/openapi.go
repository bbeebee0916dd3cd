package api

import _ "embed"

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the hub's OpenAPI 3 document (api/openapi.json). The slice
// is a copy; callers may keep or change it.
func OpenAPI() []byte {
	return append([]byte(nil), openAPI...)
}
