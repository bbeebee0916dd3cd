package domain

// Site is everything the hub is seeded with: the demo site, or a small site's master data.
type Site struct {
	Name        string       `json:"name"`
	EnrollKey   string       `json:"enroll_key"` // devices present it once to get their token
	Items       []Item       `json:"items"`
	Locations   []Location   `json:"locations"`
	Users       []User       `json:"users"`
	Orders      []Order      `json:"orders"`
	CartonTypes []CartonType `json:"carton_types"`
	// GS1CompanyPrefix (7 to 10 digits) and SSCCExtension (one digit) make
	// the site's SSCCs; without them the hub reserves no SSCC blocks.
	GS1CompanyPrefix string `json:"gs1_company_prefix,omitempty"`
	SSCCExtension    string `json:"sscc_extension,omitempty"`
	// Cluster configures cluster picking; without it the hub uses
	// DefaultClusterPolicy.
	Cluster *ClusterPolicy `json:"cluster,omitempty"`
	// Stock says where each SKU is picked from: SKU -> location code.
	Stock map[string]string `json:"stock"`
	// ArchiveAfterDays is how long finished work (orders shipped or
	// cancelled, with their tasks, shipments, picks and backorders; and the
	// changes feed) stays in the hub's live records before it moves to the
	// archive, where it is still read by id (0: 30 days).
	ArchiveAfterDays int `json:"archive_after_days,omitempty"`
	SiteInventory
	SiteTrust
	SiteDock
}

// SiteTrust is the part of a site seed that says who may do what and how
// much one event may carry. Every field is optional; the hub stores the
// secrets hashed, never as given.
type SiteTrust struct {
	// APIKey is the integration key for admin calls (cancel, reassign,
	// priority, site data) and for re-enrolling a device. Without it no
	// caller can make admin calls.
	APIKey string `json:"api_key,omitempty"`
	// PINs are the users' PINs (user id -> PIN) for lead sessions: a lead
	// proves who they are with badge and PIN before a lead action.
	PINs map[string]string `json:"pins,omitempty"`
	// MaxEventQty is the largest quantity one event may carry (0: the
	// hub's default).
	MaxEventQty int `json:"max_event_qty,omitempty"`
}

// SiteInventory is the part of a site seed used by cycle counts and returns.
// It is embedded in Site; every field is optional.
type SiteInventory struct {
	// Quantities are the system quantities per location and item.
	Quantities []StockQty `json:"quantities,omitempty"`
	// CountPolicy overrides DefaultCountPolicy.
	CountPolicy *CountPolicy `json:"count_policy,omitempty"`
	// Classes sets an item's ABC class by hand: SKU -> class.
	Classes map[string]ABCClass `json:"classes,omitempty"`
	// RMAs are the returns expected.
	RMAs []RMA `json:"rmas,omitempty"`
	// Lots are the lots of lot-tracked items at their locations, with
	// expiry: a pick there must take one of them.
	Lots []LotStock `json:"lots,omitempty"`
}
