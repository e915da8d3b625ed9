#!/usr/bin/env bash
# make bench: times the README's command, `go test ./tests/... -tags e2e`,
# as a user runs it, beside the catalogue itself (the suite's test binary,
# compiled beforehand and run directly: what the command costs above the
# claims is the difference), alternating, on a warm kept cluster: images
# built and the cluster up beforehand (kept between the timed runs, removed
# at the end unless NETCONFORM_KEEP_CLUSTER=1), each run started on an idle
# cluster. Prints each run's wall time and verdicts, then each command's
# median and its ratio to the catalogue's.
#   ci/bench.sh [rounds, default 5]
#   BENCH_LOAD=1 ci/bench.sh   # with a CPU-bound busy loop on every core beside each run
#   BENCH_CMDS="catalogue|make e2e" ...   # the commands of a round, '|'-separated
#   BENCH_CMDS="catalogue|upstream" ...   # beside upstream's network conformance (make upstream)
#   BENCH_UNREADY=1 ...   # one server pod of the run's world made unready for 10 s in each run
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
keep=${NETCONFORM_KEEP_CLUSTER:-0}
export NETCONFORM_KEEP_CLUSTER=1
art=${NETCONFORM_ARTIFACTS:-$PWD/_artifacts}
export NETCONFORM_ARTIFACTS=$art NETCONFORM_RESULTS=$art/results.jsonl
IFS='|' read -r -a cmds <<<"${BENCH_CMDS:-catalogue|go test ./tests/... -tags e2e}"
bin=$art/bench/tests.test
[ "$(id -u)" = 0 ] && bash ci/prepare-host.sh

echo "[bench] warming up: images, cluster, test binary"
go run ./ci/node-image -k8s-version "${NETCONFORM_K8S_VERSION:-1.36.3}" >/dev/null
go run ./ci/test-image >/dev/null
go test ./tests/... -tags e2e -count=1 -run '^$' >/dev/null
mkdir -p "$(dirname "$bin")"
go test -c -tags e2e -o "$bin" ./tests
# "upstream" is upstream's network conformance (ci/upstream): built and loaded
# here, timed running only the cached e2e.test through ginkgo.
up=$art/bench/upstream
if [[ "|${BENCH_CMDS:-}|" == *"|upstream|"* ]]; then
	go build -o "$up" ./ci/upstream
	"$up" -k8s-version "${NETCONFORM_K8S_VERSION:-1.36.3}" -prepare >"$art/bench/upstream-prepare.log" 2>&1 ||
		{ tail -20 "$art/bench/upstream-prepare.log"; exit 1; }
fi

# run_cmd runs one command of a round; "catalogue" is the compiled binary,
# run from its package directory as go test runs it; "upstream" the cached e2e.test.
run_cmd() {
	if [ "$1" = catalogue ]; then
		(cd tests && "$bin" -test.count=1)
	elif [ "$1" = upstream ]; then
		"$up" -k8s-version "${NETCONFORM_K8S_VERSION:-1.36.3}" -no-build
	else
		bash -c "$1"
	fi
}

now() { date +%s%N; }
secs() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

# wait_idle waits until no namespace of an earlier run is left terminating,
# so a timed run starts on an idle cluster, as a fresh run of the suite would.
wait_idle() {
	local cp=${NETCONFORM_CLUSTER_NAME:-netconform}-control-plane
	for _ in $(seq 1 480); do
		[ -z "$(docker exec "$cp" kubectl --kubeconfig /etc/kubernetes/admin.conf get ns -l netconform.io/suite=true -o name 2>/dev/null)" ] && return
		sleep 0.25
	done
	echo "[bench] namespaces of the previous run still terminating after 2 min; timing anyway" >&2
}

# load keeps every core busy at normal priority (a CI machine running a
# build beside the suite) until the run ends.
load_pids=()
start_load() {
	for _ in $(seq 1 "$(nproc)"); do
		(while :; do :; done) &
		load_pids+=($!)
	done
}
stop_load() {
	[ ${#load_pids[@]} = 0 ] && return
	kill "${load_pids[@]}" 2>/dev/null || true
	wait "${load_pids[@]}" 2>/dev/null || true
	load_pids=()
}
trap 'stop_load; stop_unready' EXIT

# unready makes one server pod of the run's shared world unready for 10 s
# (its readiness endpoint failing, through the test image's /admin/ready),
# 15 s after it is first Ready: the self-test's check that a world pod
# that flaps during a run makes no claim fail. Logs what it did to $1.
unready_pid=
start_unready() {
	local cp=${NETCONFORM_CLUSTER_NAME:-netconform}-control-plane log=$1
	(
		set +e
		k() { docker exec "$cp" kubectl --kubeconfig /etc/kubernetes/admin.conf "$@"; }
		ns=
		for _ in $(seq 1 360); do
			ns=$(k get pods -A -l app=server --no-headers -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,READY:.status.containerStatuses[0].ready 2>/dev/null |
				awk '$1 ~ /^nc-world-/ && $2 == "server-1" && $3 == "true" {print $1; exit}')
			[ -n "$ns" ] && break
			sleep 0.5
		done
		[ -n "$ns" ] || { echo "no Ready world server-1 within 3 min: nothing made unready" >"$log"; exit; }
		sleep 15
		proxy=/api/v1/namespaces/$ns/pods/server-1:8080/proxy/admin/ready
		k get --raw "$proxy?state=false" >/dev/null && echo "$(date +%T) $ns/server-1 made unready" >"$log"
		sleep 10
		k get --raw "$proxy?state=true" >/dev/null && echo "$(date +%T) $ns/server-1 made ready again" >>"$log"
	) &
	unready_pid=$!
}
stop_unready() {
	[ -n "$unready_pid" ] || return 0
	wait "$unready_pid" 2>/dev/null || true
	unready_pid=
}

declare -A times
failures=0
for run in $(seq 1 "$runs"); do
	for i in "${!cmds[@]}"; do
		cmd=${cmds[$i]}
		wait_idle
		[ -n "${BENCH_LOAD:-}" ] && start_load
		s=$(now)
		log=$art/bench-run$run-$i.log
		[ -n "${BENCH_UNREADY:-}" ] && start_unready "$art/bench-run$run-$i.unready"
		rc=0
		run_cmd "$cmd" >"$log" 2>&1 || rc=$?
		took=$(secs "$s")
		stop_load
		stop_unready
		times[$i]="${times[$i]:-} $took"
		verdicts=$(go run ./ci/report -results "$NETCONFORM_RESULTS" -out "$art/bench-report" 2>/dev/null | sed 's/^\[report\] //; s/ ->.*//') || true
		[ "$rc" = 0 ] || failures=$((failures + 1))
		printf '[bench] round %d of %d, %s: %6s s  exit %d  %s%s%s\n' "$run" "$runs" "$cmd" "$took" "$rc" "$verdicts" \
			"$([ "$rc" = 0 ] || echo "  (log: $log)")" \
			"$([ -n "${BENCH_UNREADY:-}" ] && echo "; unready: $(tr '\n' ';' <"$art/bench-run$run-$i.unready" 2>/dev/null)")"
	done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
first=$(median <<<"${times[0]}")
for i in "${!cmds[@]}"; do
	m=$(median <<<"${times[$i]}")
	sorted=$(tr ' ' '\n' <<<"${times[$i]}" | grep . | sort -n)
	echo "[bench] ${cmds[$i]}: median ${m} s over $runs runs (min $(head -1 <<<"$sorted"), max $(tail -1 <<<"$sorted"))$(awk -v m="$m" -v f="$first" -v n="${cmds[0]}" -v i="$i" 'BEGIN { if (i > 0) printf ", %.2fx %s", m / f, n }')$([ -n "${BENCH_LOAD:-}" ] && echo ", every core busy")"
done
echo "[bench] $failures of $((runs * ${#cmds[@]})) runs failed"
if [ "$keep" = 0 ]; then go run ./ci/clean >/dev/null; fi
[ "$failures" = 0 ]
