// Package api is the HTTP/JSON contract between devices and the central order
// hub: request and response bodies, error codes, and a client. The contract is
// written down in openapi.json (see OpenAPI); a test checks the hub against it.
package api
