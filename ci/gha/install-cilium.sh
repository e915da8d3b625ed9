#!/usr/bin/env bash
# Cilium from its Helm chart, replacing kube-proxy (kind-cilium.yaml makes
# none): it reaches the API server directly, not through a Service it has
# yet to program. Pod CIDRs come from the nodes (IPAM mode kubernetes).
#   ci/gha/install-cilium.sh <kind cluster name>
set -euo pipefail
name=$1
CILIUM_VERSION=1.20.2

helm repo add cilium https://helm.cilium.io --force-update
helm install cilium cilium/cilium --version "$CILIUM_VERSION" --namespace kube-system \
	--set kubeProxyReplacement=true \
	--set k8sServiceHost="$name-control-plane" --set k8sServicePort=6443 \
	--set ipam.mode=kubernetes \
	--set operator.replicas=1
kubectl -n kube-system rollout status daemonset/cilium --timeout=5m
kubectl -n kube-system rollout status deployment/cilium-operator --timeout=5m
