#!/usr/bin/env bash
# Creates the kind cluster of one matrix cell and installs its CNI; returns
# when every node is Ready and CoreDNS is rolled out.
#   ci/gha/cluster-up.sh <kindnet|flannel|calico|cilium> <kindest/node image@digest>
set -euo pipefail
cni=$1 image=$2
here=$(cd "$(dirname "$0")" && pwd)
name=${CLUSTER_NAME:-netconform}

kind create cluster --name "$name" --image "$image" --config "$here/kind-$cni.yaml" --wait 0s
if [ "$cni" != kindnet ]; then
	bash "$here/install-$cni.sh" "$name"
fi
kubectl wait --for=condition=Ready nodes --all --timeout=5m
kubectl -n kube-system rollout status deployment/coredns --timeout=5m
kubectl get nodes -o wide
