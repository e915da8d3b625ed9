package harness

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/netconform/netconform/pkg/filelock"
)

// artifactsLock is the file whose lock a run holds on its artifacts
// directory while it writes there.
const artifactsLock = ".run.lock"

// artifactsHeldEnv names a directory the caller (ci/e2e.sh) has claimed
// for this run, and holds the lock on: the run writes there as it is.
const artifactsHeldEnv = "NETCONFORM_ARTIFACTS_HELD"

var artifactsUnlock func()

// claimArtifacts makes the run's artifacts directory its own: two runs in
// one checkout must not write one results.jsonl. The first run takes dir
// (its lock held until the process ends); a run that finds it held by a
// live run writes to a directory of its own under it, says so, and
// results follow it unless NETCONFORM_RESULTS names another place.
func claimArtifacts(dir string, log io.Writer) (string, error) {
	if held := os.Getenv(artifactsHeldEnv); held != "" && filepath.Clean(held) == filepath.Clean(dir) {
		return dir, nil
	}
	for attempt := 0; ; attempt++ {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("artifacts directory: %w", err)
		}
		unlock, ok, err := filelock.TryLock(filepath.Join(dir, artifactsLock))
		if err != nil {
			return "", fmt.Errorf("artifacts directory %s: %w", dir, err)
		}
		if ok {
			artifactsUnlock = unlock // held until the process ends: the open file must stay reachable
			return dir, nil
		}
		if attempt > 0 {
			return "", fmt.Errorf("artifacts directory %s: held by another run too", dir)
		}
		own := filepath.Join(dir, "runs", time.Now().UTC().Format("20060102T150405Z")+fmt.Sprintf("-%d", os.Getpid()))
		fmt.Fprintf(log, "[artifacts] another run is writing to %s: this run's verdicts, report and logs go to %s\n", dir, own)
		if cur := os.Getenv("NETCONFORM_RESULTS"); cur == "" || filepath.Clean(cur) == filepath.Join(dir, "results.jsonl") {
			os.Setenv("NETCONFORM_RESULTS", filepath.Join(own, "results.jsonl"))
		}
		dir = own
	}
}
