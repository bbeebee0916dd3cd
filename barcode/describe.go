package barcode

import "github.com/rfterm/rfterm/barcode/gs1"

// Description is what a scan means, for people and tests: the JSON of
// `rfterm decode --json`.
type Description struct {
	Raw       string        `json:"raw"`
	AIM       string        `json:"aim"`
	Symbology string        `json:"symbology,omitempty"`
	Kind      Kind          `json:"kind"`
	Valid     bool          `json:"valid"`
	Error     string        `json:"error,omitempty"`
	Elements  []ElementInfo `json:"elements,omitempty"`
}

// ElementInfo is one GS1 element with its meaning. Date is set for date AIs
// only (YYYY-MM-DD), Decimal for measure and amount AIs only (310n–369n,
// 390n–395n: the implied point put in), Currency for amounts in a single
// monetary area (391n, 393n: the ISO 4217 alpha-3 code).
type ElementInfo struct {
	AI       string `json:"ai"`
	Title    string `json:"title"`
	Value    string `json:"value"`
	Date     string `json:"date,omitempty"`
	Decimal  string `json:"decimal,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// Describe tells what a classified scan means.
func Describe(c Classified) Description {
	d := Description{
		Raw:       c.Scan.Raw,
		AIM:       c.Scan.AIM,
		Symbology: c.Scan.Symbology,
		Kind:      c.Kind,
		Valid:     c.Err == nil,
	}
	if c.Err != nil {
		d.Error = c.Err.Error()
	}
	for _, e := range c.Elements {
		d.Elements = append(d.Elements, describeElement(e))
	}
	return d
}

func describeElement(e gs1.Element) ElementInfo {
	info := ElementInfo{AI: e.AI, Title: e.Title(), Value: e.Value}
	if t, ok := e.Date(); ok {
		info.Date = t.Format("2006-01-02")
	}
	info.Decimal, _ = e.Decimal()
	info.Currency, _ = e.Currency()
	return info
}
