package harness

import (
	"flag"
	"os"
	"path/filepath"
	"time"
)

// allAreasAtOnce lifts go test's -parallel, whose default (GOMAXPROCS, 2
// on a 2-core machine) would run the areas' top-level tests two at a
// time: they wait on the cluster, not on this process's CPUs. A -parallel
// given on the command line is kept.
func allAreasAtOnce() {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", "64")
	}
}

// markUncacheable keeps go test from replaying a cached "ok" for the plain
// `go test ./tests/... -tags e2e`: a verdict is about the cluster now, not
// about the test binary. go test does not cache a run that opened a file
// modified within seconds of the run's end, so the run opens a stamp file
// (logged: open is true, during the tests) and rewrites it as it ends.
func markUncacheable(artifacts string, open bool) {
	path := filepath.Join(artifacts, ".last-run")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		return
	}
	os.WriteFile(path, []byte(time.Now().Format(time.RFC3339Nano)+"\n"), 0o644)
	if open {
		if f, err := os.Open(path); err == nil {
			f.Close()
		}
	}
}
