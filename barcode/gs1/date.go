package gs1

import "time"

// parseYYMMDD reads a GS1 date. With day0, day 00 means the last day of the
// month. The century follows the General Specifications (7.12): a year more
// than 50 years ahead of today belongs to the last century, one more than 49
// years behind to the next.
func parseYYMMDD(s string, day0 bool) (time.Time, bool) {
	if len(s) != 6 || badChar('N', s) >= 0 {
		return time.Time{}, false
	}
	yy, mm, dd := atoi(s[:2]), atoi(s[2:4]), atoi(s[4:6])
	year := fullYear(yy, time.Now().Year())
	if !validDate(year, mm, dd, day0) {
		return time.Time{}, false
	}
	if dd == 0 {
		return time.Date(year, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC), true
	}
	return time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC), true
}

// fullYear turns a two-digit year into a four-digit one, relative to now.
func fullYear(yy, now int) int {
	century := now / 100 * 100
	switch diff := yy - now%100; {
	case diff >= 51:
		century -= 100
	case diff <= -50:
		century += 100
	}
	return century + yy
}

// validDate reports whether y-m-d is a calendar date (d 0 allowed with day0).
func validDate(y, m, d int, day0 bool) bool {
	if m < 1 || m > 12 || d < 0 || (d == 0 && !day0) {
		return false
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return d <= last
}
