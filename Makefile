# rfterm — see README.md. Every target works on a fresh machine with Go and make.
GO       ?= go
# An execution count, not a duration: a duration races Go 1.26's fuzz
# coordinator at the deadline (golang/go#75804) and fails with no input found.
FUZZTIME ?= 100000x

# Fuzz targets run briefly by `make test`: package:FuzzName.
FUZZ_TARGETS = \
	./barcode/gs1:FuzzParse \
	./hub:FuzzIngestRequest \
	./hub:FuzzRequestBodies \
	./barcode/gs1:FuzzParseBracketed \
	./barcode/gs1:FuzzParseDigitalLink \
	./barcode/gs1:FuzzFormsAgree \
	./terminal/scanner:FuzzFramer \
	./terminal/scanner:FuzzWedge \
	./zpl:FuzzFieldRoundTrip \
	./zpl/decode:FuzzParse \
	./zpl/label:FuzzTemplateValue \
	./zpl/label:FuzzComplianceTemplate \
	./zpl/printer:FuzzParseHostStatus \
	./zpl/printer:FuzzParseHostInfo \
	./terminal/scale:FuzzParseReply \
	./terminal/telnet:FuzzDecoder \
	./hub:FuzzScanBounds \
	./shipdocs/x12:FuzzParse \
	./shipdocs/edifact:FuzzParse

.PHONY: demo test vet cross unit fuzz bench reliability build release release-build clean docs gallery gs1-dictionary

## demo: the terminal against an embedded order hub with demo data (no setup, no hardware)
demo:
	$(GO) run ./cmd/rfterm demo

## test: vet, the release's other platforms still compile, the whole suite with the race
## detector, then each fuzz target briefly
test: vet cross unit fuzz

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

## cross: both programs still build for the release's other kinds of platform (Windows, and
## 32-bit ARM); their tests need not (some test harnesses are Unix only). About 2-4 s once
## cached, 100 s with an empty build cache.
cross:
	GOOS=windows GOARCH=amd64 $(GO) build ./cmd/...
	GOOS=linux GOARCH=arm GOARM=7 $(GO) build ./cmd/...

# The packages whose tests start an order hub. `unit` runs them a second time
# with the hub on PostgreSQL (RFTERM_HUB_STORE=postgres: each test binary starts
# a throwaway server, package hub/backend/backendtest); internal/layout checks
# that every package whose tests start a hub is listed here.
HUB_TEST_PACKAGES = ./hub ./reliability ./cmd/orderhub ./cmd/rfterm ./api \
	./terminal/device ./terminal/sync/puller ./terminal/sync/sender ./terminal/sync/sscc

unit:
	$(GO) test -race -count=1 ./...
	RFTERM_HUB_STORE=postgres $(GO) test -race -count=1 $(HUB_TEST_PACKAGES)

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

## reliability: the long forms of the sync proofs (SIGKILL crashes x220, 5 devices x 2,000
## events through network chaos, conflicts), on bbolt and then on PostgreSQL, with two hub
## processes on one database killed x12 on PostgreSQL; about 3 minutes here, 15 at most each
reliability:
	RFTERM_RELIABILITY=long $(GO) test -race -count=1 -timeout 15m -v \
		-run 'TestCrashLosesNothing|TestNetworkChaos|TestConflictsAfterWorkingOffline' ./reliability
	RFTERM_RELIABILITY=long RFTERM_HUB_STORE=postgres $(GO) test -race -count=1 -timeout 15m -v \
		-run 'TestCrashLosesNothing|TestNetworkChaos|TestConflictsAfterWorkingOffline|TestTwoHubsChaos' ./reliability

## bench: Go benchmarks with allocation counts, then the hosted-mode load driver
## (N concurrent SSH guns scanning every 3 s, loopback only, a few minutes at most)
SSHLOAD_N ?= 100,500,1000
SSHLOAD_DURATION ?= 15s
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./internal/sshload -n $(SSHLOAD_N) -duration $(SSHLOAD_DURATION)

## docs: regenerate the README's key and menu tables from the key table and the workflow registry
docs:
	$(GO) test -count=1 -run TestREADMETables ./terminal/screens -update

## gs1-dictionary: embed a GS1 Barcode Syntax Dictionary release (DICT=path/to/gs1-syntax-dictionary.txt)
## as it is, with a line saying where it came from, then check that every entry reads
gs1-dictionary:
	@test -n "$(DICT)" || { echo "usage: make gs1-dictionary DICT=path/to/gs1-syntax-dictionary.txt"; exit 2; }
	@test -r "$(DICT)" || { echo "$(DICT): not readable"; exit 2; }
	{ echo "# Embedded by make gs1-dictionary from $(notdir $(DICT)) on $$(date -u +%Y-%m-%d)."; cat "$(DICT)"; } > barcode/gs1/syntax-dictionary.txt.new
	mv barcode/gs1/syntax-dictionary.txt.new barcode/gs1/syntax-dictionary.txt
	$(GO) test -count=1 -run 'TestDictionary' ./barcode/gs1

## gallery: plain-text captures of every screen state the TUI tests reach, at 20x16, 40x8 and 80x24, in docs/screens/
gallery:
	rm -rf docs/screens
	$(GO) test -count=1 ./terminal/screens -gallery $(CURDIR)/docs/screens

build:
	$(GO) build -o bin/ ./cmd/...

## release: static binaries of both programs for each of RELEASE_PLATFORMS (os/arch, arm is
## ARMv7), stamped with VERSION (default: git describe --tags --always --dirty) and COMMIT,
## in dist/ as rfterm_VERSION_OS_ARCH[.exe] and orderhub_…, with their SHA256SUMS.
##   make release VERSION=v0.3.0
RELEASE_PLATFORMS ?= linux/amd64 linux/arm64 linux/arm windows/amd64
DIST ?= dist
VERSION_PKG = github.com/rfterm/rfterm/internal/version
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell c=$$(git rev-parse --short=7 HEAD 2>/dev/null) && { git diff --quiet HEAD -- || c=$$c-dirty; }; echo $$c)

# VERSION and COMMIT are read from git once, here, and handed down fixed.
release:
	@$(MAKE) --no-print-directory release-build VERSION='$(VERSION)' COMMIT='$(COMMIT)'

release-build:
	@case '$(VERSION)' in ''|*/*|*' '*) echo "release: VERSION '$(VERSION)' cannot name a file"; exit 2;; esac
	rm -rf $(DIST)
	mkdir -p $(DIST)
	@set -e; for p in $(RELEASE_PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; name=$${os}_$$arch; ext=; \
		if [ "$$arch" = arm ]; then name=$${name}v7; fi; \
		if [ "$$os" = windows ]; then ext=.exe; fi; \
		for cmd in rfterm orderhub; do \
			out=$(DIST)/$${cmd}_$(VERSION)_$$name$$ext; \
			echo "$$out"; \
			CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch GOARM=7 $(GO) build -trimpath \
				-ldflags "-s -w -X $(VERSION_PKG).Version=$(VERSION) -X $(VERSION_PKG).Commit=$(COMMIT)" \
				-o "$$out" ./cmd/$$cmd; \
		done; \
	done
	cd $(DIST) && if command -v sha256sum >/dev/null; then sha256sum -- *_$(VERSION)_* > SHA256SUMS; \
		else shasum -a 256 -- *_$(VERSION)_* > SHA256SUMS; fi
	@echo "$(DIST)/SHA256SUMS"

clean:
	rm -rf bin $(DIST)
