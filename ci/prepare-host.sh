#!/usr/bin/env bash
# Prepares this machine for hermetic kind clusters. Idempotent, and harmless
# where Docker already runs. Order matters: the egress guard and the blackhole
# routes go up before any cluster can exist.
#
#   ci/prepare-host.sh          docker engine + egress guard + blackhole routes
#   ci/prepare-host.sh guard    egress guard + blackhole routes only
#   ci/prepare-host.sh count    print the packets the guard has rejected
#   ci/prepare-host.sh unguard  remove the guard, routes and network (make clean, once no suite cluster is left)
#   ci/prepare-host.sh restore  put back the host limits it raised (inotify)
#   ci/prepare-host.sh stop-docker  stop the Docker engine it started, if nothing runs on it
#
# Everything is scoped to what the suite made: its own docker network (the
# bridge br-netconform; kind puts the suite's nodes there), REJECT rules that
# match only that bridge, and blackhole routes marked with their own route
# protocol, added only where no route of the user's is shadowed.
set -euo pipefail

CHAIN=NETCONFORM-EGRESS
NETWORK=netconform # kindcluster.DockerNetwork
BRIDGE=br-netconform
NETWORK6=fd6e:6366:6f72:6d00::/64 # the network's IPv6 subnet (kind's networks have one)
ROUTE_PROTO=233                   # marks the suite's blackhole routes (a number neither the kernel nor iproute2 assigns)
# Cluster CIDRs (kind's defaults, also set in fixtures/kind/*.yaml).
CIDRS4=${NETCONFORM_CIDRS4:-"10.244.0.0/16 10.96.0.0/16"}
CIDRS6=${NETCONFORM_CIDRS6:-"fd00:10:244::/56 fd00:10:96::/112"}
DOCKERD_LOG=${NETCONFORM_DOCKERD_LOG:-/var/log/netconform-dockerd.log}
DOCKERD_MINE=/run/netconform-dockerd.pid # the daemon this script started, if any
CAPWRAP=/usr/local/libexec/netconform/capwrap
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf '[prepare-host] %s\n' "$*" >&2; }
die() { printf '[prepare-host] error: %s\n' "$*" >&2; exit 1; }

require_root() {
	[ "$(id -u)" = 0 ] || die "must run as root (it installs packages, starts dockerd and adds firewall rules); try: sudo $0 $*"
}

# Docker 20.10 asks for every capability for --privileged; where the bounding
# set lacks CAP_SYS_RESOURCE (bit 24) kind's nodes cannot start without capwrap.
missing_sys_resource() {
	local bnd
	bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	(( (16#$bnd >> 24 & 1) == 0 ))
}

start_docker() {
	if docker info >/dev/null 2>&1; then
		log "docker engine: already running ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
		return
	fi
	if ! command -v dockerd >/dev/null; then
		log "docker engine: installing docker.io from apt"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null; } ||
			die "could not install docker.io; install a Docker engine and start it, then rerun"
		# On a systemd host the package starts its own daemon: use that one.
		if wait_docker 20; then
			log "docker engine: started by the docker.io package ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
			return
		fi
	fi
	mkdir -p /lib/modules # kind bind-mounts it; this kernel may have none
	# The engine serves the user's other containers too: no daemon-wide
	# settings for the suite's sake (the node image does not look up
	# host.docker.internal, whose query docker's DNS would send off the machine).
	local args=()
	if missing_sys_resource; then
		log "CAP_SYS_RESOURCE is not in the bounding set: installing the capwrap runtime"
		mkdir -p "$(dirname "$CAPWRAP")"
		(cd "$here/capwrap" && CGO_ENABLED=0 go build -o "$CAPWRAP" -ldflags "-X main.realRunc=$(command -v runc)" .) ||
			die "could not build ci/capwrap (needs Go)"
		args+=(--add-runtime "netconform=$CAPWRAP" --default-runtime netconform)
	fi
	# A stale pid file from a killed session stops dockerd from starting;
	# one whose process lives is a daemon that is not answering: not ours to
	# replace.
	local f pid
	for f in /var/run/docker.pid /run/docker/containerd/containerd.pid; do
		pid=$(cat "$f" 2>/dev/null) || continue
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			die "a Docker daemon (pid $pid, $f) runs but does not answer \`docker info\`: fix or stop it, then rerun"
		fi
		rm -f "$f"
	done
	log "docker engine: starting dockerd (log: $DOCKERD_LOG)"
	setsid nohup dockerd "${args[@]}" >"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
	if wait_docker 60; then
		cp /var/run/docker.pid "$DOCKERD_MINE" # so that stop-docker stops this one and no other
		log "docker engine: up (stop it with ci/prepare-host.sh stop-docker, or make clean once nothing runs on it)"
		return
	fi
	tail -n 20 "$DOCKERD_LOG" >&2 || true
	die "dockerd did not come up within 60 s (log above: $DOCKERD_LOG)"
}

# wait_docker S waits up to S seconds for the engine to answer.
wait_docker() {
	local i
	for i in $(seq 1 $(($1 * 2))); do
		docker info >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# stop_docker stops the daemon this script started, and only while no
# container at all (the user's included) is on it.
stop_docker() {
	local pid
	pid=$(cat "$DOCKERD_MINE" 2>/dev/null) || { log "docker engine: not started by the suite, left running"; return; }
	if ! kill -0 "$pid" 2>/dev/null || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
		rm -f "$DOCKERD_MINE"
		return
	fi
	if [ -n "$(docker ps -aq 2>/dev/null)" ]; then
		log "docker engine: started by the suite, but containers are on it: left running"
		return
	fi
	kill "$pid"
	local i
	for i in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || { rm -f "$DOCKERD_MINE"; log "docker engine: stopped (the suite had started it)"; return; }
		sleep 0.5
	done
	die "dockerd (pid $pid) did not stop within 30 s"
}

uplinks() { ip "$1" route show default 2>/dev/null | awk '{for (i=1;i<NF;i++) if ($i=="dev") print $(i+1)}' | sort -u; }

# suite_network makes the suite's docker network, as kind makes its own
# (masquerade, the default bridge's MTU, IPv6), with a bridge name the guard
# can match before any node exists.
suite_network() {
	if docker network inspect "$NETWORK" >/dev/null 2>&1; then
		[ "$(docker network inspect -f '{{index .Options "com.docker.network.bridge.name"}}' "$NETWORK")" = "$BRIDGE" ] ||
			die "docker network $NETWORK exists but is not the suite's (its bridge is not $BRIDGE): rename or remove it (docker network rm $NETWORK)"
		return
	fi
	local mtu
	mtu=$(docker network inspect bridge -f '{{index .Options "com.docker.network.driver.mtu"}}' 2>/dev/null)
	docker network create -d bridge --label netconform.io/suite=true \
		-o com.docker.network.bridge.name="$BRIDGE" -o com.docker.network.bridge.enable_ip_masquerade=true \
		-o com.docker.network.driver.mtu="${mtu:-1500}" --ipv6 --subnet "$NETWORK6" "$NETWORK" >/dev/null ||
		die "could not create docker network $NETWORK"
	log "docker network $NETWORK: created (bridge $BRIDGE)"
}

# guard_family installs, once, a REJECT chain for what is forwarded from the
# suite's bridge to an uplink, and nothing else's. IPv4 hooks into
# DOCKER-USER (dockerd keeps it ahead of its own ACCEPT rules); IPv6 hooks
# FORWARD, which this dockerd leaves alone.
guard_family() {
	local ipt=$1 family=$2 hook=$3 dev
	$ipt -w -N "$CHAIN" 2>/dev/null || true
	$ipt -w -C "$CHAIN" -j REJECT 2>/dev/null || $ipt -w -A "$CHAIN" -j REJECT
	$ipt -w -N "$hook" 2>/dev/null || true
	if [ "$hook" = DOCKER-USER ] && ! $ipt -w -C FORWARD -j DOCKER-USER 2>/dev/null; then
		$ipt -w -I FORWARD 1 -j DOCKER-USER
	fi
	for dev in $(uplinks "$family"); do
		# Versions before the scoped guard matched every bridge: drop that rule.
		while $ipt -w -D "$hook" -o "$dev" -j "$CHAIN" 2>/dev/null; do :; done
		$ipt -w -C "$hook" -i "$BRIDGE" -o "$dev" -j "$CHAIN" 2>/dev/null || $ipt -w -I "$hook" 1 -i "$BRIDGE" -o "$dev" -j "$CHAIN"
	done
}

unguard_family() {
	local ipt=$1 hook=$2 rule
	# Every rule that jumps to the suite's chain, whatever its match.
	$ipt -w -S "$hook" 2>/dev/null | grep -- "-j $CHAIN\$" | while read -r rule; do
		eval "$ipt -w ${rule/-A /-D }"
	done
	$ipt -w -F "$CHAIN" 2>/dev/null || true
	$ipt -w -X "$CHAIN" 2>/dev/null || true
}

# check_routes refuses, before anything is changed, where the blackhole for
# a cluster CIDR (below) would shadow a route of someone else's (a VPN's
# 10.0.0.0/8, a route of that very prefix), and says which.
check_routes() {
	local family=$1 cidr others
	shift
	for cidr in "$@"; do
		others=$(ip "$family" route show match "$cidr" 2>/dev/null | grep -v -e '^default' -e " proto $ROUTE_PROTO " || true)
		# The suite's own unmarked blackholes of older versions are adopted.
		others=$(echo "$others" | old_blackhole -v "$cidr" || true)
		[ -z "$others" ] || die "route(s) on this host cover the cluster's $cidr: $(echo "$others" | tr '\n' ';') the suite's blackhole for it would shadow them. Move that network, or run against an existing cluster (KUBECONFIG), which changes nothing here"
	done
}

# blackhole routes a cluster CIDR to nowhere on the host, so that a host-side
# probe of a pod or service address fails here; the route is marked as the
# suite's, so that unguard removes it and nothing else.
blackhole() {
	local family=$1 cidr=$2
	ip "$family" route show exact "$cidr" proto "$ROUTE_PROTO" | grep -q "^blackhole" && return
	ip "$family" route add blackhole "$cidr" proto "$ROUTE_PROTO"
}

# Routes from versions before the marked ones were unmarked blackholes of the
# very same prefixes. old_blackhole [-v] CIDR keeps (with -v: drops) the
# lines of stdin that are such a route for CIDR; check_routes lets them be,
# adopt_old_blackholes takes them over (they are the suite's).
old_blackhole() {
	local invert=()
	[ "$1" = -v ] && { invert=(-v); shift; }
	grep "${invert[@]}" -E "^blackhole $1( dev lo)?( metric [0-9]+)?( pref medium)? *\$"
}

adopt_old_blackholes() {
	local family=$1 cidr=$2
	if ip "$family" route show exact "$cidr" | old_blackhole "$cidr" >/dev/null; then
		ip "$family" route del blackhole "$cidr" 2>/dev/null || true
	fi
}

# Build tools of the node image: debootstrap (rootfs), libseccomp-dev and gcc
# (static runc, pause), make, pkg-config and libcap-dev (static crun).
install_build_deps() {
	local missing=()
	command -v debootstrap >/dev/null || missing+=(debootstrap)
	command -v gcc >/dev/null || missing+=(gcc libc6-dev)
	command -v make >/dev/null || missing+=(make)
	command -v pkg-config >/dev/null || missing+=(pkgconf)
	ls /usr/lib/*/libseccomp.a >/dev/null 2>&1 || missing+=(libseccomp-dev)
	ls /usr/lib/*/libcap.a >/dev/null 2>&1 || missing+=(libcap-dev)
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring) # debootstrap checks the archive's signature
	[ ${#missing[@]} -eq 0 ] && return
	log "build tools: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
		die "could not install ${missing[*]}"
}

install_guard() {
	command -v iptables >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables >/dev/null
	# shellcheck disable=SC2086 # the CIDR lists split on spaces
	{ check_routes -4 $CIDRS4 && check_routes -6 $CIDRS6; } || exit 1
	suite_network
	guard_family iptables -4 DOCKER-USER
	guard_family ip6tables -6 FORWARD
	local cidr
	for cidr in $CIDRS4; do adopt_old_blackholes -4 "$cidr"; blackhole -4 "$cidr"; done
	for cidr in $CIDRS6; do adopt_old_blackholes -6 "$cidr"; blackhole -6 "$cidr" 2>/dev/null || true; done
	log "egress guard: up for bridge $BRIDGE (uplinks: $(uplinks -4 | tr '\n' ' ')$(uplinks -6 | tr '\n' ' ')); blackholed: $CIDRS4 $CIDRS6"
}

# remove_guard undoes install_guard once no cluster is on the suite's network.
remove_guard() {
	local left
	left=$(docker ps -aq --filter "network=$NETWORK" 2>/dev/null | wc -l)
	[ "$left" = 0 ] || { log "egress guard: kept ($left container(s) still on docker network $NETWORK)"; return; }
	unguard_family iptables DOCKER-USER
	unguard_family ip6tables FORWARD
	local cidr
	# Only the suite's prefixes, and only as the suite marked them.
	for cidr in $CIDRS4; do ip -4 route del blackhole "$cidr" proto "$ROUTE_PROTO" 2>/dev/null || true; done
	for cidr in $CIDRS6; do ip -6 route del blackhole "$cidr" proto "$ROUTE_PROTO" 2>/dev/null || true; done
	docker network rm "$NETWORK" >/dev/null 2>&1 || true
	log "egress guard, blackhole routes and docker network $NETWORK: removed"
}

count_rejected() {
	local total=0 n ipt
	for ipt in iptables ip6tables; do
		n=$($ipt -w -L "$CHAIN" -n -v -x 2>/dev/null | awk 'NR > 2 {s += $1} END {print s + 0}')
		total=$((total + n))
	done
	echo "$total"
}

# Each kind node runs its own kubelet, containerd and system pods, and each
# takes inotify instances: with Debian's default of 128 per user a second
# cluster (make selftest beside a kept one) fails with "too many open
# files" in kube-proxy and CoreDNS. Raise the limits to kind's advice where
# lower, recording the old values once; `restore` puts them back.
SYSCTL_ORIG=/var/lib/netconform/sysctl.orig
raise_inotify() {
	local kv key want have
	mkdir -p "$(dirname "$SYSCTL_ORIG")"
	for kv in fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288; do
		key=${kv%=*} want=${kv#*=}
		have=$(sysctl -n "$key")
		[ "$have" -ge "$want" ] && continue
		grep -q "^$key=" "$SYSCTL_ORIG" 2>/dev/null || echo "$key=$have" >>"$SYSCTL_ORIG"
		sysctl -qw "$key=$want"
		log "host: $key $have -> $want (restored by ci/prepare-host.sh restore, or make clean)"
	done
}

restore_sysctl() {
	[ -f "$SYSCTL_ORIG" ] || return 0
	local kv
	while read -r kv; do
		[ -n "$kv" ] && sysctl -qw "$kv" && log "host: $kv restored"
	done <"$SYSCTL_ORIG"
	rm -f "$SYSCTL_ORIG"
}

# One preparation at a time: test packages of one run start together.
serialise() { exec 9>/run/netconform-prepare-host.lock && flock 9; }

case "${1:-all}" in
all) require_root "$@"; serialise; start_docker; install_guard; raise_inotify; install_build_deps ;;
guard) require_root "$@"; serialise; install_guard ;;
unguard) require_root "$@"; serialise; remove_guard ;;
stop-docker) require_root "$@"; serialise; stop_docker ;;
count) count_rejected ;;
restore) require_root "$@"; serialise; restore_sysctl ;;
*) die "unknown command $1 (all | guard | count | unguard | stop-docker | restore)" ;;
esac
