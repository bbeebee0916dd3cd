// Package domain holds the warehouse vocabulary shared by every other package:
// items, locations, users, orders, pick tasks, carton types and the events a
// device sends to the order hub. It has no dependencies beyond the standard
// library and no behaviour beyond small, pure helpers.
package domain
