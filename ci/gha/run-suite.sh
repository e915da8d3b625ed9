#!/usr/bin/env bash
# The suite against the cluster in $KUBECONFIG (existing-cluster mode):
# JUnit, go test events and per-claim verdicts go to $NETCONFORM_ARTIFACTS.
set -euo pipefail
art=${NETCONFORM_ARTIFACTS:-$PWD/_artifacts}
mkdir -p "$art"
export NETCONFORM_RESULTS="$art/results.jsonl"
format=testname
[ -n "${GITHUB_ACTIONS:-}" ] && format=github-actions # folds each test's log
go tool gotestsum --format "$format" --junitfile "$art/junit.xml" --jsonfile "$art/go-test.jsonl" -- \
	./tests/... -tags e2e -count=1 # the README's command
