package gs1

import "fmt"

// couponReader walks the digits of a coupon data structure field by field:
// the North American Coupon Code of AI (8110) and the positive offer file
// coupon of AI (8112), as the "North American Coupon Application Guideline
// Using GS1 DataBar Expanded Symbols" and the GS1 General Specifications
// (3.9.x) define them. The first fault sticks.
type couponReader struct {
	s   string
	pos int
	err error
	why string
}

func (r *couponReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err, r.why = ErrContent, fmt.Sprintf(format, args...)
	}
}

func (r *couponReader) more() bool { return r.err == nil && r.pos < len(r.s) }

// digit reads one digit, which must be in allowed.
func (r *couponReader) digit(what, allowed string) int {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.s) {
		r.fail("the coupon's %s is missing", what)
		return 0
	}
	c := r.s[r.pos]
	if indexByte(allowed, c) < 0 {
		r.fail("the coupon's %s must be one of %s, not %q", what, allowed, c)
		return 0
	}
	r.pos++
	return int(c - '0')
}

// field reads n digits.
func (r *couponReader) field(what string, n int) string {
	if r.err != nil {
		return ""
	}
	if len(r.s)-r.pos < n {
		r.fail("the coupon's %s is cut short (%d digits needed)", what, n)
		return ""
	}
	f := r.s[r.pos : r.pos+n]
	r.pos += n
	return f
}

// gcp reads a GS1 Company Prefix of n digits.
func (r *couponReader) gcp(what string, n int) {
	if f := r.field(what, n); r.err == nil {
		if cause, why := lintGCP(f); cause != nil {
			r.err, r.why = cause, "the coupon's "+what+": "+why
		}
	}
}

func (r *couponReader) date(what string) string {
	d := r.field(what, 6)
	if r.err == nil {
		if _, ok := parseYYMMDD(d, false); !ok {
			r.fail("the coupon's %s is not a date YYMMDD", what)
		}
	}
	return d
}

func (r *couponReader) end() (error, string) {
	if r.err == nil && r.pos != len(r.s) {
		r.fail("the coupon has data left over at %d", r.pos+1)
	}
	return r.err, r.why
}

// purchase reads a purchase requirement: its length indicator (1 to 5), the
// requirement, its code (0 to 4 or 9) and a three-digit family code.
func (r *couponReader) purchase(nth string) {
	n := r.digit(nth+" purchase requirement length", "12345")
	r.field(nth+" purchase requirement", n)
	r.digit(nth+" purchase requirement code", "012349")
	r.field(nth+" purchase family code", 3)
}

// optionalGCP reads a length indicator 0 to 6 (a GS1 Company Prefix of 6 to
// 12 digits follows) or 9 (none follows).
func (r *couponReader) optionalGCP(what string) {
	if n := r.digit(what+" length", "01234569"); r.err == nil && n != 9 {
		r.gcp(what, n+6)
	}
}

// lintCouponCode checks the North American Coupon Code of AI (8110).
func lintCouponCode(s string) (error, string) {
	if i := badChar('N', s); i >= 0 {
		return ErrCharset, fmt.Sprintf("character %q at %d: a coupon code is digits", s[i], i+1)
	}
	r := &couponReader{s: s}
	r.gcp("primary GS1 Company Prefix", r.digit("primary GS1 Company Prefix length", "0123456")+6)
	r.field("offer code", 6)
	r.field("save value", r.digit("save value length", "12345"))
	r.purchase("1st")
	if r.more() && r.s[r.pos] == '1' { // additional rules and 2nd purchase
		r.pos++
		r.digit("additional purchase rules code", "0123")
		r.purchase("2nd")
		r.optionalGCP("2nd purchase GS1 Company Prefix")
	}
	if r.more() && r.s[r.pos] == '2' { // 3rd purchase
		r.pos++
		r.purchase("3rd")
		r.optionalGCP("3rd purchase GS1 Company Prefix")
	}
	var expiry string
	if r.more() && r.s[r.pos] == '3' {
		r.pos++
		expiry = r.date("expiration date")
	}
	if r.more() && r.s[r.pos] == '4' {
		r.pos++
		if start := r.date("start date"); r.err == nil && expiry != "" && start > expiry {
			r.fail("the coupon expires before it starts")
		}
	}
	if r.more() && r.s[r.pos] == '5' {
		r.pos++
		r.field("serial number", r.digit("serial number length", "0123456789")+6)
	}
	if r.more() && r.s[r.pos] == '6' {
		r.pos++
		r.gcp("retailer GS1 Company Prefix or GLN", r.digit("retailer GS1 Company Prefix or GLN length", "1234567")+6)
	}
	if r.more() && r.s[r.pos] == '9' { // miscellaneous
		r.pos++
		r.digit("save value code", "01256")
		r.digit("save value applies to item", "012")
		r.digit("store coupon flag", "0123456789")
		r.digit("don't multiply flag", "01")
	}
	return r.end()
}

// lintCouponPosOffer checks the positive offer file coupon of AI (8112).
func lintCouponPosOffer(s string) (error, string) {
	if i := badChar('N', s); i >= 0 {
		return ErrCharset, fmt.Sprintf("character %q at %d: a coupon code is digits", s[i], i+1)
	}
	r := &couponReader{s: s}
	r.digit("format code", "01")
	r.gcp("funder ID", r.digit("funder ID length", "0123456")+6)
	r.field("offer code", 6)
	r.field("serial number", r.digit("serial number length", "0123456789")+6)
	return r.end()
}
