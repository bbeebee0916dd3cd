package api

import "github.com/rfterm/rfterm/domain"

// PackWorkResponse is what a pack station needs to pack an order, found by a
// tote or an order id: the order, what picking confirmed for each line (with
// lots and serials), the item rows and the site's carton types.
type PackWorkResponse struct {
	Order       domain.Order        `json:"order"`
	Tote        string              `json:"tote,omitempty"`
	Picked      []domain.PickLine   `json:"picked"`
	Items       []domain.Item       `json:"items"`
	CartonTypes []domain.CartonType `json:"carton_types"`
	// HeldCartons are the closed cartons of the order's held shipment: a
	// station resumes the pack with them (flow.PackWork.Held) and says so
	// in its pack.started (resume, kept).
	HeldCartons []domain.PackCarton `json:"held_cartons,omitempty"`
	// Carrier is the order's carrier as the site configures it (its name
	// for the labels); nil when the order names none.
	Carrier *domain.Carrier `json:"carrier,omitempty"`
}

// SSCCBlockRequest reserves serial references for a device's SSCCs.
type SSCCBlockRequest struct {
	Count int `json:"count"` // how many serial references (the hub may give fewer)
}

// SSCCBlock is a range of serial references reserved for one device, never
// handed to another: SSCC = Extension + CompanyPrefix + serial reference
// (zero-padded to 16 - len(CompanyPrefix) digits) + check digit.
type SSCCBlock struct {
	Extension     string `json:"extension"`      // one digit
	CompanyPrefix string `json:"company_prefix"` // the site's GS1 company prefix, 7 to 10 digits
	First         uint64 `json:"first"`          // the first serial reference
	Count         int    `json:"count"`
}
