# optoutd — build, run, test and measure.
#
#   make run     install what is missing, build, and run the daemon in the foreground on
#                Config/optoutd.yaml (state in .state/), showing each notice it sends
#   make test    the test suite (what CI runs)
#   make bench   benchmarks (release build): load and plan times, peak RSS, Remind for comparison
#   make man     the man pages optoutd(8) and optoutd.yaml(5), from man/*.scd into .build/man

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
SWIFT_FORMAT ?= $(dir $(SWIFT))swift-format
CONFIG ?= Config/optoutd.yaml
# Debian packages the build and the tests need (time zone data for IANA zones; a real
# browser for the HTML report and Prometheus' own parser for the metrics).
DEBIAN_PACKAGES ?= tzdata pkg-config libsystemd-dev libyaml-dev libsqlite3-dev libcurl4-openssl-dev systemd util-linux \
	python3-aiosmtpd openssl scdoc binutils chromium chromium-driver python3-selenium python3-prometheus-client
BENCH_PACKAGES ?= remind time

PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=

.PHONY: all deps build release run test bench man install uninstall format lint clean

all: build

deps:
	@scripts/ensure-debian-packages $(DEBIAN_PACKAGES)

build: deps
	$(SWIFT) build

# Release builds link the Swift runtime and Foundation statically, as Swift server
# deployments do: the installed binary needs no toolchain, and it starts and calls into
# the runtime without binding symbols of shared libraries. They have a build directory of
# their own: SwiftPM does not always relink when only that choice changes (the manual
# plugin builds the tool without it).
RELEASE_BUILD = $(SWIFT) build -c release --static-swift-stdlib --build-path .build/static

release: deps
	$(RELEASE_BUILD)

run: build
	$$($(SWIFT) build --show-bin-path)/optoutd run --config $(CONFIG) --state .state/state.sqlite

# The daemon and systemd tests need a journald and a user manager of their own: as root,
# the suite runs in a private mount namespace with both (scripts/test-sandbox);
# otherwise those tests are skipped.
test: deps
	$(SWIFT) build --build-tests
	if [ "$$(id -u)" -eq 0 ]; then scripts/test-sandbox $(SWIFT) test --skip-build; \
	else $(SWIFT) test --skip-build; fi

bench: release
	@scripts/ensure-debian-packages $(BENCH_PACKAGES) || echo "bench: some packages could not be installed"
	Benchmarks/run.sh $$($(RELEASE_BUILD) --show-bin-path)/optoutd

# The man pages are written in scdoc (man/*.scd), not generated from --help.
MAN_PAGES = .build/man/optoutd.8 .build/man/optoutd.yaml.5

man: $(MAN_PAGES)

.build/man/%: man/%.scd
	@scripts/ensure-debian-packages scdoc
	@mkdir -p .build/man
	scdoc <$< >$@.tmp && mv $@.tmp $@

# The release binary (built once, installed stripped), units (with its path), journal
# catalog, policies, man pages, completions; the example configuration only where none exists.
install: release man
	PREFIX=$(PREFIX) SYSCONFDIR=$(SYSCONFDIR) DESTDIR=$(DESTDIR) MANPAGES=.build/man \
	scripts/install $$($(RELEASE_BUILD) --show-bin-path)/optoutd

# Removes what install put there; keeps configuration and state.
uninstall:
	PREFIX=$(PREFIX) SYSCONFDIR=$(SYSCONFDIR) DESTDIR=$(DESTDIR) scripts/install --uninstall optoutd

format:
	$(SWIFT_FORMAT) format --in-place --recursive --configuration .swift-format Package.swift Sources Tests

lint:
	$(SWIFT_FORMAT) lint --strict --recursive --configuration .swift-format Package.swift Sources Tests

clean:
	rm -rf .build Benchmarks/data
