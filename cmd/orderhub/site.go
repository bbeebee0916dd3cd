package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend"
)

const siteUsage = `orderhub: usage:
  orderhub site add --db DB --id ID --seed FILE   add a site beside the default site
  orderhub site list --db DB                      list the hub's sites
DB is a bbolt file (the hub stopped) or a postgres:// URL (the hubs may run).`

// runSite runs `orderhub site add` and `orderhub site list`. A site added
// has its own master data, orders, users, keys, SSCC settings and
// policies (all from its seed file); its enrol key enrols devices into it
// and its API key acts for it alone. The default site is the one `orderhub
// --seed` loads, and comes first. A bbolt file is opened only while no hub
// holds it (stop the hub, add the site, start it again); a PostgreSQL
// database at any time, its hubs running (they serve the site at once). A
// server off loopback is reached over TLS only (checkDBTransport). The list
// goes to stdout; messages and errors to stderr.
func runSite(ctx context.Context, args []string, stdout, out io.Writer) int {
	if len(args) == 0 || args[0] != "add" && args[0] != "list" {
		fmt.Fprintln(out, siteUsage)
		return 2
	}
	fs := flag.NewFlagSet("orderhub site "+args[0], flag.ContinueOnError)
	fs.SetOutput(out)
	db := fs.String("db", "", "the hub's database: a bbolt file, or postgres://…")
	plainDB := fs.Bool("plain-db", false, "reach a PostgreSQL server off loopback without TLS")
	id := fs.String("id", "", "the new site's id: 1 to 32 letters, digits, '-' or '_'")
	from := fs.String("seed", "", `the new site's JSON (domain.Site, as for --seed)`)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	add := args[0] == "add"
	if *db == "" || fs.NArg() > 0 || add && (*id == "" || *from == "") || !add && (*id != "" || *from != "") {
		fmt.Fprintln(out, siteUsage)
		return 2
	}
	warning, err := checkDBTransport(*db, *plainDB)
	if err != nil {
		fmt.Fprintln(out, "orderhub:", err)
		return 2
	}
	if warning != "" {
		fmt.Fprintln(out, "orderhub: warning:", warning)
	}
	sdb, err := backend.Open(ctx, *db, backend.Options{Timeout: 2 * time.Second})
	if err != nil {
		fmt.Fprintln(out, "orderhub:", err)
		return 1
	}
	store := hub.New(sdb, hub.WithMaintainEvery(0))
	defer store.Close()
	if add {
		err = addSite(ctx, store, *id, *from, out)
	} else {
		err = listSites(ctx, store, stdout)
	}
	if err != nil {
		fmt.Fprintln(out, "orderhub:", err)
		return 1
	}
	return 0
}

// addSite seeds the site in file from as site id.
func addSite(ctx context.Context, store *hub.Store, id, from string, out io.Writer) error {
	site, err := loadSite(from)
	if err != nil {
		return err
	}
	if err := store.AddSite(ctx, id, site); err != nil {
		return fmt.Errorf("site add %s: %w", id, err)
	}
	fmt.Fprintf(out, "orderhub: site %s (%s) added: its devices enrol with its enroll_key\n", id, site.Name)
	return nil
}

// listSites prints the hub's sites, one a line.
func listSites(ctx context.Context, store *hub.Store, out io.Writer) error {
	sites, err := store.Sites(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tGS1 PREFIX\tSSCC EXT")
	for _, s := range sites {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.ID, s.Name, s.GS1CompanyPrefix, s.SSCCExtension)
	}
	return w.Flush()
}
