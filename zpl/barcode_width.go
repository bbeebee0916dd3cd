package zpl

// Code128WidthDots is how wide printable ASCII s prints as one Code 128
// symbol (subsets B and C as Code128 encodes it), in dots with both quiet
// zones, at the narrowest module (in dots) no less than moduleMM at dpi.
func Code128WidthDots(dpi DPI, s string, moduleMM float64) (int, error) {
	f, err := encodeCode128(s, false)
	if err != nil {
		return 0, err
	}
	return (f.modules() + 2*code128QuietModules) * max(1, dpi.DotsAtLeast(moduleMM)), nil
}

// Code128QuietModules is the quiet zone Code 128 and GS1-128 need on each
// side of the bars, in modules (X-dimensions).
const Code128QuietModules = code128QuietModules
