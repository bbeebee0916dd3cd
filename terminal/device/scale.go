package device

import (
	"context"

	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/scale"
)

// ScaleReader reads a pack station's scale for the session: a stable weight,
// waiting through unsteady readings until ctx ends.
type ScaleReader struct {
	Scale *scale.Scale
}

// Weigh implements session.Scale.
func (r ScaleReader) Weigh(ctx context.Context) (flow.Weighing, error) {
	w, err := r.Scale.Stable(ctx)
	if err != nil {
		return flow.Weighing{}, err
	}
	return flow.Weighing{Milligrams: w.Milligrams, Stable: w.Stable, Source: r.Scale.Name()}, nil
}
