package shipdocs

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// update rewrites the golden files: go test ./shipdocs -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name byte for byte, or rewrites it
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./shipdocs -update to write %s", path)
	require.Equal(t, string(want), string(got), "%s differs; run with -update if the change is meant", path)
}

func TestGoldenFiles(t *testing.T) {
	x12, err := X12856(fixASN())
	require.NoError(t, err)
	golden(t, "asn_856.x12", x12)
	edi, err := DESADV(fixASN())
	require.NoError(t, err)
	golden(t, "asn_desadv.edi", edi)
	golden(t, "manifest.csv", ManifestCSV(Manifest(fixPapers())))
	zplLabel, err := BillOfLadingZPL(fixPapers(), 203)
	require.NoError(t, err)
	golden(t, "bol_summary_203.zpl", zplLabel)
}

func TestRenderersAreDeterministic(t *testing.T) {
	a, err := BillOfLadingPDF(fixPapers())
	require.NoError(t, err)
	b, err := BillOfLadingPDF(fixPapers())
	require.NoError(t, err)
	require.Equal(t, a, b, "the PDF carries no clock and no random id")
	x1, _ := X12856(fixASN())
	x2, _ := X12856(fixASN())
	require.Equal(t, x1, x2)
}
