package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rfterm/rfterm/terminal/serve"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// demoServe is `rfterm demo --serve`: the demo hub and an edge server on
// loopback that any device id may sign in to without a credential, until
// ctx ends.
func demoServe(ctx context.Context, dir string, port int, log *slog.Logger, s stdio) error {
	site, rules, h, err := startDemoHub(dir, log)
	if err != nil {
		return err
	}
	defer h.Shutdown(context.Background())
	srv, err := serve.New(ctx, serve.Config{Dir: filepath.Join(dir, "serve"), Hub: h.URL(), EnrollKey: site.EnrollKey, Rules: rules,
		Demo: true, DemoBadge: site.Users[0].Badge, DemoLocation: site.Locations[0].Code, ClusterPick: true, Dock: true, Open: true,
		Sender: sender.SenderConfig{Backoff: sender.Backoff{Base: 500 * time.Millisecond, Max: 5 * time.Second}, Probe: 2 * time.Second},
		Status: "127.0.0.1:0", Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		srv.Close()
		return fmt.Errorf("ssh: %w", err)
	}
	if err := srv.ServeSSH(ln); err != nil {
		ln.Close()
		srv.Close()
		return err
	}
	if err := srv.Start(); err != nil {
		srv.Close()
		return err
	}
	addrs := srv.Addrs()
	fmt.Fprintf(s.out, "Demo hub and an SSH edge server on loopback. Try, as an RF gun would (any device id, no password):\n\n")
	fmt.Fprintf(s.out, "  ssh -p %d -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null gun-01@localhost\n\n", ln.Addr().(*net.TCPAddr).Port)
	if len(addrs) > 1 {
		fmt.Fprintf(s.out, "Sessions: curl http://%s/sessions\n", addrs[len(addrs)-1])
	}
	fmt.Fprintf(s.out, "Badges U1001, U1002, U1003 (PIN 4242). Ctrl+C here stops it; data and log in %s.\n", dir)
	<-ctx.Done()
	return srv.Close()
}
