package harness

import (
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
)

func TestOnlyNamespacesOfGoneRunsOnThisHostAreRemoved(t *testing.T) {
	live := kube.Run{Host: "aaaa", PID: 10, Start: 1}
	gone := kube.Run{Host: "aaaa", PID: 11, Start: 2}
	elsewhere := kube.Run{Host: "bbbb", PID: 12, Start: 3}
	labels := map[string]string{
		"nc-world-live": live.String(),
		"nc-world-gone": gone.String(),
		"nc-pod05-gone": gone.String(),
		"nc-other-host": elsewhere.String(),
		"nc-unlabelled": "true",
	}
	alive := func(r kube.Run) bool { return r == live }
	assert.DeepEqual(t, deadRunNamespaces(labels, "aaaa", alive), []string{"nc-pod05-gone", "nc-world-gone"})
}
