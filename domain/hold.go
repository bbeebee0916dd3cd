package domain

// HoldReason says why an order left the pack station without shipping.
type HoldReason string

// Hold reasons. The first ones are the packer's choices for the exception
// lane, in menu order (ExceptionReasons).
const (
	HoldWeight        HoldReason = "weight_mismatch" // the carton's weight is wrong and a recount did not explain it
	HoldDamaged       HoldReason = "damaged"         // an item is damaged
	HoldWrongItem     HoldReason = "wrong_item"      // the tote holds something the order does not
	HoldOther         HoldReason = "other"           // for the supervisor
	HoldShipComplete  HoldReason = "ship_complete"   // short, and the order ships complete or not at all
	HoldNothingToPack HoldReason = "nothing_to_pack" // every line is short
)

// ExceptionReasons lists the reasons a packer may choose, in menu order.
func ExceptionReasons() []HoldReason {
	return []HoldReason{HoldWeight, HoldDamaged, HoldWrongItem, HoldOther}
}

// Label is the reason as a packer reads it.
func (r HoldReason) Label() string {
	switch r {
	case HoldWeight:
		return "Weight mismatch"
	case HoldDamaged:
		return "Damaged item"
	case HoldWrongItem:
		return "Wrong item in tote"
	case HoldOther:
		return "Other"
	case HoldShipComplete:
		return "Short, ships complete"
	case HoldNothingToPack:
		return "Nothing to pack"
	}
	return string(r)
}
