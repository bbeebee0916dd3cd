// Package scanner turns barcode scanner input into scans and tells what they
// mean: scan sources (serial, evdev, keyboard wedge), AIM symbology
// identifiers, and site barcode rules that classify a scan as a badge, tote,
// location, GTIN or GS1 element string. Workflows ask Rules.Classify; they
// never match barcodes themselves.
package scanner
