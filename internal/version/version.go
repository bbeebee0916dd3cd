// Package version says which build of a program is running: the release
// version stamped at link time, the commit it was built from, the Go
// release and the platform. Both rfterm and orderhub print it with their
// `version` subcommand:
//
//	rfterm v0.3.0 (commit abc1234, go1.26.8, linux/amd64)
//
// A release build stamps the version and the commit (make release does):
//
//	go build -ldflags "-X github.com/rfterm/rfterm/internal/version.Version=v0.3.0 \
//	    -X github.com/rfterm/rfterm/internal/version.Commit=abc1234" ./cmd/rfterm
//
// Without the stamps, the version is the one the go command recorded (a
// module version for `go install …@v0.3.0`, a pseudo-version from the
// repository's tags for a build in a clone), else "dev"; the commit is the
// one the go command recorded (vcs.revision, with "-dirty" when the tree
// had local changes), else "unknown". The go command records no commit
// with -buildvcs=false, nor in a git worktree (.git is a file there), so
// make release stamps it.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version and Commit are stamped by the linker with -X (see the package
// comment). -X can only set a package-level string variable, so these two
// are the exception to the rule against package-level mutable state: the
// linker writes them, the program never does. Read them through Get.
var (
	// Version is the release version: "v0.3.0", "dev" when not stamped.
	Version = "dev"
	// Commit is the commit built: "abc1234", or "abc1234-dirty" from a
	// tree with local changes; empty when not stamped.
	Commit string
)

// Info is what a build says of itself.
type Info struct {
	Version string // "v0.3.0", a pseudo-version, or "dev"
	Commit  string // the commit's first 7 hex digits, "-dirty" when modified; "unknown"
	Go      string // the Go release it was built with: "go1.26.8"
	OS      string // GOOS
	Arch    string // GOARCH, and GOARM's version for arm: "arm/v7"
}

// Get reads the stamps and the build information the go command recorded
// in this binary.
func Get() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return From(Version, Commit, bi)
}

// From is Get's logic on given stamps and build information (nil when the
// binary holds none). The version is the stamp, unless it is empty or
// "dev"; else a module version the go command recorded; else "dev". The
// commit is the stamp, unless it is empty; else the recorded vcs.revision's
// first 7 digits, "-dirty" added when vcs.modified; else "unknown".
func From(stampedVersion, stampedCommit string, bi *debug.BuildInfo) Info {
	info := Info{Version: "dev", Commit: "unknown", Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = v
		}
		var revision string
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			case "GOARM":
				if info.Arch == "arm" {
					info.Arch += "/v" + s.Value // linux/arm/v7
				}
			}
		}
		if revision != "" {
			info.Commit = revision[:min(7, len(revision))]
			if modified {
				info.Commit += "-dirty"
			}
		}
	}
	if stampedVersion != "" && stampedVersion != "dev" {
		info.Version = stampedVersion
	}
	if stampedCommit != "" {
		info.Commit = stampedCommit
	}
	return info
}

// String is the version line without the program's name:
// "v0.3.0 (commit abc1234, go1.26.8, linux/amd64)".
func (i Info) String() string {
	return fmt.Sprintf("%s (commit %s, %s, %s/%s)", i.Version, i.Commit, i.Go, i.OS, i.Arch)
}

// Line is what `PROGRAM version` prints: the program's name and String.
func Line(program string) string {
	return program + " " + Get().String()
}
