package domain

import "fmt"

// Bounds of a ClusterPolicy: what a site's configuration may ask for.
const (
	MaxClusterOrders = 24        // cart positions: no cart carries more totes
	MaxClusterLines  = 1000      // the largest line limit for a small order
	MaxClusterUnits  = 1_000_000 // the largest unit limit for a small order
)

// ClusterPolicy is a site's cluster picking configuration: a picker takes up
// to MaxOrders small orders at once, one tote per order on a cart, and walks
// their merged lines once. An order is small when its pick task has at most
// MaxLines lines and MaxUnits units; a zero limit does not apply, but at least
// one of them must be set.
type ClusterPolicy struct {
	MaxOrders int `json:"max_orders"` // orders (cart positions) in one cluster, 1 to MaxClusterOrders
	MaxLines  int `json:"max_lines"`  // lines of a small order, 0 (no limit) to MaxClusterLines
	MaxUnits  int `json:"max_units"`  // units of a small order, 0 (no limit) to MaxClusterUnits
}

// DefaultClusterPolicy is the policy of a site that configures none: four
// orders of at most three lines and ten units each.
func DefaultClusterPolicy() ClusterPolicy {
	return ClusterPolicy{MaxOrders: 4, MaxLines: 3, MaxUnits: 10}
}

// Validate checks the policy's numbers against their bounds.
func (p ClusterPolicy) Validate() error {
	switch {
	case p.MaxOrders < 1 || p.MaxOrders > MaxClusterOrders:
		return fmt.Errorf("cluster: max_orders %d is not 1 to %d", p.MaxOrders, MaxClusterOrders)
	case p.MaxLines < 0 || p.MaxLines > MaxClusterLines:
		return fmt.Errorf("cluster: max_lines %d is not 0 to %d", p.MaxLines, MaxClusterLines)
	case p.MaxUnits < 0 || p.MaxUnits > MaxClusterUnits:
		return fmt.Errorf("cluster: max_units %d is not 0 to %d", p.MaxUnits, MaxClusterUnits)
	case p.MaxLines == 0 && p.MaxUnits == 0:
		return fmt.Errorf("cluster: set max_lines or max_units (or both), or every order is small")
	}
	return nil
}

// Small reports whether a pick task is small enough to go in a cluster.
func (p ClusterPolicy) Small(t Task) bool {
	units := 0
	for _, l := range t.Lines {
		units += l.Qty
	}
	return (p.MaxLines == 0 || len(t.Lines) <= p.MaxLines) && (p.MaxUnits == 0 || units <= p.MaxUnits)
}
