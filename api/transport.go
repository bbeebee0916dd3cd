package api

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// TransportConfig says how a client reaches the hub safely.
type TransportConfig struct {
	// CAFile is a PEM file of the CA certificates that sign the hub's
	// certificate (a site's own CA); empty: the system's roots.
	CAFile string
	// PlainHTTP allows http:// to a hub that is not on loopback: tokens then
	// cross the network in clear. Off by default; a terminal that sets it
	// should say so on its status line.
	PlainHTTP bool
}

// NewClientFor makes a client for the hub at baseURL that verifies an
// https:// hub against the system roots or cfg.CAFile, and refuses plain
// http:// off loopback unless cfg.PlainHTTP.
func NewClientFor(baseURL string, cfg TransportConfig) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("hub URL %q: %w", baseURL, err)
	}
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	switch u.Scheme {
	case "https":
		if cfg.CAFile != "" {
			pem, err := os.ReadFile(cfg.CAFile)
			if err != nil {
				return nil, fmt.Errorf("hub CA file: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("hub CA file %s holds no PEM certificate", cfg.CAFile)
			}
			tlsCfg.RootCAs = pool
		}
	case "http":
		if !IsLoopback(u.Hostname()) && !cfg.PlainHTTP {
			return nil, fmt.Errorf("hub URL %s is plain HTTP to a host off loopback: device tokens would cross the network in clear; "+
				"use https:// (orderhub --tls-cert/--tls-key), or allow plain HTTP explicitly", baseURL)
		}
	default:
		return nil, fmt.Errorf("hub URL %q: scheme must be https or http", baseURL)
	}
	return NewClient(baseURL, newHTTPClient(tlsCfg)), nil
}

// IsLoopback reports whether host (a name or an address, without port) is
// this machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newHTTPClient is the client NewClient uses by default, with tlsCfg.
func newHTTPClient(tlsCfg *tls.Config) *http.Client {
	hc := defaultHTTPClient()
	hc.Transport.(*http.Transport).TLSClientConfig = tlsCfg
	return hc
}
