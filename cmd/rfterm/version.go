package main

import (
	"context"
	"fmt"

	"github.com/rfterm/rfterm/internal/version"
)

func versionCommand() command {
	return command{name: "version", summary: "prints the version, commit, Go release and platform", run: runVersion}
}

// runVersion is `rfterm version`: one line on stdout,
// "rfterm v0.3.0 (commit abc1234, go1.26.8, linux/amd64)".
func runVersion(_ context.Context, args []string, s stdio) int {
	if len(args) > 0 {
		fmt.Fprintln(s.err, "rfterm: usage: rfterm version")
		return 2
	}
	fmt.Fprintln(s.out, version.Line("rfterm"))
	return 0
}
