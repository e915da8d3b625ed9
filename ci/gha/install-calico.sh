#!/usr/bin/env bash
# Calico from its manifest (no operator: one DaemonSet and one Deployment to
# wait for). Server-side apply: its CRDs are too large for the
# last-applied annotation of a client-side apply.
#   ci/gha/install-calico.sh <kind cluster name>
set -euo pipefail
CALICO_VERSION=v3.31.3

kubectl apply --server-side -f "https://raw.githubusercontent.com/projectcalico/calico/$CALICO_VERSION/manifests/calico.yaml"
# kind nodes inherit the runner's loose reverse-path filter, which Felix refuses by default.
kubectl -n kube-system set env daemonset/calico-node FELIX_IGNORELOOSERPF=true
kubectl -n kube-system rollout status daemonset/calico-node --timeout=5m
kubectl -n kube-system rollout status deployment/calico-kube-controllers --timeout=5m
