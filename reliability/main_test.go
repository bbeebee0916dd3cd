package reliability

import (
	"testing"

	"github.com/rfterm/rfterm/hub/backend/backendtest"
)

// TestMain runs the suites on the hub store RFTERM_HUB_STORE names (see
// package backendtest).
func TestMain(m *testing.M) { backendtest.Main(m) }
