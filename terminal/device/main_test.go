package device_test

import (
	"testing"

	"github.com/rfterm/rfterm/hub/backend/backendtest"
)

// TestMain runs the tests against a hub on the store RFTERM_HUB_STORE
// names (see package backendtest).
func TestMain(m *testing.M) { backendtest.Main(m) }
