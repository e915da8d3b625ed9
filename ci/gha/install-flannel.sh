#!/usr/bin/env bash
# Flannel from its release manifest. kindest/node ships no `bridge` CNI
# plugin, which flannel delegates to: it is copied into every node from the
# containernetworking/plugins release, checked against that release's sha256.
#   ci/gha/install-flannel.sh <kind cluster name>
set -euo pipefail
name=$1
FLANNEL_VERSION=v0.28.4    # as pkg/nodeimage/versions.go
CNI_PLUGINS_VERSION=v1.9.1 # as pkg/nodeimage/versions.go and kind v0.33's base image

tmp=$(mktemp -d)
tgz=cni-plugins-linux-$(dpkg --print-architecture)-$CNI_PLUGINS_VERSION.tgz
url=https://github.com/containernetworking/plugins/releases/download/$CNI_PLUGINS_VERSION/$tgz
curl -fsSL --retry 3 -o "$tmp/$tgz" "$url"
curl -fsSL --retry 3 -o "$tmp/$tgz.sha256" "$url.sha256"
(cd "$tmp" && sha256sum -c "$tgz.sha256")
tar -C "$tmp" -xzf "$tmp/$tgz" ./bridge
for node in $(kind get nodes --name "$name"); do
	docker cp "$tmp/bridge" "$node:/opt/cni/bin/bridge"
done

kubectl apply -f "https://github.com/flannel-io/flannel/releases/download/$FLANNEL_VERSION/kube-flannel.yml"
kubectl -n kube-flannel rollout status daemonset/kube-flannel-ds --timeout=5m
