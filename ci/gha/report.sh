#!/usr/bin/env bash
# Claims report (md/json/html) from the run's verdicts, also shown as the
# job summary. No verdicts (setup failed) is said, not an error of its own.
set -euo pipefail
art=${NETCONFORM_ARTIFACTS:-$PWD/_artifacts}
if [ ! -s "$art/results.jsonl" ]; then
	echo "no verdicts in $art/results.jsonl: the suite's setup failed (see the Suite step)" | tee -a "${GITHUB_STEP_SUMMARY:-/dev/null}"
	exit 0
fi
rc=0
go run ./ci/report -results "$art/results.jsonl" -out "$art/report" || rc=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$art/report/claims.md" ]; then
	cat "$art/report/claims.md" >>"$GITHUB_STEP_SUMMARY"
fi
exit $rc
