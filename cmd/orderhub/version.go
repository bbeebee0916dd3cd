package main

import (
	"fmt"
	"io"

	"github.com/rfterm/rfterm/internal/version"
)

// runVersion is `orderhub version`: one line on stdout,
// "orderhub v0.3.0 (commit abc1234, go1.26.8, linux/amd64)".
func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "orderhub: usage: orderhub version")
		return 2
	}
	fmt.Fprintln(stdout, version.Line("orderhub"))
	return 0
}
