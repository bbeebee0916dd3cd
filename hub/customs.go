package hub

import (
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Customs data on the hub: the item master carries each item's HS code,
// country of origin and customs value (domain.Customs), checked when the site
// is seeded; a ship confirmation naming a commercial invoice (ShipConfirm's
// Invoice) has the invoice made from its cartons and the item master, the
// same way the pack station made it (domain.NewCustomsInvoice), and kept
// with the shipment.

// validateCustoms checks the customs data the site's items carry, their
// countries and currencies against the ISO lists embedded in barcode/gs1.
func validateCustoms(site domain.Site) error {
	for _, it := range site.Items {
		c := it.Customs
		if err := c.Validate(); err != nil {
			return fmt.Errorf("item %s: %w", it.SKU, err)
		}
		if c.Origin != "" && !gs1.IsCountryAlpha2(c.Origin) {
			return fmt.Errorf("item %s: %w: country of origin %q is not an ISO 3166 alpha-2 code", it.SKU, domain.ErrCustoms, c.Origin)
		}
		if c.Currency != "" && !gs1.IsCurrencyAlpha(c.Currency) {
			return fmt.Errorf("item %s: %w: currency %q is not an ISO 4217 code", it.SKU, domain.ErrCustoms, c.Currency)
		}
	}
	return nil
}

// shipmentInvoice makes the commercial invoice a ship confirmation names,
// nil when it names none. An invoice that cannot be made (an item without
// customs data, a bad reference) rejects the confirmation: the pack station
// printed one, so the hub must be able to keep it.
func shipmentInvoice(tx storage.Tx, order domain.Order, p domain.ShipConfirm) (*domain.CustomsInvoice, error) {
	if p.Invoice == nil {
		return nil, nil
	}
	var skus []string
	for _, c := range p.Cartons {
		for _, ct := range c.Contents {
			skus = append(skus, ct.SKU)
		}
	}
	list, err := getEach[domain.Item](tx.Bucket(bucketItems), "item", skus)
	if err != nil {
		return nil, err
	}
	items := make(map[string]domain.Item, len(list))
	for _, it := range list {
		items[it.SKU] = it
	}
	inv, err := domain.NewCustomsInvoice(*p.Invoice, order.ID, order.ShipTo, p.Cartons, items)
	if err != nil {
		return nil, reject(api.CodeBadRequest, "order %s: %v", order.ID, err)
	}
	return &inv, nil
}
