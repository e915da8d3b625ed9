#!/usr/bin/env bash
# Prints the wall time of each area and of the whole catalogue on a warm
# cluster: images built, cluster up (kept between the timed runs, removed at
# the end unless NETCONFORM_KEEP_CLUSTER=1), test binaries compiled and
# linked beforehand (go test would link them inside the timed window; on 2
# cores that is ~10 CPU-seconds that have nothing to do with the cluster).
#   ci/bench.sh [runs of the whole catalogue, default 1]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
keep=${NETCONFORM_KEEP_CLUSTER:-0}
export NETCONFORM_KEEP_CLUSTER=1
export NETCONFORM_RESULTS=${NETCONFORM_RESULTS:-$PWD/_artifacts/bench-results.jsonl}
results=$NETCONFORM_RESULTS
[ "$(id -u)" = 0 ] && bash ci/prepare-host.sh

echo "[bench] warming up: images, cluster, test binaries"
go test -tags e2e -count=1 -p 1 -timeout 90m -run '^$' ./tests/... >/dev/null
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go test -tags e2e -c -o "$bin/" ./tests/...
areas=$(cd tests && ls -d */ | tr -d / | grep -v internal)

now() { date +%s%N; }
secs() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
# area runs one package's binary from its directory, as go test does. The
# subshell execs it, so this script is its parent: areas started together
# count as one run of the suite and share its cluster.
area() { cd "tests/$1" && exec "$bin/$1.test" -test.count=1 -test.timeout=30m >"../../_artifacts/bench-$1.log" 2>&1; }

# wait_idle waits until no namespace of an earlier run is left terminating, so a
# timed run starts on an idle cluster, as a fresh run of the suite would.
wait_idle() {
	local cp=${NETCONFORM_CLUSTER_NAME:-netconform}-control-plane
	for _ in $(seq 1 480); do
		[ -z "$(docker exec "$cp" kubectl --kubeconfig /etc/kubernetes/admin.conf get ns -l netconform.io/suite=true -o name 2>/dev/null)" ] && return
		sleep 0.25
	done
	echo "[bench] namespaces of the previous run still terminating after 2 min; timing anyway" >&2
}

declare -A took
rm -f "$results"
for a in $areas; do
	wait_idle
	s=$(now)
	(area "$a") || echo "[bench] area $a FAILED (log: _artifacts/bench-$a.log)"
	took[$a]=$(secs "$s")
done
printf '%-10s %8s\n' area seconds
for a in $areas; do printf '%-10s %8s\n' "$a" "${took[$a]}"; done

for run in $(seq 1 "$runs"); do
	rm -f "$results"
	wait_idle
	s=$(now)
	pids=()
	for a in $areas; do
		(area "$a") &
		pids+=($!)
	done
	failed=()
	for i in "${!pids[@]}"; do
		a=$(echo $areas | cut -d' ' -f$((i + 1)))
		wait "${pids[$i]}" || { failed+=("$a"); cp "_artifacts/bench-$a.log" "_artifacts/bench-run$run-$a.log"; }
	done
	printf '%-10s %8s  (run %d of %d: all areas at once%s)\n' catalogue "$(secs "$s")" "$run" "$runs" \
		"$([ ${#failed[@]} = 0 ] || echo ", FAILED: ${failed[*]}; see _artifacts/bench-run$run-<area>.log")"
	go run ./ci/report -results "$results" -out "_artifacts/bench-report" | tail -1 || true
done
if [ "$keep" = 0 ]; then go run ./ci/clean >/dev/null; fi
