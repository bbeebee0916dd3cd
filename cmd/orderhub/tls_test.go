package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCA makes a self-signed CA and a certificate it signs for 127.0.0.1,
// written as PEM files in dir.
func testCA(t *testing.T, dir string) (caFile, certFile, keyFile string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rfterm test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "orderhub"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return p
	}
	return write("ca.pem", "CERTIFICATE", caDER), write("hub.pem", "CERTIFICATE", leafDER), write("hub.key", "EC PRIVATE KEY", keyDER)
}

// Finding 9 (TLS): orderhub serves HTTPS; a client verifying against the
// site's CA enrols and syncs; one that does not know the CA is refused.
func TestHTTPSWithASelfSignedCA(t *testing.T) {
	dir := t.TempDir()
	caFile, certFile, keyFile := testCA(t, dir)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	logs := &syncBuffer{}
	go func() {
		done <- run(ctx, []string{"--listen", addr, "--db", filepath.Join(dir, "hub.db"), "--seed", "demo",
			"--tls-cert", certFile, "--tls-key", keyFile}, logs)
	}()
	defer func() { cancel(); <-done }()

	client, err := api.NewClientFor("https://"+addr, api.TransportConfig{CAFile: caFile})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return client.Health(c) == nil
	}, 10*time.Second, 20*time.Millisecond, "orderhub did not come up over HTTPS: %s", logs)
	reg, err := client.Register(context.Background(), api.RegisterRequest{DeviceID: "gun-tls", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	orders, err := client.WithToken(reg.Token).Orders(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, orders)

	stranger, err := api.NewClientFor("https://"+addr, api.TransportConfig{})
	require.NoError(t, err)
	err = stranger.Health(context.Background())
	require.Error(t, err, "the system roots do not know the site's CA")
	assert.Contains(t, err.Error(), "certificate")

	plain := api.NewClient("http://"+addr, nil)
	require.Error(t, plain.Health(context.Background()), "no plain HTTP on the TLS port")
}

// Plain HTTP is refused off loopback, at the hub and at the client, unless
// asked for.
func TestPlainHTTPOnlyOnLoopback(t *testing.T) {
	_, err := parseFlags([]string{"--listen", "0.0.0.0:8080", "--db", "x"}, os.Stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--tls-cert")
	_, err = parseFlags([]string{"--listen", "0.0.0.0:8080", "--db", "x", "--plain-http"}, os.Stderr)
	require.NoError(t, err)
	_, err = parseFlags([]string{"--listen", "127.0.0.1:8080", "--db", "x", "--tls-cert", "c.pem"}, os.Stderr)
	require.Error(t, err, "half a TLS set-up")

	_, err = api.NewClientFor("http://hub.example:8080", api.TransportConfig{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "in clear")
	_, err = api.NewClientFor("http://hub.example:8080", api.TransportConfig{PlainHTTP: true})
	require.NoError(t, err)
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2"} {
		_, err = api.NewClientFor(u, api.TransportConfig{})
		require.NoError(t, err, u)
	}
	_, err = api.NewClientFor("https://127.0.0.1:1", api.TransportConfig{CAFile: "/nonexistent/ca.pem"})
	require.Error(t, err)
}
