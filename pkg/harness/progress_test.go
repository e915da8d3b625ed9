package harness

import (
	"context"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

func TestRunProgressTracksEachAreaAlone(t *testing.T) {
	var out strings.Builder
	p := newRunProgress(&out)
	a := features.New("SVC-01").WithLabel("area", "svc").Feature()
	b := features.New("SVC-02").WithLabel("area", "svc").Feature()
	ctx := context.Background()
	p.beforeFeature(ctx, nil, t, a)
	p.beforeFeature(ctx, nil, t, b)
	p.afterFeature(ctx, nil, t, a)
	p.report()
	assert.Assert(t, strings.Contains(out.String(), "[area svc] claims running\n"))
	assert.Assert(t, strings.Contains(out.String(), "1 claims done, waiting on SVC-02\n"), out.String())
	p.afterFeature(ctx, nil, t, b)
	out.Reset()
	p.report() // all done: no empty "waiting on" line
	assert.Equal(t, out.String(), "")
	p.afterTest(ctx, nil, t)
	assert.Assert(t, strings.HasPrefix(out.String(), "[area svc] 2 claims done in "), out.String())
	p.finish()
	p.finish() // a second finish (or one with no claims) does nothing
}
