module github.com/rfterm/rfterm

go 1.26.8

require (
	github.com/creack/pty v1.1.24
	github.com/stretchr/testify v1.12.1
	go.bug.st/serial v1.8.0
	golang.org/x/sys v0.45.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
