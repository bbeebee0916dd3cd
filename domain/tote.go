package domain

// ToteState says what a tote holds, as the hub tracks it from the pick,
// pack and cancel events.
type ToteState string

// Tote states. Only a picked tote is busy: it holds an order's picked,
// unpacked goods and takes no other order until they are packed or
// released.
const (
	TotePicked   ToteState = "picked"   // picked into (a task started or a line picked), not yet packed
	TotePacked   ToteState = "packed"   // its order's shipment is confirmed: the tote is empty
	ToteReleased ToteState = "released" // its order was cancelled: the goods go back to stock
)

// ToteHold is a busy tote and the order whose goods it holds.
type ToteHold struct {
	Tote    string `json:"tote"`
	OrderID string `json:"order_id"`
}
