package sender

import (
	"math/rand/v2"
	"time"
)

// Backoff is exponential backoff with full jitter: the n-th wait (from 0) is
// uniformly random in [0, min(Max, Base·2ⁿ)].
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// Ceiling is the upper bound of the n-th wait.
func (b Backoff) Ceiling(n int) time.Duration {
	d := b.Base
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Wait is the n-th wait, drawn from [0, Ceiling(n)].
func (b Backoff) Wait(n int) time.Duration {
	c := b.Ceiling(n)
	if c <= 0 {
		return 0
	}
	return rand.N(c + 1)
}
