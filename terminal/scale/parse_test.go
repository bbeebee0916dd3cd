package scale

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

func TestParseReply(t *testing.T) {
	cases := []struct {
		line   string
		cmd    string
		status string
		mg     int64 // when a weight is sent
		unit   domain.WeightUnit
		err    error // of Reply.Err
	}{
		{"S S      0.525 kg", "S", "S", 525_000, domain.UnitKG, nil},
		{"S D      0.530 kg", "S", "D", 530_000, domain.UnitKG, nil},
		{"S S     -0.012 kg", "S", "S", -12_000, domain.UnitKG, nil},
		{"S S   -   12.5 g", "S", "S", -12_500, domain.UnitG, nil},
		{"S S       2.20 lb", "S", "S", 997_903, domain.UnitLB, nil},
		{"S S    1234 g", "S", "S", 1_234_000, domain.UnitG, nil},
		{"T S      0.120 kg", "T", "S", 120_000, domain.UnitKG, nil},
		{"Z A", "Z", "A", 0, "", nil},
		{"S I", "S", "I", 0, "", ErrNotExecutable},
		{"S +", "S", "+", 0, "", ErrOverload},
		{"S -", "S", "-", 0, "", ErrUnderload},
		{"Z I", "Z", "I", 0, "", ErrNotExecutable},
		{"Z +", "Z", "+", 0, "", ErrOverload},
		{"T I", "T", "I", 0, "", ErrNotExecutable},
		{"ES", "ES", "", 0, "", ErrSyntax},
		{"ET", "ET", "", 0, "", ErrTransmission},
		{"EL", "EL", "", 0, "", ErrLogical},
	}
	for _, c := range cases {
		r, err := ParseReply(c.line)
		require.NoError(t, err, c.line)
		assert.Equal(t, c.cmd, r.Command, c.line)
		assert.Equal(t, c.status, r.Status, c.line)
		assert.Equal(t, c.unit != "", r.HasWeight, c.line)
		if c.unit != "" {
			assert.Equal(t, c.mg, r.Weight.Milligrams, c.line)
			assert.Equal(t, c.unit, r.Weight.Unit, c.line)
			assert.Equal(t, c.status == "S", r.Weight.Stable, c.line)
		}
		if c.err == nil {
			assert.NoError(t, r.Err(), c.line)
		} else {
			assert.ErrorIs(t, r.Err(), c.err, c.line)
			assert.Contains(t, r.Err().Error(), c.line, "the message names the reply")
		}
	}
}

func TestParseReplyRefusesNoise(t *testing.T) {
	for _, line := range []string{
		"", "   ", "X S 1 kg", "S", "S S", "S S 0.5", "S S 0.5 stone", "S S abc kg",
		"S S 1e3 g", "S S 0.5 kg extra", "S Q", "S I now", "Z S 0.1 kg", "T D 0.1 kg",
		"S A", "ES ES", "\x00\xff", "S S inf kg",
	} {
		_, err := ParseReply(line)
		assert.ErrorIs(t, err, ErrBadReply, "%q", line)
	}
}

func TestParseContinuous(t *testing.T) {
	cases := []struct {
		line   string
		mg     int64
		unit   domain.WeightUnit
		stable bool
	}{
		{"ST,GS,   1.234kg", 1_234_000, domain.UnitKG, true},
		{"US,GS,+0001.240kg", 1_240_000, domain.UnitKG, false},
		{"ST,NT,-  0.012 kg", -12_000, domain.UnitKG, true},
		{"ST,GS,  2.72 lb", 1_233_771, domain.UnitLB, true},
		{"ST,GS, 1234 g", 1_234_000, domain.UnitG, true},
	}
	for _, c := range cases {
		w, err := ParseContinuous(c.line)
		require.NoError(t, err, c.line)
		assert.Equal(t, c.mg, w.Milligrams, c.line)
		assert.Equal(t, c.unit, w.Unit, c.line)
		assert.Equal(t, c.stable, w.Stable, c.line)
		assert.Equal(t, c.line, w.Raw)
	}
	_, err := ParseContinuous("OL,GS,+9999.99kg")
	assert.ErrorIs(t, err, ErrOverload)
	for _, line := range []string{"", "ST,GS", "XX,GS,1kg", "ST,TR,1kg", "ST,GS,kg", "ST,GS,1 stone", "ST,GS,1,kg", "ST,GS,1-2kg"} {
		_, err := ParseContinuous(line)
		assert.True(t, errors.Is(err, ErrBadReply), "%q: %v", line, err)
	}
}

func TestWeightString(t *testing.T) {
	r, err := ParseReply("S S      0.525 kg")
	require.NoError(t, err)
	assert.Equal(t, "0.525 kg", r.Weight.String())
	assert.Equal(t, 525, r.Weight.Grams())
}

// FuzzParseReply: no line makes the parsers panic, and whatever they accept
// is a consistent reading within range.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{"S S      0.525 kg", "S D -  1.2 lb", "ES", "Z A", "T S 0.1 kg", "S +", "ST,GS,   1.234kg", "US,NT,-0.5 g", "OL,GS,1kg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if r, err := ParseReply(line); err == nil {
			if r.HasWeight {
				assert.LessOrEqual(t, abs(r.Weight.Milligrams), int64(domain.MaxWeightMilligrams))
				assert.NotEmpty(t, r.Weight.Unit)
			}
			_ = r.Err()
		} else {
			assert.ErrorIs(t, err, ErrBadReply)
		}
		if w, err := ParseContinuous(line); err == nil {
			assert.LessOrEqual(t, abs(w.Milligrams), int64(domain.MaxWeightMilligrams))
			assert.NotEmpty(t, w.Unit)
		} else if !errors.Is(err, ErrOverload) {
			assert.ErrorIs(t, err, ErrBadReply)
		}
	})
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
