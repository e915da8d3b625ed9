# netconform: see README.md. Every target works on a fresh machine; the
# e2e targets prepare the host (Docker, egress guard) themselves.
K8S_VERSION ?= 1.36.3
GO ?= go
E2E_FLAGS ?=

.PHONY: test e2e bench report images node-image test-image clean prepare-host upstream

## test: unit tests of everything that needs no cluster (seconds)
test:
	$(GO) vet ./...
	$(GO) vet -tags e2e ./...
	$(GO) test -count=1 ./...

## e2e: the suite on a hermetic 4-node kind cluster built here (3 for claims, 1 reserved for disruptive ones)
e2e:
	NETCONFORM_K8S_VERSION=$(K8S_VERSION) bash ci/e2e.sh $(E2E_FLAGS)

## report: claims.md/json/html from the last run's verdicts (_artifacts/results.jsonl)
report:
	$(GO) run ./ci/report -results _artifacts/results.jsonl -out _artifacts/report

## bench: wall time of the README's command (go test ./tests/... -tags e2e) beside the
## catalogue's own (its compiled test binary), alternating on a warm kept cluster, BENCH_RUNS
## rounds, medians and ratio; BENCH_LOAD=1 keeps every core busy; BENCH_CMDS='catalogue|make e2e'
BENCH_RUNS ?= 5
bench:
	NETCONFORM_K8S_VERSION=$(K8S_VERSION) bash ci/bench.sh $(BENCH_RUNS)

## upstream: upstream Kubernetes' own network conformance (e2e.test's 48 [sig-network] [Conformance]
## specs and sig-node's service environment variables spec) on the kept kind cluster, everything built
## here from the module proxy and Debian packages, cached; JUnit in _artifacts/upstream/junit.xml.
## UPSTREAM_FLAGS: -procs N, -focus RE, -prepare (build and load only), -no-build (run what is cached)
UPSTREAM_FLAGS ?=
upstream:
	$(GO) run ./ci/upstream -k8s-version $(K8S_VERSION) $(UPSTREAM_FLAGS)

## images: the node image for K8S_VERSION and the probe test image
images: node-image test-image

node-image:
	$(GO) run ./ci/node-image -k8s-version $(K8S_VERSION)

test-image:
	$(GO) run ./ci/test-image

## prepare-host: Docker engine, egress guard, blackhole routes (idempotent)
prepare-host:
	bash ci/prepare-host.sh

## clean: remove clusters and containers the suite made (keeps image caches)
clean:
	$(GO) run ./ci/clean

## matrix: the catalogue on every cell of K8S_VERSIONS × CNIS × PROXY_MODES × IP_FAMILIES,
## one cluster at a time; reports in _artifacts/matrix/matrix.{md,json,html}
K8S_VERSIONS ?= 1.34.4 1.35.4 1.36.3
CNIS ?= flannel-host-gw flannel-vxlan
PROXY_MODES ?= iptables nftables
IP_FAMILIES ?= ipv4
MATRIX_PACKAGES ?= ./tests/...
MATRIX_FLAGS ?=
.PHONY: matrix
matrix:
	$(GO) run ./ci/matrix -k8s-versions "$(K8S_VERSIONS)" -cnis "$(CNIS)" -proxy-modes "$(PROXY_MODES)" \
		-ip-families "$(IP_FAMILIES)" -packages "$(MATRIX_PACKAGES)" -go-test-flags "$(MATRIX_FLAGS)"

## lint: go vet (with and without the e2e tag) and actionlint on .github/workflows;
## with shellcheck installed, actionlint checks run: steps with it and ci/gha/*.sh are checked too
ACTIONLINT_VERSION ?= v1.7.12
.PHONY: lint
lint:
	$(GO) vet ./...
	$(GO) vet -tags e2e ./...
	$(GO) run github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@if command -v shellcheck >/dev/null; then shellcheck ci/gha/*.sh; \
	else echo "lint: no shellcheck (apt-get install shellcheck): ci/gha/*.sh not checked"; fi

## selftest: break the kept cluster one mechanism at a time (pkg/faults), run the catalogue
## under each fault, and check that exactly the claims resting on it change; healthy before
## and after. Report: _artifacts/selftest/selftest.{md,json}. SELFTEST_FLAGS='-faults a,b'
SELFTEST_FLAGS ?=
.PHONY: selftest
selftest:
	NETCONFORM_K8S_VERSION=$(K8S_VERSION) $(GO) run ./ci/selftest $(SELFTEST_FLAGS)
