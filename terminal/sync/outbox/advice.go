package outbox

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// Advice is what the needs-attention list shows for a rejected event: why
// the hub said no, in a few words, and what a person should do about it.
type Advice struct {
	Reason string // e.g. "Order cancelled"
	Action string // e.g. "Return the items in the tote to stock."
}

// AdviceFor maps a hub rejection code to words for the worker and the lead.
func AdviceFor(code string) Advice {
	switch code {
	case api.CodeOrderCancelled:
		return Advice{"Order cancelled", "Stop picking it. Return the items in the tote to their locations, then scan the next task."}
	case api.CodeTaskNotHeld:
		return Advice{"Task reassigned", "Someone else has this task now. Hand the tote to the lead; do not pick more for it."}
	case api.CodeOverQuantity:
		return Advice{"More than the line needs", "Put the extra units back in the location and tell the lead the count."}
	case api.CodeUnknownItem:
		return Advice{"Unknown item", "Keep the item aside and ask the lead to check the item master."}
	case api.CodeUnknownLine, api.CodeNotFound:
		return Advice{"Unknown task line or location", "Keep what you picked aside and ask the lead to check the task."}
	case api.CodeBadRequest:
		return Advice{"The hub could not read this step", "Ask the lead to report it to support with the device id."}
	case api.CodeEventConflict:
		return Advice{"Step sent twice with changes", "The hub kept the first version. Ask the lead to check the task."}
	case api.CodeForbidden, api.CodeUnauthorized, api.CodeDeviceNotEnrolled:
		return Advice{"Device not enrolled", "Ask the lead to enrol the device again."}
	case api.CodeOrderShipped:
		return Advice{"Order shipped already", "Do not ship it again: keep the cartons aside and call the lead."}
	case api.CodeNotPacking:
		return Advice{"Packed on another station", "Keep the cartons aside and ask the lead which station has the order."}
	case api.CodeSSCCInvalid, api.CodeSSCCUsed:
		return Advice{"Carton label not valid", "Unpack the carton and pack it again for a new SSCC label; remove the old label."}
	case api.CodeShipIncomplete:
		return Advice{"Order must ship complete", "Hold the order: it may not ship with items missing."}
	case api.CodeAlreadyCounted:
		return Advice{"Location counted already", "Nothing to do: the other count stands. Go on to the next location."}
	case api.CodeRMAClosed:
		return Advice{"Return received already", "Keep the items aside and ask the lead to check the RMA."}
	case CodeUnreadable:
		return Advice{"Step unreadable on this device", "The hub never got this step. Tell the lead which task you were on so it can be entered again."}
	case api.CodeUnknownSSCC:
		return Advice{"Carton not shipped", "Take the carton off the trailer or out of the lane and give it to the lead: no shipment has its SSCC."}
	case api.CodeWrongLoad:
		return Advice{"Carton on the wrong load", "Take the carton off that trailer or lane; the lead says which load it goes on."}
	case api.CodeOrderHeld:
		return Advice{"Order held, not shipped", "Take the carton off the trailer and to the exception lane; tell the lead."}
	case api.CodeAlreadyLoaded:
		return Advice{"Carton loaded already", "It was scanned twice or is on another trailer: ask the lead to check the load."}
	case api.CodeLoadClosed:
		return Advice{"Load closed already", "The doors were shut before this step: take the carton to the lead for the next load."}
	case api.CodeLoadIncomplete:
		return Advice{"Load not complete", "The hub kept the load open: load what is missing, or close it short with a lead."}
	case api.CodeOverrideInvalid:
		return Advice{"Short close not allowed", "The lead's override was not accepted: the lead logs in at this gun with badge and PIN and closes it again."}
	case api.CodeSerialNotShipped:
		return Advice{"Serial not shipped on this order", "Keep the unit aside as unexpected and ask the lead."}
	}
	return Advice{"Refused by the hub (" + code + ")", "Ask the lead to check this step."}
}

// AdviceForEvent is AdviceFor a refusal of an event of type typ: a dock
// step's (a carton staged or loaded, a load closed) refused because its
// order was cancelled is about a carton in a lane or on a trailer, not a
// tote being picked.
func AdviceForEvent(code string, typ domain.EventType) Advice {
	if code == api.CodeOrderCancelled && dockEvent(typ) {
		return Advice{"Order cancelled", "Take the carton off the trailer or out of the lane and give it to the lead: the order will not ship."}
	}
	return AdviceFor(code)
}

// dockEvent reports whether typ is a dock step's event.
func dockEvent(typ domain.EventType) bool {
	switch typ {
	case domain.EventCartonStaged, domain.EventCartonLoaded, domain.EventLoadClosed:
		return true
	}
	return false
}

// Advice is the advice for this rejection.
func (r Rejected) Advice() Advice {
	if r.Code == CodeUnreadable {
		return Advice{"Step unreadable on this device", fmt.Sprintf(
			"The hub never got step %d. Tell the lead which task you were on so it can be entered again.", r.Event.Seq)}
	}
	return AdviceForEvent(r.Code, r.Event.Type)
}

// Dismiss takes a rejected event off the needs-attention list once a person
// has dealt with it. Dismissing one that is not there is not an error.
func (s *Store) Dismiss(seq uint64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		attention := tx.Bucket(bucketAttention)
		raw := attention.Get(kv.SeqKey(seq))
		if raw == nil {
			return nil
		}
		user := rejectedUser(raw)
		s.onCommit(tx, func(c *counts) { c.attnBy[user]-- })
		return attention.Delete(kv.SeqKey(seq))
	})
	if err != nil {
		return fmt.Errorf("dismiss %d: %w", seq, err)
	}
	return nil
}
