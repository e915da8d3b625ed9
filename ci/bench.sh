#!/usr/bin/env bash
# Prints the wall time of each area and of the whole catalogue on a warm
# cluster: test binaries compiled, images built, cluster up (kept between
# the timed runs, removed at the end unless NETCONFORM_KEEP_CLUSTER=1).
#   ci/bench.sh [parallel packages for the whole run, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
par=${1:-8}
keep=${NETCONFORM_KEEP_CLUSTER:-0}
export NETCONFORM_KEEP_CLUSTER=1
export NETCONFORM_RESULTS=${NETCONFORM_RESULTS:-$PWD/_artifacts/bench-results.jsonl}
rm -f "$NETCONFORM_RESULTS"
[ "$(id -u)" = 0 ] && bash ci/prepare-host.sh

echo "[bench] warming up: images, cluster, test binaries"
go test -tags e2e -count=1 -p 1 -timeout 90m -run '^$' ./tests/... >/dev/null

now() { date +%s%N; }
secs() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
areas=$(cd tests && ls -d */ | tr -d / | grep -v internal)
declare -A took
for a in $areas; do
	s=$(now)
	if ! go test -tags e2e -count=1 -timeout 30m "./tests/$a" >"_artifacts/bench-$a.log" 2>&1; then
		echo "[bench] area $a FAILED (log: _artifacts/bench-$a.log)"
	fi
	took[$a]=$(secs "$s")
done
s=$(now)
whole_rc=0
go test -tags e2e -count=1 -p "$par" -timeout 30m ./tests/... >_artifacts/bench-all.log 2>&1 || whole_rc=$?
whole=$(secs "$s")

echo
printf '%-10s %8s\n' area seconds
for a in $areas; do printf '%-10s %8s\n' "$a" "${took[$a]}"; done
printf '%-10s %8s  (all areas at once, -p %s%s)\n' catalogue "$whole" "$par" "$([ $whole_rc = 0 ] || echo ', FAILED: see _artifacts/bench-all.log')"
go run ./ci/report -results "$NETCONFORM_RESULTS" -out _artifacts/bench-report | tail -1 || true
if [ "$keep" = 0 ]; then go run ./ci/clean >/dev/null; fi
