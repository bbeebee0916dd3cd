package gs1

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// linters are the content checks the GS1 Barcode Syntax Dictionary names on
// its components ("Type,linter,…"), each as the GS1 Barcode Syntax Tests
// define it. A linter gets one component (already checked for length and
// character set) and returns a cause and a reason when the content is wrong.
// Renamed linters appear under both names ("key" is "gcppos1", "keyoff1" is
// "gcppos2"). A read-only table.
var linters = map[string]func(s string) (cause error, why string){
	"csum":           lintCheckDigit,
	"csumalpha":      lintCheckPair,
	"key":            lintGCP,
	"gcppos1":        lintGCP,
	"keyoff1":        func(s string) (error, string) { return lintGCP(s[min(1, len(s)):]) },
	"gcppos2":        func(s string) (error, string) { return lintGCP(s[min(1, len(s)):]) },
	"yymmd0":         func(s string) (error, string) { return lintYYMMDD(s, true) },
	"yymmdd":         func(s string) (error, string) { return lintYYMMDD(s, false) },
	"yyyymmd0":       func(s string) (error, string) { return lintYYYYMMDD(s, true) },
	"yyyymmdd":       func(s string) (error, string) { return lintYYYYMMDD(s, false) },
	"yymmddhh":       lintYYMMDDHH,
	"hhmi":           lintHHMM,
	"hhmm":           lintHHMM,
	"hh":             func(s string) (error, string) { return lintRange(s, 0, 23, ErrDate, "hour") },
	"mi":             func(s string) (error, string) { return lintRange(s, 0, 59, ErrDate, "minute") },
	"ss":             func(s string) (error, string) { return lintRange(s, 0, 59, ErrDate, "second") },
	"mm":             func(s string) (error, string) { return lintRange(s, 1, 12, ErrDate, "month") },
	"mmoptss":        lintMMOptSS,
	"yesno":          func(s string) (error, string) { return oneOf(s, "0", "1") },
	"zero":           func(s string) (error, string) { return oneOf(s, "0") },
	"winding":        func(s string) (error, string) { return oneOf(s, "0", "1", "9") },
	"iso5218":        func(s string) (error, string) { return oneOf(s, "0", "1", "2", "9") },
	"hyphen":         lintHyphen,
	"nonzero":        lintNonZero,
	"nozeroprefix":   lintNoZeroPrefix,
	"hasnondigit":    lintHasNonDigit,
	"pieceoftotal":   lintPieceOfTotal,
	"posinseqslash":  lintPosInSeqSlash,
	"pcenc":          lintPercentEncoding,
	"latitude":       func(s string) (error, string) { return lintMax(s, 1800000000, "latitude") },
	"longitude":      func(s string) (error, string) { return lintMax(s, 3600000000, "longitude") },
	"iso3166":        inCodeList(iso3166Numeric, "an ISO 3166 numeric country code"),
	"iso3166999":     lintISO3166or999,
	"iso3166alpha2":  inCodeList(iso3166Alpha2, "an ISO 3166 alpha-2 country code"),
	"iso3166list":    lintISO3166List,
	"iso4217":        lintISO4217,
	"iban":           lintIBAN,
	"importeridx":    lintImporterIndex,
	"packagetype":    inCodeList(packageTypes, "a GS1 package type code"),
	"mediatype":      lintMediaType,
	"couponcode":     lintCouponCode,
	"couponposoffer": lintCouponPosOffer,
	"cset82":         func(s string) (error, string) { return lintCharset('X', s) },
	"cset39":         func(s string) (error, string) { return lintCharset('Y', s) },
	"csetnumeric":    func(s string) (error, string) { return lintCharset('N', s) },
	"cset64":         lintCSET64,
}

// lint runs the named linter. An unknown name is an error of the dictionary,
// caught by TestDictionaryLinters; here it lets the value pass.
func lint(name, s string) (cause error, why string) {
	if f, ok := linters[name]; ok {
		return f(s)
	}
	return nil, ""
}

func lintCharset(t byte, s string) (error, string) {
	if i := badChar(t, s); i >= 0 {
		return ErrCharset, fmt.Sprintf("character %q at %d is not allowed (%s)", s[i], i+1, charsetName(t))
	}
	return nil, ""
}

func lintCheckDigit(s string) (error, string) {
	if !ValidCheckDigit(s) {
		return ErrCheckDigit, "check digit is wrong"
	}
	return nil, ""
}

func lintCheckPair(s string) (error, string) {
	if len(s) < 3 {
		return ErrLength, "too short for a check character pair"
	}
	if !ValidCheckPair(s) {
		return ErrCheckDigit, "check character pair is wrong"
	}
	return nil, ""
}

// gcpMinLength is the length of the shortest GS1 Company Prefix.
const gcpMinLength = 4

// lintGCP checks that s starts with a GS1 Company Prefix: at least its
// shortest length, in digits. (Whether the prefix is allocated needs GS1's
// registry, which a terminal does not have.)
func lintGCP(s string) (error, string) {
	if len(s) < gcpMinLength {
		return ErrContent, "shorter than the shortest GS1 Company Prefix"
	}
	if badChar('N', s[:gcpMinLength]) >= 0 {
		return ErrContent, "does not start with a GS1 Company Prefix (digits)"
	}
	return nil, ""
}

func lintYYMMDD(s string, day0 bool) (error, string) {
	if _, ok := parseYYMMDD(s, day0); !ok {
		return ErrDate, "not a date YYMMDD"
	}
	return nil, ""
}

func lintYYYYMMDD(s string, day0 bool) (error, string) {
	if len(s) != 8 || badChar('N', s) >= 0 || !validDate(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]), day0) {
		return ErrDate, "not a date YYYYMMDD"
	}
	return nil, ""
}

func lintYYMMDDHH(s string) (error, string) {
	if len(s) != 8 {
		return ErrDate, "not a date and hour YYMMDDHH"
	}
	if cause, why := lintYYMMDD(s[:6], false); cause != nil {
		return cause, why
	}
	return lintRange(s[6:], 0, 23, ErrDate, "hour")
}

func lintHHMM(s string) (error, string) {
	if len(s) != 4 || badChar('N', s) >= 0 {
		return ErrDate, "not a time HHMM"
	}
	if atoi(s[:2]) > 23 {
		return ErrDate, "not a time HHMM: the hour is over 23"
	}
	if atoi(s[2:]) > 59 {
		return ErrDate, "not a time HHMM: the minute is over 59"
	}
	return nil, ""
}

// lintMMOptSS is minutes, optionally followed by seconds.
func lintMMOptSS(s string) (error, string) {
	if len(s) != 2 && len(s) != 4 {
		return ErrDate, "not minutes MM or MMSS"
	}
	if cause, why := lintRange(s[:2], 0, 59, ErrDate, "minute"); cause != nil {
		return cause, why
	}
	if len(s) == 4 {
		return lintRange(s[2:], 0, 59, ErrDate, "second")
	}
	return nil, ""
}

func lintRange(s string, lo, hi int, cause error, what string) (error, string) {
	if s == "" || badChar('N', s) >= 0 || atoi(s) < lo || atoi(s) > hi {
		return cause, fmt.Sprintf("not a valid %s (%d to %d)", what, lo, hi)
	}
	return nil, ""
}

// lintMax checks that digits read as a number of at most hi. It reads them
// in 64 bits: a 10-digit latitude or longitude overflows int on 32-bit ARM.
func lintMax(s string, hi uint64, what string) (error, string) {
	if badChar('N', s) >= 0 {
		return ErrContent, fmt.Sprintf("the %s is outside 0 to %d", what, hi)
	}
	if s != "" {
		if n, err := strconv.ParseUint(s, 10, 64); err != nil || n > hi {
			return ErrContent, fmt.Sprintf("the %s is outside 0 to %d", what, hi)
		}
	}
	return nil, ""
}

func lintHyphen(s string) (error, string) {
	if strings.Trim(s, "-") != "" {
		return ErrContent, "only hyphens are allowed"
	}
	return nil, ""
}

func lintNonZero(s string) (error, string) {
	if strings.Trim(s, "0") == "" {
		return ErrContent, "must not be zero"
	}
	return nil, ""
}

func lintNoZeroPrefix(s string) (error, string) {
	if len(s) > 1 && s[0] == '0' {
		return ErrContent, "must not start with 0"
	}
	return nil, ""
}

func lintHasNonDigit(s string) (error, string) {
	if badChar('N', s) < 0 {
		return ErrContent, "must contain a non-digit"
	}
	return nil, ""
}

func lintPieceOfTotal(s string) (error, string) {
	if len(s)%2 != 0 || badChar('N', s) >= 0 {
		return ErrContent, "must be a piece number and a total of equal length"
	}
	piece, total := atoi(s[:len(s)/2]), atoi(s[len(s)/2:])
	switch {
	case piece == 0:
		return ErrContent, "the piece number must not be zero"
	case total == 0:
		return ErrContent, "the total must not be zero"
	case piece > total:
		return ErrContent, "the piece number must not exceed the total"
	}
	return nil, ""
}

// lintPosInSeqSlash is "<position>/<end>", both numbers without a leading
// zero, the position not past the end.
func lintPosInSeqSlash(s string) (error, string) {
	pos, end, ok := strings.Cut(s, "/")
	if !ok || pos == "" || end == "" || badChar('N', pos) >= 0 || badChar('N', end) >= 0 {
		return ErrContent, `must be "<position>/<end>", e.g. 1/2`
	}
	if pos[0] == '0' || end[0] == '0' {
		return ErrContent, "a zero prefix is not allowed"
	}
	if len(pos) > len(end) || (len(pos) == len(end) && pos > end) {
		return ErrContent, "the position must not exceed the end"
	}
	return nil, ""
}

func lintPercentEncoding(s string) (error, string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			return ErrContent, `bad percent-encoding: "%" must be followed by two hex digits`
		}
	}
	return nil, ""
}

// inCodeList makes a linter that accepts the words of a code list.
func inCodeList(list, what string) func(string) (error, string) {
	return func(s string) (error, string) {
		if !inList(list, s) {
			return ErrContent, "not " + what
		}
		return nil, ""
	}
}

func lintISO3166or999(s string) (error, string) {
	if s != "999" && !inList(iso3166Numeric, s) {
		return ErrContent, `not an ISO 3166 numeric country code or "999"`
	}
	return nil, ""
}

// lintISO3166List is one to five ISO 3166 numeric codes run together (the
// older form of AIs 423 and 425).
func lintISO3166List(s string) (error, string) {
	if len(s)%3 != 0 || len(s) == 0 {
		return ErrLength, "must be a list of three-digit country codes"
	}
	for i := 0; i < len(s); i += 3 {
		if !inList(iso3166Numeric, s[i:i+3]) {
			return ErrContent, fmt.Sprintf("%s is not an ISO 3166 numeric country code", s[i:i+3])
		}
	}
	return nil, ""
}

func lintISO4217(s string) (error, string) {
	if _, ok := CurrencyCode(s); !ok {
		return ErrContent, "not an ISO 4217 numeric currency code"
	}
	return nil, ""
}

// lintIBAN checks an International Bank Account Number (ISO 13616): a
// country code, two check digits and up to 30 letters and digits, the whole
// rearranged and read as a number leaving 1 modulo 97.
func lintIBAN(s string) (error, string) {
	if len(s) < 5 {
		return ErrLength, "an IBAN is at least 5 characters"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') {
			return ErrCharset, fmt.Sprintf("character %q at %d is not allowed in an IBAN", c, i+1)
		}
	}
	if !inList(iso3166Alpha2, s[:2]) {
		return ErrContent, "an IBAN starts with an ISO 3166 alpha-2 country code"
	}
	if badChar('N', s[2:4]) >= 0 {
		return ErrContent, "an IBAN's check characters are digits"
	}
	var digits strings.Builder
	for _, c := range []byte(s[4:] + s[:4]) {
		if c >= 'A' {
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		} else {
			digits.WriteByte(c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return ErrCheckDigit, "the IBAN's check characters are wrong"
	}
	return nil, ""
}

func lintImporterIndex(s string) (error, string) {
	if len(s) != 1 || !strings.Contains("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz", s) {
		return ErrContent, "the importer index must be one of 0-9, A-Z, a-z, - and _"
	}
	return nil, ""
}

func lintMediaType(s string) (error, string) {
	if len(s) != 2 || badChar('N', s) >= 0 {
		return ErrContent, "not an AIDC media type"
	}
	if n := atoi(s); (n < 1 || n > 10) && n < 80 {
		return ErrContent, "not an AIDC media type (01 to 10, or 80 to 99)"
	}
	return nil, ""
}

// lintCSET64 checks the padding of a CSET 64 component: at most two "=" and
// only at the end, and a padded value's length a multiple of three, as the
// GS1 Barcode Syntax Tests define it.
func lintCSET64(s string) (error, string) {
	body := strings.TrimRight(s, "=")
	pads := len(s) - len(body)
	if strings.IndexByte(body, '=') >= 0 {
		return ErrCharset, `"=" pads only at the end`
	}
	if pads > 2 || (pads > 0 && len(s)%3 != 0) {
		return ErrContent, "wrong number of CSET 64 pad characters"
	}
	return nil, ""
}
