package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// Error codes of the pack station's calls and events.
const (
	// CodeOrderShipped: the order has shipped already (a pack lookup: 409;
	// a pack event: rejected).
	CodeOrderShipped = "order_shipped"
	// CodeNotPacking: a pack event for an order no pack of this device has
	// started (or another station took it over).
	CodeNotPacking = "not_packing"
	// CodeSSCCInvalid: an SSCC that is not 18 digits with a valid check
	// digit, or not inside a block reserved by the device that used it.
	CodeSSCCInvalid = "sscc_invalid"
	// CodeSSCCUsed: an SSCC used before (on another carton, or voided).
	CodeSSCCUsed = "sscc_used"
	// CodeShipIncomplete: a ship-complete order confirmed with units short.
	CodeShipIncomplete = "ship_incomplete"
	// CodeSSCCExhausted: the company prefix has no serial references left (409).
	CodeSSCCExhausted = "sscc_exhausted"
	// CodeNotConfigured: the site has no GS1 company prefix or extension digit (409).
	CodeNotConfigured = "not_configured"
)

// MaxSSCCBlock is the most serial references one SSCCBlockRequest gets.
const MaxSSCCBlock = 10000

// SSCCReservation is a block as the hub records it: reserved for one
// device, forever.
type SSCCReservation struct {
	SSCCBlock
	DeviceID   string    `json:"device_id"`
	ReservedAt time.Time `json:"reserved_at"`
}

// SSCC is the block's i-th SSCC (i from 0): extension digit, company prefix,
// serial reference First+i zero-padded to 16-len(CompanyPrefix) digits,
// and the GS1 check digit.
func (b SSCCBlock) SSCC(i int) (string, error) {
	if i < 0 || i >= b.Count {
		return "", fmt.Errorf("SSCC %d of a block of %d", i, b.Count)
	}
	if len(b.Extension) != 1 || len(b.CompanyPrefix) < 7 || len(b.CompanyPrefix) > 10 {
		return "", fmt.Errorf("SSCC block: extension %q or company prefix %q is malformed", b.Extension, b.CompanyPrefix)
	}
	width := 16 - len(b.CompanyPrefix)
	serial := strconv.FormatUint(b.First+uint64(i), 10)
	if len(serial) > width {
		return "", fmt.Errorf("SSCC block: serial reference %s is over %d digits", serial, width)
	}
	body := b.Extension + b.CompanyPrefix + strings.Repeat("0", width-len(serial)) + serial
	check, ok := barcode.CheckDigit(body)
	if !ok {
		return "", fmt.Errorf("SSCC block: %q is not all digits", body)
	}
	return body + string(check), nil
}
