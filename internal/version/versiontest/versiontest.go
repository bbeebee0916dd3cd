// Package versiontest checks a program's `version` subcommand the way make
// release stamps it, for the tests of both programs.
package versiontest

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

// Check builds the program in the current directory as name, with the
// version and the commit stamped by the linker as make release stamps them,
// runs `name version` and checks its line, and checks that `name version`
// with an argument is refused with its usage. It returns the binary.
func Check(t *testing.T, name string) string {
	t.Helper()
	pkg := reflect.TypeOf(version.Info{}).PkgPath()
	bin := filepath.Join(t.TempDir(), name)
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
	assert.Equal(t, name+" v9.8.7-test (commit 0123abc, "+runtime.Version()+", "+runtime.GOOS+"/"+runtime.GOARCH+")\n", stdout.String())
	assert.Empty(t, stderr.String())

	stdout.Reset()
	stderr.Reset()
	cmd = exec.Command(bin, "version", "--verbose")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var exit *exec.ExitError
	require.ErrorAs(t, cmd.Run(), &exit)
	assert.Equal(t, 2, exit.ExitCode())
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "usage: "+name+" version")
	return bin
}
