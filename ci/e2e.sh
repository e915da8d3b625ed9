#!/usr/bin/env bash
# Runs the e2e suite as `make e2e` does and reports the run as a whole: wall
# time, and the packets the egress guard rejected during it. It waits until
# the cluster is deleted, so the next command starts from a clean machine.
#   ci/e2e.sh [go test flags...]
set -uo pipefail
# A relative artifacts directory is the caller's, not the checkout's.
case ${NETCONFORM_ARTIFACTS:-/} in /*) ;; *) export NETCONFORM_ARTIFACTS=$PWD/$NETCONFORM_ARTIFACTS ;; esac
cd "$(dirname "$0")/.."
name=${NETCONFORM_CLUSTER_NAME:-netconform}
start=$(date +%s)

# strict_bool NAME prints 1 or 0 for a boolean variable, read as the harness
# reads it (strconv.ParseBool; unset is 0); any other value stops the run.
strict_bool() {
	case "${!1:-}" in
	"" | 0 | f | F | false | FALSE | False) echo 0 ;;
	1 | t | T | true | TRUE | True) echo 1 ;;
	*) echo "[e2e] error: $1 is '${!1}': give 1 or 0 (true or false)" >&2 && return 1 ;;
	esac
}

# Every input is checked before the host is changed.
keep=$(strict_bool NETCONFORM_KEEP_CLUSTER) || exit 2
if [ -z "${KUBECONFIG:-}" ] && [ -z "${NETCONFORM_NODE_IMAGE:-}" ]; then
	go run ./ci/node-image -print-ref -k8s-version "${NETCONFORM_K8S_VERSION:-1.36.3}" >/dev/null || exit 2
fi

# Existing-cluster mode (KUBECONFIG) makes nothing on this host: no Docker,
# no guard. Kind mode puts the guard up before any cluster exists.
if [ -z "${KUBECONFIG:-}" ] && [ "$(id -u)" = 0 ]; then
	bash ci/prepare-host.sh || exit 1
	guard_before=$(bash ci/prepare-host.sh count)
fi

# The images first, with their own progress and estimate: a cold node image
# build outlasts go test's default timeout, which the suite's command keeps.
if [ -z "${KUBECONFIG:-}" ]; then
	if [ -z "${NETCONFORM_NODE_IMAGE:-}" ]; then
		go run ./ci/node-image -k8s-version "${NETCONFORM_K8S_VERSION:-1.36.3}" >/dev/null || exit 1
	fi
	go run ./ci/test-image >/dev/null || exit 1
fi

# Verdicts, JUnit and reports of this run go to _artifacts/, held (flock)
# while it runs; a second run in this checkout gets a directory of its own
# under it, as the harness gives one to a plain go test (artifacts.go).
art=${NETCONFORM_ARTIFACTS:-$PWD/_artifacts}
mkdir -p "$art"
exec 9>"$art/.run.lock"
if ! flock -n 9; then
	art=$art/runs/$(date -u +%Y%m%dT%H%M%SZ)-$$
	mkdir -p "$art"
	exec 9>"$art/.run.lock"
	flock -n 9 || { echo "[e2e] error: could not hold $art" >&2; exit 1; }
	echo "[e2e] another run is writing to ${NETCONFORM_ARTIFACTS:-$PWD/_artifacts}: this run's artifacts go to $art"
fi
export NETCONFORM_ARTIFACTS=$art NETCONFORM_ARTIFACTS_HELD=$art NETCONFORM_RESULTS="$art/results.jsonl"
rm -f "$NETCONFORM_RESULTS" "${NETCONFORM_RESULTS%.jsonl}.cell.json" # the harness writes the cell file (version, dataplane)
# The README's command, through gotestsum for JUnit and streamed progress;
# the suite writes its own report (_artifacts/report/claims.{md,json,html}).
go tool gotestsum --format standard-verbose --junitfile "$art/junit.xml" -- \
	./tests/... -tags e2e -count=1 "$@"
rc=$?
[ -s "$art/junit.xml" ] && echo "[e2e] JUnit: $art/junit.xml"
# A failed run ends with each failed claim and its reason: the end of a CI
# log is often all of it that is shown.
if [ "$rc" != 0 ] && [ -s "$NETCONFORM_RESULTS" ]; then
	go run ./ci/report -results "$NETCONFORM_RESULTS" -out "$art/report" | grep '^\[report\] failed' || true
fi

# reaper_running: this cluster's reaper (its environment names the cluster,
# pkg/kindcluster) has not exited; after the cluster it removes the guard.
reaper_running() {
	local e
	for e in /proc/[0-9]*/environ; do
		tr '\0' '\n' 2>/dev/null <"$e" | grep -q "^NETCONFORM_REAPER=$name:" && return 0
	done
	return 1
}

if [ -z "${KUBECONFIG:-}" ] && [ "$keep" = 0 ]; then
	# The reaper deletes the cluster once go test has exited, then takes
	# the guard down if no cluster of the suite is left: wait for both, so
	# the host is as it was when this command returns.
	for _ in $(seq 1 240); do
		[ -z "$(docker ps -aq --filter "label=io.x-k8s.kind.cluster=$name" 2>/dev/null)" ] && ! reaper_running && break
		sleep 0.25
	done
	if [ -n "$(docker ps -aq --filter "label=io.x-k8s.kind.cluster=$name" 2>/dev/null)" ]; then
		echo "[e2e] cluster $name is still there after 60 s; remove it with: make clean" >&2
	fi
fi

echo "[e2e] total $(($(date +%s) - start)) s (images, create, suite, delete); go test exit code $rc"
if [ -n "${guard_before:-}" ]; then
	echo "[e2e] packets rejected by the egress guard during this run: $(($(bash ci/prepare-host.sh count) - guard_before))"
fi
exit $rc
