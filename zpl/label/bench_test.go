package label_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/rfterm/rfterm/zpl"
)

// BenchmarkBuild measures building each sample label and reports its size.
func BenchmarkBuild(b *testing.B) {
	s := samples()
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
			b.Run(fmt.Sprintf("%s-%d", name, dpi), func(b *testing.B) {
				b.ReportAllocs()
				var n int
				for b.Loop() {
					out, err := s[name].Build(dpi)
					if err != nil {
						b.Fatal(err)
					}
					n = len(out)
				}
				b.ReportMetric(float64(n), "bytes/label")
			})
		}
	}
}
