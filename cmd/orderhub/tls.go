package main

import (
	"errors"
	"fmt"
	"net"

	"github.com/rfterm/rfterm/api"
)

// checkTLSFlags refuses half a TLS set-up, and plain HTTP on an address off
// loopback unless --plain-http says so.
func checkTLSFlags(c config) error {
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if c.tlsCert != "" || c.plainHTTP {
		return nil
	}
	host, _, err := net.SplitHostPort(c.listen)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", c.listen, err)
	}
	if !api.IsLoopback(host) {
		return fmt.Errorf("--listen %s is off loopback: serve HTTPS (--tls-cert and --tls-key), or allow plain HTTP with --plain-http "+
			"(device tokens then cross the network in clear)", c.listen)
	}
	return nil
}
