package gs1

import "strings"

// Code lists that the syntax dictionary's linters check against. Read-only.
//
// ISO 3166-1 (numeric and alpha-2) and ISO 4217 (numeric, with the alpha-3
// code it stands for): from the iso-codes project's iso_3166-1.json and
// iso_4217.json, Debian package iso-codes 4.15.0-1 (2023-01), which follows
// the ISO 3166 Maintenance Agency and the ISO 4217 list (SIX) as published
// up to that release, with 924 ZWG (ISO 4217 amendment 177, 2024-06)
// added by hand. 249 countries, 182 currencies.
//
// Package types (AI 7041): the GS1 PackageTypeCode code list (from
// UN/ECE Recommendation 21), as the GS1 Barcode Syntax Tests' packagetype
// linter lists it in the GS1 Syntax Engine 1.4 (2025).
//
// AIDC media types (AI 7241): GS1 General Specifications 3.8.x, AIDC media
// type code list: 01 to 10 assigned, 80 to 99 for mutually agreed use.

// iso3166Numeric is the ISO 3166-1 numeric country codes, space-separated.
const iso3166Numeric = "" +
	"004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 " +
	"056 060 064 068 070 072 074 076 084 086 090 092 096 100 104 108 112 " +
	"116 120 124 132 136 140 144 148 152 156 158 162 166 170 174 175 178 " +
	"180 184 188 191 192 196 203 204 208 212 214 218 222 226 231 232 233 " +
	"234 238 239 242 246 248 250 254 258 260 262 266 268 270 275 276 288 " +
	"292 296 300 304 308 312 316 320 324 328 332 334 336 340 344 348 352 " +
	"356 360 364 368 372 376 380 384 388 392 398 400 404 408 410 414 417 " +
	"418 422 426 428 430 434 438 440 442 446 450 454 458 462 466 470 474 " +
	"478 480 484 492 496 498 499 500 504 508 512 516 520 524 528 531 533 " +
	"534 535 540 548 554 558 562 566 570 574 578 580 581 583 584 585 586 " +
	"591 598 600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 " +
	"654 659 660 662 663 666 670 674 678 682 686 688 690 694 702 703 704 " +
	"705 706 710 716 724 728 729 732 740 744 748 752 756 760 762 764 768 " +
	"772 776 780 784 788 792 795 796 798 800 804 807 818 826 831 832 833 " +
	"834 840 850 854 858 860 862 876 882 887 894 " +
	""

// iso3166Alpha2 is the ISO 3166-1 alpha-2 country codes, space-separated.
const iso3166Alpha2 = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH " +
	"BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL " +
	"CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU " +
	"GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE " +
	"KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC " +
	"MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC " +
	"NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT " +
	"PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR " +
	"SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA " +
	"UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW " +
	""

// iso4217 is the ISO 4217 currencies as numeric=alpha pairs, space-separated.
const iso4217 = "" +
	"008=ALL 012=DZD 032=ARS 036=AUD 044=BSD 048=BHD 050=BDT 051=AMD " +
	"052=BBD 060=BMD 064=BTN 068=BOB 072=BWP 084=BZD 090=SBD 096=BND " +
	"104=MMK 108=BIF 116=KHR 124=CAD 132=CVE 136=KYD 144=LKR 152=CLP " +
	"156=CNY 170=COP 174=KMF 188=CRC 191=HRK 192=CUP 203=CZK 208=DKK " +
	"214=DOP 222=SVC 230=ETB 232=ERN 238=FKP 242=FJD 262=DJF 270=GMD " +
	"292=GIP 320=GTQ 324=GNF 328=GYD 332=HTG 340=HNL 344=HKD 348=HUF " +
	"352=ISK 356=INR 360=IDR 364=IRR 368=IQD 376=ILS 388=JMD 392=JPY " +
	"398=KZT 400=JOD 404=KES 408=KPW 410=KRW 414=KWD 417=KGS 418=LAK " +
	"422=LBP 426=LSL 430=LRD 434=LYD 446=MOP 454=MWK 458=MYR 462=MVR " +
	"480=MUR 484=MXN 496=MNT 498=MDL 504=MAD 512=OMR 516=NAD 524=NPR " +
	"532=ANG 533=AWG 548=VUV 554=NZD 558=NIO 566=NGN 578=NOK 586=PKR " +
	"590=PAB 598=PGK 600=PYG 604=PEN 608=PHP 634=QAR 643=RUB 646=RWF " +
	"654=SHP 682=SAR 690=SCR 694=SLL 702=SGD 704=VND 706=SOS 710=ZAR " +
	"728=SSP 748=SZL 752=SEK 756=CHF 760=SYP 764=THB 776=TOP 780=TTD " +
	"784=AED 788=TND 800=UGX 807=MKD 818=EGP 826=GBP 834=TZS 840=USD " +
	"858=UYU 860=UZS 882=WST 886=YER 901=TWD 924=ZWG 925=SLE 926=VED 927=UYW " +
	"928=VES 929=MRU 930=STN 931=CUC 932=ZWL 933=BYN 934=TMT 936=GHS " +
	"938=SDG 940=UYI 941=RSD 943=MZN 944=AZN 946=RON 947=CHE 948=CHW " +
	"949=TRY 950=XAF 951=XCD 952=XOF 953=XPF 955=XBA 956=XBB 957=XBC " +
	"958=XBD 959=XAU 960=XDR 961=XAG 962=XPT 963=XTS 964=XPD 965=XUA " +
	"967=ZMW 968=SRD 969=MGA 970=COU 971=AFN 972=TJS 973=AOA 975=BGN " +
	"976=CDF 977=BAM 978=EUR 979=MXV 980=UAH 981=GEL 984=BOV 985=PLN " +
	"986=BRL 990=CLF 994=XSU 997=USN 999=XXX " +
	""

// packageTypes is the GS1 PackageTypeCode list, space-separated.
const packageTypes = "" +
	"1A 1B 1D 1F 1G 1W 200 201 202 203 204 205 206 210 211 212 2C 3A 3H 43 " +
	"44 4A 4B 4C 4D 4F 4G 4H 5H 5L 5M 6H 6P 7A 7B 8 8A 8B 8C 9 AA AB AC AD " +
	"AF AG AH AI AJ AL AM AP APE AT AV B4 BB BC BD BE BF BG BGE BH BI BJ BK " +
	"BL BM BME BN BO BP BQ BR BRI BS BT BU BV BW BX BY BZ CA CB CBL CC CCE " +
	"CD CE CF CG CH CI CJ CK CL CM CN CO CP CQ CR CS CT CU CV CW CX CY CZ " +
	"DA DB DC DG DH DI DJ DK DL DM DN DP DPE DR DS DT DU DV DW DX DY E1 E2 " +
	"E3 EC ED EE EF EG EH EI EN FB FC FD FE FI FL FO FOB FP FPE FR FT FW FX " +
	"GB GI GL GR GU GY GZ HA HB HC HG HN HR IA IB IC ID IE IF IG IH IK IL " +
	"IN IZ JB JC JG JR JT JY KG KI LAB LE LG LT LU LV LZ MA MB MC ME MPE MR " +
	"MS MT MW MX NA NE NF NG NS NT NU NV OA OB OC OD OE OF OK OPE OT OU P2 " +
	"PA PAE PB PC PD PE PF PG PH PI PJ PK PL PLP PN PO POP PP PPE PR PT PU " +
	"PUE PV PX PY PZ QA QB QC QD QF QG QH QJ QK QL QM QN QP QQ QR QS RB1 " +
	"RB2 RB3 RCB RD RG RJ RK RL RO RT RZ S1 SA SB SC SD SE SEC SH SI SK SL " +
	"SM SO SP SS ST STL SU SV SW SX SY SZ T1 TB TC TD TE TEV TG THE TI TK " +
	"TL TN TO TR TRE TS TT TTE TU TV TW TWE TY TZ UC UN UUE VA VG VI VK VL " +
	"VN VO VP VQ VR VS VY WA WB WC WD WF WG WH WJ WK WL WM WN WP WQ WR WRP " +
	"WS WT WU WV WW WX WY WZ X11 X12 X15 X16 X17 X18 X19 X20 X3 XA XB XC XD " +
	"XF XG XH XJ XK YA YB YC YD YF YG YH YJ YK YL YM YN YP YQ YR YS YT YV " +
	"YW YX YY YZ ZA ZB ZC ZD ZF ZG ZH ZJ ZK ZL ZM ZN ZP ZQ ZR ZS ZT ZU ZV " +
	"ZW ZX ZY ZZ " +
	""

// inList reports whether code is one of the space-separated words of list.
func inList(list, code string) bool {
	if code == "" || strings.ContainsRune(code, ' ') {
		return false
	}
	for rest := list; rest != ""; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if w == code {
			return true
		}
	}
	return false
}

// CurrencyCode returns the ISO 4217 alpha-3 code of a numeric currency code
// ("978" is "EUR"); ok is false for a code not in the list.
func CurrencyCode(numeric string) (string, bool) {
	if len(numeric) != 3 {
		return "", false
	}
	for rest := iso4217; rest != ""; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if n, a, _ := strings.Cut(w, "="); n == numeric {
			return a, true
		}
	}
	return "", false
}
