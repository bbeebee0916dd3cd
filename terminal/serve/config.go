package serve

import (
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"golang.org/x/crypto/bcrypt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// Defaults of Config's durations.
const (
	DefaultKeep      = time.Hour
	DefaultIdle      = 30 * time.Minute
	DefaultKeepAlive = 20 * time.Second
)

// Config is an edge server's configuration.
type Config struct {
	// Dir holds the server's state: guns/<device>.db (each gun's device
	// store: its work, its outbox towards the hub, its token) and the SSH
	// host key (ssh_host_ed25519_key) unless HostKey says otherwise.
	Dir string
	// HostKey is the SSH host key's file, made on first start and kept.
	HostKey string

	Hub       string // the hub's base URL
	EnrollKey string // each gun enrols with it once, as its own device
	Transport api.TransportConfig
	Sender    sender.SenderConfig

	Rules        *barcode.Rules
	Wedge        scanner.WedgeConfig // how scans typed by the gun are told from typing
	Demo         bool                // show the barcode each step wants
	DemoBadge    string
	DemoLocation string
	ClusterPick  bool // offer cluster picking
	Dock         bool // offer stage and load: the guns are the dock's

	SSH    string // SSH listen address; "" for none
	Telnet string // telnet listen address; "" (the default) for none
	Status string // the status listing's HTTP listen address (GET /sessions); "" for none
	// Open lets any device id in without a credential: the demo, on loopback.
	Open bool

	Keep      time.Duration // how long a gun's session outlives its connection (default 1h)
	Idle      time.Duration // no key for this long logs the user out, work saved (default 30m)
	KeepAlive time.Duration // SSH keepalive interval (default 20s); 3 missed close the connection
	Tick      time.Duration // how often keep and idle limits are checked (default 1s)

	Profiles map[string]KeyProfile // key profiles by gun model
	Guns     []Gun

	Log *slog.Logger
	Now func() time.Time // default time.Now
}

// Gun is one RF gun allowed in: its device id and its credentials.
type Gun struct {
	Device string `json:"device"` // the SSH user name; the id typed at the telnet prompt
	// PasswordHash is a bcrypt hash (`rfterm serve --hash-password`); compared in constant time.
	PasswordHash string `json:"password_hash,omitempty"`
	// AuthorizedKeys are public keys in authorized_keys form.
	AuthorizedKeys []string `json:"authorized_keys,omitempty"`
	Profile        string   `json:"profile,omitempty"` // its model's key profile
	Term           string   `json:"term,omitempty"`    // pin a terminal type (e.g. "vt220") whatever the client says
	Telnet         bool     `json:"telnet,omitempty"`  // may connect over telnet (asked its password if it has one)
}

// deviceID is what a device id may be: it names the gun's store file.
var deviceID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidDevice reports whether id can be a device id.
func ValidDevice(id string) bool { return deviceID.MatchString(id) }

// gunAuth is a gun's credentials, parsed once.
type gunAuth struct {
	Gun
	keys   [][]byte // wire form of each authorized key
	hash   []byte
	keyMap *keyMap
}

// parseGuns checks the guns and their profiles.
func parseGuns(guns []Gun, profiles map[string]KeyProfile) (map[string]*gunAuth, error) {
	maps := map[string]*keyMap{}
	for name, p := range profiles {
		m, err := newKeyMap(p)
		if err != nil {
			return nil, fmt.Errorf("profile %q: %w", name, err)
		}
		maps[name] = m
	}
	out := map[string]*gunAuth{}
	for _, g := range guns {
		if !ValidDevice(g.Device) {
			return nil, fmt.Errorf("gun %q: a device id is 1–64 letters, digits, '.', '_' or '-'", g.Device)
		}
		if out[g.Device] != nil {
			return nil, fmt.Errorf("gun %q is listed twice", g.Device)
		}
		a := &gunAuth{Gun: g}
		if g.PasswordHash != "" {
			if _, err := bcrypt.Cost([]byte(g.PasswordHash)); err != nil {
				return nil, fmt.Errorf("gun %q: password_hash: %w", g.Device, err)
			}
			a.hash = []byte(g.PasswordHash)
		}
		for _, k := range g.AuthorizedKeys {
			pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k))
			if err != nil {
				return nil, fmt.Errorf("gun %q: authorized key: %w", g.Device, err)
			}
			a.keys = append(a.keys, pk.Marshal())
		}
		if g.Profile != "" {
			if a.keyMap = maps[g.Profile]; a.keyMap == nil {
				return nil, fmt.Errorf("gun %q: no key profile %q", g.Device, g.Profile)
			}
		}
		out[g.Device] = a
	}
	return out, nil
}

// HashPassword makes the bcrypt hash a gun's password_hash holds.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}
