package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/version"
)

// TestVersionCommand builds the real program with the version and the
// commit stamped by the linker, as make release stamps them, and runs
// `rfterm version`.
func TestVersionCommand(t *testing.T) {
	pkg := reflect.TypeOf(version.Info{}).PkgPath()
	bin := filepath.Join(t.TempDir(), "rfterm")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin,
		"-ldflags", "-X "+pkg+".Version=v9.8.7-test -X "+pkg+".Commit=0123abc", ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "version")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	assert.Equal(t, "rfterm v9.8.7-test (commit 0123abc, "+runtime.Version()+", "+runtime.GOOS+"/"+runtime.GOARCH+")\n", stdout.String())
	assert.Empty(t, stderr.String())

	stdout.Reset()
	stderr.Reset()
	cmd = exec.Command(bin, "version", "--verbose")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var exit *exec.ExitError
	require.ErrorAs(t, cmd.Run(), &exit)
	assert.Equal(t, 2, exit.ExitCode())
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "usage: rfterm version")

	help, err := exec.Command(bin, "help").Output()
	require.NoError(t, err)
	assert.Contains(t, string(help), "  version ")
}
