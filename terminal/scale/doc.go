// Package scale reads a shipping scale on a serial line (RS-232 or USB-CDC),
// over the same plumbing as the serial scanner (package serialport: line
// settings, reopen with backoff after an unplug, status changes reported).
//
// Two protocols:
//
//   - "mt-sics" (default): Mettler Toledo MT-SICS level 0, request and
//     response, commands and replies ended by CR LF. S asks for a stable
//     weight ("S S      0.525 kg"), SI for the weight now, stable or not
//     ("S D      0.530 kg" while it moves), Z zeroes ("Z A"), T tares
//     ("T S      0.120 kg"). "x I" means the command cannot be executed
//     now, "x +" / "x -" overload / underload (or zero range exceeded),
//     ES / ET / EL a syntax, transmission or logical error.
//   - "continuous": a scale that sends a reading on every line, unasked,
//     in the common "status,mode,weight" form of many indicators:
//     "ST,GS,   1.234kg" (stable, gross), "US,NT,-  0.012 kg" (unstable,
//     net), "OL,GS,..." (overload). Zero and tare are done on the scale.
//
// Weights are integer milligrams with the unit the scale showed (kg, g or
// lb): exact for metric units, no float rounding in tolerance checks.
//
// Use: s, err := scale.Open(cfg, log); go s.Run(ctx, onStatus); then
// s.Stable(ctx), s.Immediate(ctx), s.Zero(ctx), s.Tare(ctx) from any
// goroutine (one command at a time goes to the scale).
package scale
