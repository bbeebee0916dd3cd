package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/rfterm/rfterm/api"
)

// bodyError maps a failure reading a request body: an oversized body is a
// 413, anything else a 400.
func bodyError(err error) error {
	if err := tooLarge(err); err != nil {
		return err
	}
	if errors.Is(err, errTooManyEvents) {
		return badRequest("%v", err)
	}
	return badRequest("request body: %v", err)
}

// decodeIngestBody reads POST /v1/events as a stream (see decodeIngest).
func decodeIngestBody(r *http.Request) (api.IngestRequest, error) {
	req, err := decodeIngest(r.Body)
	if err != nil {
		return req, bodyError(err)
	}
	return req, nil
}

// decodeStrictBody reads one JSON object into v, refusing fields v does not
// have, as the schemas with additionalProperties false say.
func decodeStrictBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(fmt.Errorf("not valid: %w", err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return bodyError(errors.New("data after the JSON value"))
	}
	return nil
}
