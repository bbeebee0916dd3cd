package domain

import "time"

// CountBy says how a lead chose the locations of a count task.
type CountBy string

// Ways to create count tasks. A recount is made by the hub, never asked for.
const (
	CountByLocations CountBy = "locations" // a list of location codes
	CountByZone      CountBy = "zone"      // every location of a zone
	CountByItem      CountBy = "item"      // every location holding an item
	CountByABC       CountBy = "abc"       // locations whose item's ABC class is due for a count
	CountByRecount   CountBy = "recount"   // made by the hub when a count is beyond the variance threshold
)

// ABCClass ranks items by velocity: A items are counted most often, C least.
type ABCClass string

// ABC classes.
const (
	ClassA ABCClass = "A"
	ClassB ABCClass = "B"
	ClassC ABCClass = "C"
)

// Valid reports whether c is A, B or C.
func (c ABCClass) Valid() bool { return c == ClassA || c == ClassB || c == ClassC }

// CountTask is a cycle count of one or more locations, held by one user.
// It never carries the system quantities: the count is blind.
type CountTask struct {
	ID        string     `json:"id"`
	Status    TaskStatus `json:"status"`
	By        CountBy    `json:"by"`
	UserID    string     `json:"user_id,omitempty"` // who holds it
	Locations []string   `json:"locations"`         // in walk order
	Counted   []string   `json:"counted"`           // locations submitted so far
	// RecountOf is the count task whose count this one checks.
	RecountOf string `json:"recount_of,omitempty"`
	// NotUsers may not take the task: the users who counted the location before.
	NotUsers  []string  `json:"not_users,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// StockQty is a quantity of an item held at a location (the hub's system quantity).
type StockQty struct {
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
}

// CountPolicy is a site's cycle count configuration.
type CountPolicy struct {
	// A count is beyond the variance threshold, and gets a recount by another
	// user, when the difference of some item exceeds all three limits:
	// units, percent of the system quantity and value.
	VarianceUnits   int     `json:"variance_units"`
	VariancePercent float64 `json:"variance_percent"`
	VarianceCents   int     `json:"variance_value_cents"`
	// An adjustment whose value (sum of |difference| x unit price) is above
	// this waits for a lead's approval; at or below it is applied at once.
	ApprovalCents int `json:"approval_value_cents"`
	// How often each ABC class is due for a count, in days.
	DaysA int `json:"days_a"`
	DaysB int `json:"days_b"`
	DaysC int `json:"days_c"`
	// ABC classes come from the units picked over this many days: the items
	// making the first ShareA percent of units are A, the next ShareB percent B.
	VelocityDays int     `json:"velocity_days"`
	ShareA       float64 `json:"share_a"`
	ShareB       float64 `json:"share_b"`
	// MaxCounts is how many counts of one location are taken before the
	// latest is proposed as the adjustment (it then always needs approval).
	MaxCounts int `json:"max_counts"`
}

// DefaultCountPolicy is the policy of a site that sets none.
func DefaultCountPolicy() CountPolicy {
	return CountPolicy{
		VarianceUnits: 2, VariancePercent: 5, VarianceCents: 2000, ApprovalCents: 10000,
		DaysA: 30, DaysB: 90, DaysC: 180, VelocityDays: 90, ShareA: 80, ShareB: 15, MaxCounts: 3,
	}
}

// CountScan is one unknown barcode counted at a location, kept for review.
type CountScan struct {
	Code string `json:"code"`
	Qty  int    `json:"qty"`
}

// CountLine is the counted quantity of one item at a location.
type CountLine struct {
	SKU     string   `json:"sku"`
	Qty     int      `json:"qty"`
	Lots    []LotQty `json:"lots,omitempty"`
	Serials []string `json:"serials,omitempty"`
}

// CountSubmitted is the payload of EventCountSubmitted: one location counted.
// Empty is the counter's explicit confirmation that the location holds
// nothing; a count with no lines and Empty false is refused.
type CountSubmitted struct {
	TaskID   string      `json:"task_id"`
	Location string      `json:"location"`
	Empty    bool        `json:"empty"`
	Lines    []CountLine `json:"lines,omitempty"`
	Unknown  []CountScan `json:"unknown,omitempty"`
}
