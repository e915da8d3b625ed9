package nodeimage

import (
	"runtime"
	"time"
)

// Measured on a 2-core machine with empty caches: the node image took 23 min
// 40 s, of which about 3 min waits on downloads (modules, debootstrap) and
// the rest is compiles, which scale with the cores.
const (
	coldWaiting      = 3 * time.Minute
	coldCompileCores = 41 * time.Minute // compile time × cores
)

// ColdBuildEstimate is how long building the node image from source takes
// here with empty caches, rounded to minutes.
func ColdBuildEstimate() time.Duration {
	return coldEstimate(runtime.NumCPU())
}

func coldEstimate(cores int) time.Duration {
	if cores < 1 {
		cores = 1
	}
	return (coldWaiting + coldCompileCores/time.Duration(cores)).Round(time.Minute)
}
