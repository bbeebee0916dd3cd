package scanner

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWedgeHoldsNoMoreThanMaxLength: a paste of 30,000 characters at scan
// speed is never held whole: past MaxLength the held keys come back as
// typing, the rest passes straight through, and nothing of it is a scan;
// the next real scan is one again.
func TestWedgeHoldsNoMoreThanMaxLength(t *testing.T) {
	w, rec := runWedge(t, WedgeConfig{MaxKeyGap: Duration(time.Hour)})
	ty := &typist{at: time.Now()}
	most := 0
	var out strings.Builder
	for _, k := range ty.text(strings.Repeat("x", 30000), time.Millisecond) {
		for _, o := range w.Key(k) {
			out.WriteRune(keyText(o))
		}
		most = max(most, w.Pending())
	}
	assert.LessOrEqual(t, most, DefaultWedgeMaxLength, "the wedge never holds more than a scan can be")
	assert.Equal(t, 30000, out.Len(), "every key came back as typing, in order")
	assert.Equal(t, "\r", feed(w, ty.text("\r", time.Millisecond)), "Enter ends the typing")
	rec.noScan(t)

	assert.Empty(t, feed(w, ty.text("T00001\r", time.Millisecond)))
	require.Equal(t, "T00001", rec.nextScan(t).Data, "a scan after the paste is a scan")
}
