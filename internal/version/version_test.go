package version

import (
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func buildInfo(version string, settings ...string) *debug.BuildInfo {
	bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/rfterm/rfterm", Version: version}}
	for i := 0; i+1 < len(settings); i += 2 {
		bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
	}
	return bi
}

func TestFrom(t *testing.T) {
	const rev = "abc1234def5678900000000000000000000000000"
	tail := ", " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	cases := []struct {
		name            string
		version, commit string
		bi              *debug.BuildInfo
		want            string
	}{
		{"both stamped: the stamps win", "v0.3.0", "fedcba9", buildInfo("v0.2.0", "vcs.revision", rev, "vcs.modified", "true"),
			"v0.3.0 (commit fedcba9" + tail},
		{"version stamped, the commit recorded", "v0.3.0", "", buildInfo("(devel)", "vcs.revision", rev, "vcs.modified", "false"),
			"v0.3.0 (commit abc1234" + tail},
		{"recorded from a tree with local changes", "v0.3.0-dirty", "", buildInfo("(devel)", "vcs.revision", rev, "vcs.modified", "true"),
			"v0.3.0-dirty (commit abc1234-dirty" + tail},
		{"not stamped: go install …@v0.3.0", "dev", "", buildInfo("v0.3.0"),
			"v0.3.0 (commit unknown" + tail},
		{"not stamped, a clone's pseudo-version", "dev", "", buildInfo("v0.0.0-20260101120000-abc1234def56+dirty", "vcs.revision", rev, "vcs.modified", "true"),
			"v0.0.0-20260101120000-abc1234def56+dirty (commit abc1234-dirty" + tail},
		{"not stamped, no version recorded", "dev", "", buildInfo("(devel)", "vcs.revision", rev),
			"dev (commit abc1234" + tail},
		{"an empty stamp is no stamp", "", "", buildInfo(""),
			"dev (commit unknown" + tail},
		{"no build information at all", "dev", "", nil,
			"dev (commit unknown" + tail},
		{"a short revision is kept whole", "v1", "", buildInfo("", "vcs.revision", "abc"),
			"v1 (commit abc" + tail},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, From(tc.version, tc.commit, tc.bi).String())
		})
	}
}

// TestARMVersion: a 32-bit ARM build names its ARM version (release
// binaries for linux/arm are for v7).
func TestARMVersion(t *testing.T) {
	info := From("v1", "", buildInfo("", "GOARM", "7"))
	if runtime.GOARCH == "arm" {
		assert.Equal(t, "arm/v7", info.Arch)
	} else {
		assert.Equal(t, runtime.GOARCH, info.Arch, "GOARM says nothing off arm")
	}
}

// TestGetUnstamped: a test binary is not stamped.
func TestGetUnstamped(t *testing.T) {
	got := Get()
	assert.Equal(t, "dev", got.Version)
	assert.Equal(t, runtime.Version(), got.Go)
	assert.True(t, strings.HasPrefix(Line("rfterm"), "rfterm dev (commit "), Line("rfterm"))
}

// TestMakefileStampsTheseVariables: make release stamps the version and
// the commit with -X on this package's variables; a renamed package or
// variable would leave every release saying "dev" without failing a build.
func TestMakefileStampsTheseVariables(t *testing.T) {
	raw, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	makefile := string(raw)
	pkg := reflect.TypeOf(Info{}).PkgPath()
	assert.Contains(t, makefile, "VERSION_PKG = "+pkg+"\n")
	assert.Contains(t, makefile, "-X $(VERSION_PKG).Version=$(VERSION)")
	assert.Contains(t, makefile, "-X $(VERSION_PKG).Commit=$(COMMIT)")
	assert.Equal(t, "dev", Version, "the default, when the linker stamps nothing")
	assert.Empty(t, Commit, "the default, when the linker stamps nothing")
}
