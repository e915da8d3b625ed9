#!/usr/bin/env bash
# Builds the probe image (content-hashed tag, the ref the suite expects) and
# loads it into every node: the suite itself runs no docker or kind against
# an existing cluster.
set -euo pipefail
ref=$(go run ./ci/test-image)
kind load docker-image "$ref" --name "${CLUSTER_NAME:-netconform}"
