package zpl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/zpl"
)

func TestTruncateAtCharacterBoundary(t *testing.T) {
	assert.Equal(t, "short", zpl.Truncate("short", 5))
	assert.Equal(t, "Müll...", zpl.Truncate("Müller-Lüdenscheidt", 7))
	assert.Equal(t, "日本", zpl.Truncate("日本語", 2))
}

func TestWrap(t *testing.T) {
	assert.Equal(t, "one two\nthree", zpl.Wrap("one two three", 8, 3))
	assert.Equal(t, "abcd\nefgh\nij", zpl.Wrap("abcdefghij", 4, 3), "long words are split")
	assert.Equal(t, "a\nb", zpl.Wrap("a\r\nb", 4, 3), "own line breaks kept")
	assert.Equal(t, "one two\nthree...", zpl.Wrap("one two three four five", 8, 2))
	assert.Equal(t, "aaaaa\nbb...", zpl.Wrap("aaaaa bbbbb ccccc", 5, 2))
}

func TestEscapeFieldData(t *testing.T) {
	assert.Equal(t, "plain text", zpl.EscapeFieldData("plain text"))
	assert.Equal(t, "_5EXZ_7EJR_5F_0A", zpl.EscapeFieldData("^XZ~JR_\n"))
	assert.Equal(t, "ü_FF", zpl.EscapeFieldData("ü\xff"))
}
