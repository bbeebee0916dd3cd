// Package layout holds the tests that keep the tree's dependency arrows
// pointing one way: the hub and the packages both programs share never
// reach into the terminal, pure logic never reaches device I/O, and the
// hub's program links no serial or input-device code.
package layout

import (
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/rfterm/rfterm/"

type pkg struct {
	ImportPath   string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
}

func list(t *testing.T, pattern string) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", pattern).Output()
	require.NoError(t, err)
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		require.NoError(t, dec.Decode(&p))
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// rules: packages (by prefix under the module) and the module packages they
// must not depend on, directly or not.
var rules = []struct {
	from    string
	mustNot []string
	why     string
}{
	{"domain", []string{"api", "barcode", "hub", "terminal", "zpl"}, "the vocabulary depends on nothing"},
	{"barcode", []string{"api", "hub", "terminal", "zpl"}, "pure classification is shared by both programs"},
	{"api", []string{"hub", "terminal", "zpl"}, "the wire contract is shared by both programs"},
	{"hub", []string{"terminal"}, "the hub never links the terminal"},
	{"cmd/orderhub", []string{"terminal"}, "the hub's program never links the terminal"},
	{"zpl", []string{"terminal", "hub"}, "labels and printers are a library both may use"},
	{"terminal/flow", []string{"terminal/session", "terminal/screens", "terminal/scanner", "terminal/sync", "terminal/device", "api", "hub", "zpl"}, "flows are pure: no UI, disk or network"},
	{"terminal/session", []string{"terminal/screens", "terminal/device", "terminal/demo", "hub"}, "the model never reaches the view or its wiring"},
	{"terminal/sync", []string{"terminal/session", "terminal/screens", "terminal/scanner", "hub"}, "the sync engine never imports the UI"},
	{"terminal/scanner", []string{"terminal/session", "terminal/screens", "terminal/flow", "terminal/sync"}, "device sources know nothing of workflows"},
}

// TestDependencyArrows checks every rule against what go list says.
func TestDependencyArrows(t *testing.T) {
	for _, p := range list(t, "github.com/rfterm/rfterm/...") {
		name := strings.TrimPrefix(p.ImportPath, module)
		for _, r := range rules {
			if name != r.from && !strings.HasPrefix(name, r.from+"/") {
				continue
			}
			for _, d := range p.Deps {
				dep := strings.TrimPrefix(d, module)
				if dep == d {
					continue // outside the module
				}
				for _, bad := range r.mustNot {
					if dep == bad || strings.HasPrefix(dep, bad+"/") {
						t.Errorf("%s depends on %s: %s", name, dep, r.why)
					}
				}
			}
		}
	}
}

// TestOrderhubLinksNoDeviceIO: the hub's program links neither the serial
// library nor any package of ours that talks to devices. golang.org/x/sys/unix
// comes in only through bbolt (its file lock and mmap), never through ours.
func TestOrderhubLinksNoDeviceIO(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../../cmd/orderhub").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/rfterm/rfterm/hub", "go list ran on the hub")
	for _, d := range deps {
		require.NotContains(t, d, "go.bug.st/serial", "orderhub links the serial library")
		require.False(t, strings.HasPrefix(d, module+"terminal"), "orderhub links %s", d)
	}
	for _, p := range list(t, "github.com/rfterm/rfterm/...") {
		for _, imp := range p.Imports {
			if imp == "golang.org/x/sys/unix" && !strings.HasPrefix(p.ImportPath, module+"terminal/") {
				t.Errorf("%s imports x/sys/unix outside the terminal's device packages", p.ImportPath)
			}
		}
	}
}

// storageBackends are the packages behind the hub's storage contract.
var storageBackends = []string{"hub/boltstore", "hub/pgstore"}

// TestHubReachesStorageThroughTheContract: the hub's rules reach their
// records only through package storage. Package hub imports no bbolt (its
// tests may, to damage pages; hub.Open reaches bbolt through boltstore);
// the contract imports no backend; and no backend depends on the hub,
// whose rules, indexes and records are written once, above them all.
func TestHubReachesStorageThroughTheContract(t *testing.T) {
	seen := 0
	for _, p := range list(t, module+"hub/...") {
		name := strings.TrimPrefix(p.ImportPath, module)
		if name == "hub" || name == "hub/storage" {
			seen++
			for _, imp := range p.Imports {
				if strings.HasPrefix(imp, "go.etcd.io/bbolt") {
					t.Errorf("%s imports %s: bbolt belongs to hub/boltstore", name, imp)
				}
			}
		}
		if name == "hub/storage" {
			for _, d := range p.Deps {
				if slices.Contains(storageBackends, strings.TrimPrefix(d, module)) {
					t.Errorf("the storage contract depends on the backend %s", d)
				}
			}
		}
		if !slices.Contains(storageBackends, name) {
			continue
		}
		seen++
		for _, d := range p.Deps {
			dep := strings.TrimPrefix(d, module)
			if dep != d && (dep == "hub" || strings.HasPrefix(dep, "hub/")) && dep != "hub/storage" {
				t.Errorf("%s depends on %s: a backend knows the storage contract only", name, dep)
			}
		}
	}
	require.GreaterOrEqual(t, seen, 3, "go list found hub, hub/storage and a backend")
}

// TestHubSuitesRunOnBothStores: every package whose tests start an order
// hub (they import hubtest or backendtest) is in the Makefile's
// HUB_TEST_PACKAGES, which `make test` runs a second time with the hub on
// PostgreSQL. A package left out would test the hub on bbolt only.
func TestHubSuitesRunOnBothStores(t *testing.T) {
	raw, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	listed := map[string]bool{}
	for _, p := range makeList(string(raw), "HUB_TEST_PACKAGES") {
		listed[strings.TrimPrefix(p, "./")] = true
	}
	require.NotEmpty(t, listed, "the Makefile has HUB_TEST_PACKAGES")
	helpers := []string{module + "hub/hubtest", module + "hub/backend/backendtest"}
	for _, p := range list(t, module+"...") {
		name := strings.TrimPrefix(p.ImportPath, module)
		if slices.Contains(helpers, p.ImportPath) {
			continue
		}
		imports := append(slices.Clone(p.TestImports), p.XTestImports...)
		if slices.ContainsFunc(imports, func(imp string) bool { return slices.Contains(helpers, imp) }) && !listed[name] {
			t.Errorf("%s: its tests start a hub, but HUB_TEST_PACKAGES in the Makefile lacks ./%s", name, name)
		}
	}
}

// makeList is the words of a Makefile variable, across continued lines.
func makeList(makefile, name string) []string {
	var words []string
	in := false
	for _, line := range strings.Split(makefile, "\n") {
		if !in {
			v, rest, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(v) != name {
				continue
			}
			in, line = true, rest
		}
		more := strings.HasSuffix(strings.TrimSpace(line), `\`)
		words = append(words, strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), `\`))...)
		if !more {
			break
		}
	}
	return words
}
