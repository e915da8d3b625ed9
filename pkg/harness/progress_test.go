package harness

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

func TestAreaProgressTracksRunningClaims(t *testing.T) {
	var p areaProgress
	a, b := features.New("SVC-01").Feature(), features.New("SVC-02").Feature()
	ctx := context.Background()
	p.beforeFeature(ctx, nil, t, a)
	p.beforeFeature(ctx, nil, t, b)
	p.afterFeature(ctx, nil, t, a)
	assert.DeepEqual(t, p.running, []string{"SVC-02"})
	assert.Equal(t, p.done, 1)
	p.finish()
	p.finish() // a second finish (or one with no claims) does nothing
}
