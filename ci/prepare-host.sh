#!/usr/bin/env bash
# Prepares this machine for hermetic kind clusters. Idempotent, and harmless
# where Docker already runs. Order matters: the egress guard and the blackhole
# routes go up before any cluster can exist.
#
#   ci/prepare-host.sh          docker engine + egress guard + blackhole routes
#   ci/prepare-host.sh guard    egress guard + blackhole routes only
#   ci/prepare-host.sh count    print the packets the guard has rejected
#   ci/prepare-host.sh restore  put back the host limits it raised (inotify)
set -euo pipefail

CHAIN=NETCONFORM-EGRESS
# Cluster CIDRs (kind's defaults, also set in fixtures/kind/*.yaml).
CIDRS4=${NETCONFORM_CIDRS4:-"10.244.0.0/16 10.96.0.0/16"}
CIDRS6=${NETCONFORM_CIDRS6:-"fd00:10:244::/56 fd00:10:96::/112"}
DOCKERD_LOG=${NETCONFORM_DOCKERD_LOG:-/var/log/netconform-dockerd.log}
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
	fi
	mkdir -p /lib/modules # kind bind-mounts it; this kernel may have none
	local args=(--dns 127.0.0.1) # embedded DNS must not forward node lookups off the machine
	if missing_sys_resource; then
		log "CAP_SYS_RESOURCE is not in the bounding set: installing the capwrap runtime"
		mkdir -p "$(dirname "$CAPWRAP")"
		(cd "$here/capwrap" && CGO_ENABLED=0 go build -o "$CAPWRAP" -ldflags "-X main.realRunc=$(command -v runc)" .) ||
			die "could not build ci/capwrap (needs Go)"
		args+=(--add-runtime "netconform=$CAPWRAP" --default-runtime netconform)
	fi
	# A stale pid file from a killed session stops dockerd from starting.
	rm -f /var/run/docker.pid /run/docker/containerd/containerd.pid
	log "docker engine: starting dockerd (log: $DOCKERD_LOG)"
	setsid nohup dockerd "${args[@]}" >"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
	local i
	for i in $(seq 1 120); do
		docker info >/dev/null 2>&1 && { log "docker engine: up after $((i / 2)) s"; return; }
		sleep 0.5
	done
	tail -n 20 "$DOCKERD_LOG" >&2 || true
	die "dockerd did not come up within 60 s (log above: $DOCKERD_LOG)"
}

uplinks() { ip "$1" route show default 2>/dev/null | awk '{for (i=1;i<NF;i++) if ($i=="dev") print $(i+1)}' | sort -u; }

# guard_family installs, once, a REJECT chain for everything forwarded from
# containers to an uplink. IPv4 hooks into DOCKER-USER (dockerd keeps it ahead
# of its own ACCEPT rules); IPv6 hooks FORWARD, which this dockerd leaves alone.
guard_family() {
	local ipt=$1 family=$2 hook=$3 dev
	$ipt -w -N "$CHAIN" 2>/dev/null || true
	$ipt -w -C "$CHAIN" -j REJECT 2>/dev/null || $ipt -w -A "$CHAIN" -j REJECT
	$ipt -w -N "$hook" 2>/dev/null || true
	if [ "$hook" = DOCKER-USER ] && ! $ipt -w -C FORWARD -j DOCKER-USER 2>/dev/null; then
		$ipt -w -I FORWARD 1 -j DOCKER-USER
	fi
	for dev in $(uplinks "$family"); do
		$ipt -w -C "$hook" -o "$dev" -j "$CHAIN" 2>/dev/null || $ipt -w -I "$hook" 1 -o "$dev" -j "$CHAIN"
	done
}

# Build tools of the node image: debootstrap (rootfs), libseccomp-dev and gcc
# (static runc, pause).
install_build_deps() {
	local missing=()
	command -v debootstrap >/dev/null || missing+=(debootstrap)
	command -v gcc >/dev/null || missing+=(gcc libc6-dev)
	ls /usr/lib/*/libseccomp.a >/dev/null 2>&1 || missing+=(libseccomp-dev)
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring) # debootstrap checks the archive's signature
	[ ${#missing[@]} -eq 0 ] && return
	log "build tools: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
		die "could not install ${missing[*]}"
}

install_guard() {
	command -v iptables >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables >/dev/null
	guard_family iptables -4 DOCKER-USER
	guard_family ip6tables -6 FORWARD
	local cidr
	for cidr in $CIDRS4; do ip -4 route replace blackhole "$cidr"; done
	for cidr in $CIDRS6; do ip -6 route replace blackhole "$cidr" 2>/dev/null || true; done
	log "egress guard: up (uplinks: $(uplinks -4 | tr '\n' ' ')$(uplinks -6 | tr '\n' ' ')); blackholed: $CIDRS4 $CIDRS6"
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
count) count_rejected ;;
restore) require_root "$@"; serialise; restore_sysctl ;;
*) die "unknown command $1 (all | guard | count | restore)" ;;
esac
