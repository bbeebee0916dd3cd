package domain

// TaskStatus is where a pick task is.
type TaskStatus string

// Task statuses.
const (
	TaskOpen       TaskStatus = "open"
	TaskClaimed    TaskStatus = "claimed"
	TaskInProgress TaskStatus = "in_progress"
	TaskDone       TaskStatus = "done"
	TaskCancelled  TaskStatus = "cancelled"
)

// Task is a pick task: the lines of one order to pick into one tote, held by one user.
// In cluster picking one user holds several, each picked into its own tote on the cart.
type Task struct {
	ID      string     `json:"id"`
	OrderID string     `json:"order_id"`
	Status  TaskStatus `json:"status"`
	UserID  string     `json:"user_id,omitempty"`
	Tote    string     `json:"tote,omitempty"`
	Lines   []TaskLine `json:"lines"`
	// Cluster is the cluster the task was claimed in (cluster picking), and
	// Position its cart position there, from 1; both empty for a task
	// claimed on its own.
	Cluster  string `json:"cluster,omitempty"`
	Position int    `json:"position,omitempty"`
}

// TaskLine is one pick: take Qty of SKU from Location.
type TaskLine struct {
	Line     int    `json:"line"` // the order line number
	SKU      string `json:"sku"`
	Location string `json:"location"`
	Qty      int    `json:"qty"`
	Picked   int    `json:"picked"`
	Short    int    `json:"short"`
	Done     bool   `json:"done"`
	// KnownLots are the lots of a lot-tracked item at Location, first
	// expiry first, as the hub knows them at the claim: a picked lot must
	// be one of them (none known: any lot).
	KnownLots []LotExpiry `json:"known_lots,omitempty"`
}

// ShortReason says why a line was short picked.
type ShortReason string

// Short pick reasons.
const (
	ShortNotFound ShortReason = "not_found"
	ShortDamaged  ShortReason = "damaged"
	ShortQty      ShortReason = "short"
	// ShortAtPack: picked, but missing from the tote at the pack station.
	// Recorded by the hub on pack backorders; not a picker's choice.
	ShortAtPack ShortReason = "missing_at_pack"
)

// ShortReasons lists the reasons in menu order.
func ShortReasons() []ShortReason { return []ShortReason{ShortNotFound, ShortDamaged, ShortQty} }

// Label is the reason as a worker reads it.
func (r ShortReason) Label() string {
	switch r {
	case ShortNotFound:
		return "Not found"
	case ShortDamaged:
		return "Damaged"
	case ShortQty:
		return "Short"
	case ShortAtPack:
		return "Missing at packing"
	}
	return string(r)
}

// Valid reports whether r is a known reason.
func (r ShortReason) Valid() bool {
	for _, k := range ShortReasons() {
		if r == k {
			return true
		}
	}
	return false
}
