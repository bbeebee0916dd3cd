package label_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/label"
)

const siteTemplate = `^XA^CI28^PW812^LL406
^FX site pallet tag; Item_No is literal text with an underscore
^FO20,20^A0N,40,30^FDItem_No: {{item}}^FS
^FO20,80^A0N,30,20^FB700,3,0,L,0^FD{{ note }}^FS
^FO20,200^BY2^BCN,80,N,N,N,N^FD>:{{item}}^FS
^FO500,20^BQN,2,4^FDQA,{{url}}^FS
^FO600,200^BXN,5,200,0,0,6,_^FD{{item}}^FS
^FO20,300^FDstatic^FS
^XZ
`

func TestTemplateEscapesEveryValue(t *testing.T) {
	tpl, err := label.ParseTemplate("pallet", []byte(siteTemplate))
	require.NoError(t, err)
	assert.Equal(t, []string{"item", "note", "url"}, tpl.Fields())
	for _, v := range []string{"^XZ^XA^FO0,0^FDPWNED", "~JR", "A_B>C", "[red]x[-]"} {
		out, err := tpl.Execute(map[string]string{"item": v, "note": "line one\\two\n" + v, "url": "https://x/?a=" + v})
		require.NoError(t, err)
		doc, err := decode.Parse(out)
		require.NoError(t, err, "%s", out)
		require.Len(t, doc.Formats, 1)
		require.Empty(t, doc.Controls)
		got := map[decode.Kind][]string{}
		for _, f := range doc.Formats[0].Fields {
			got[f.Kind] = append(got[f.Kind], f.Data)
		}
		assert.Equal(t, []string{"Item_No: " + v, "static"}, got[decode.Text])
		assert.Equal(t, []string{"line one\\two\n" + v}, got[decode.TextBlock])
		assert.Equal(t, []string{v}, got[decode.Code128])
		assert.Equal(t, []string{"https://x/?a=" + v}, got[decode.QR])
		assert.Equal(t, []string{v}, got[decode.DataMatrix])
	}
}

func TestTemplateRefusesUnsafeLayouts(t *testing.T) {
	for name, src := range map[string]string{
		"placeholder in params": "^XA^FO{{x}},10^FDa^FS^XZ",
		"author ^FH":            "^XA^FO1,1^FH^FD{{x}}^FS^XZ",
		"bc mode A":             "^XA^FO1,1^BCN,10,N,N,N,A^FD{{x}}^FS^XZ",
		"bx no escape":          "^XA^FO1,1^BXN,5,200^FD{{x}}^FS^XZ",
		"malformed":             "^XA^FO1,1^FD{{ x y }}^FS^XZ",
	} {
		_, err := label.ParseTemplate(name, []byte(src))
		assert.ErrorIs(t, err, label.ErrInput, name)
	}
}

func TestTemplateFieldsMustMatch(t *testing.T) {
	tpl, err := label.ParseTemplate("t", []byte("^XA^FO1,1^FD{{a}}^FS^XZ"))
	require.NoError(t, err)
	_, err = tpl.Execute(map[string]string{})
	assert.ErrorIs(t, err, label.ErrInput)
	_, err = tpl.Execute(map[string]string{"a": "1", "b": "2"})
	assert.ErrorIs(t, err, label.ErrInput)
	tpl, err = label.ParseTemplate("t", []byte("^XA^FO1,1^BCN,10^FD{{a}}^FS^XZ"))
	require.NoError(t, err)
	_, err = tpl.Execute(map[string]string{"a": "Ü"})
	assert.Error(t, err, "Code 128 cannot carry it")
}
