// Package zpl builds ZPL II label formats for Zebra printers.
//
// Every field's data goes through ^FH hex escaping, always: a '^', '~', '_' or
// control character in data can never end a field or inject a command. Labels
// are laid out in millimetres and scaled to the printer's resolution, and select
// UTF-8 with ^CI28.
//
// Subpackages: label (the warehouse labels and site templates), printer (the raw
// TCP 9100 client with ~HS/~HI status), spool (the durable print queue),
// fakeprinter (a Zebra stand-in on a real TCP listener) and decode (reads ZPL
// back into fields, for tests and the fake printer).
package zpl
