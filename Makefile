# optoutd — build, run, test and measure.
#
#   make run     install what is missing, build, and show the plan for Config/optoutd.yaml
#   make test    the test suite (what CI runs)
#   make bench   benchmarks (release build): load and plan times, peak RSS, Remind for comparison

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
SWIFT_FORMAT ?= $(dir $(SWIFT))swift-format
CONFIG ?= Config/optoutd.yaml
# Debian packages the build and the tests need (time zone data for IANA zones).
DEBIAN_PACKAGES ?= tzdata pkg-config libsystemd-dev libsqlite3-dev systemd util-linux
BENCH_PACKAGES ?= remind time

.PHONY: all deps build release run test bench format lint clean

all: build

deps:
	@scripts/ensure-debian-packages $(DEBIAN_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	$$($(SWIFT) build --show-bin-path)/optoutd run --config $(CONFIG) --state .state/state.sqlite

# The daemon tests need a journald of their own: as root, the suite runs in a private
# mount namespace with one (scripts/with-journald); otherwise those tests are skipped.
test: deps
	$(SWIFT) build --build-tests
	if [ "$$(id -u)" -eq 0 ]; then scripts/with-journald $(SWIFT) test --skip-build; \
	else $(SWIFT) test --skip-build; fi

bench: release
	@scripts/ensure-debian-packages $(BENCH_PACKAGES) || echo "bench: some packages could not be installed"
	Benchmarks/run.sh $$($(SWIFT) build -c release --show-bin-path)/optoutd

format:
	$(SWIFT_FORMAT) format --in-place --recursive --configuration .swift-format Package.swift Sources Tests

lint:
	$(SWIFT_FORMAT) lint --strict --recursive --configuration .swift-format Package.swift Sources Tests

clean:
	rm -rf .build Benchmarks/data
