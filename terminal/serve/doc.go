// Package serve is hosted mode: the edge server RF guns' terminal-emulation
// clients connect to over SSH or telnet. Each gun is a device with its own
// store (its outbox and work), sender and puller; its session outlives the
// connection, so a gun that drops off Wi-Fi and comes back within the keep
// time gets its screen back at the step it left. One tview application runs
// per connection, on a tcell screen whose Tty is the connection.
package serve
