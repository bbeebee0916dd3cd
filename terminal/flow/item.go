package flow

import (
	"slices"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// itemMatches reports whether a scan identifies the item: its GTIN, SKU or
// one of its barcodes.
func itemMatches(c barcode.Classified, it domain.Item) bool {
	if c.GTIN != "" {
		return c.GTIN == it.GTIN
	}
	if c.Code == "" {
		return false
	}
	return c.Code == it.SKU || slices.Contains(it.Barcodes, c.Code)
}

// identityOf takes a lot or serial of item it from a scan: the GS1 AI value
// fromGS1 when the scan carries it, else the scanned text when it is
// nothing the site knows; "" when the scan holds neither. wrongItem says
// the scan carries the lot or serial of another item (its GTIN).
func identityOf(c barcode.Classified, fromGS1 string, it domain.Item) (value string, wrongItem bool) {
	switch {
	case fromGS1 != "":
		if c.GTIN != "" && c.GTIN != it.GTIN {
			return "", true
		}
		return fromGS1, false
	case c.Kind == barcode.KindUnknown && c.Code != "":
		return c.Code, false
	}
	return "", false
}
