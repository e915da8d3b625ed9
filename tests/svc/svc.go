//go:build e2e

package svc

import (
	"testing"

	"github.com/netconform/netconform/tests/internal/world"
	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every SVC claim, all at once; TestSvc in tests/e2e_test.go calls it,
// and `go test ./tests/... -tags e2e -run 'TestSvc/SVC-04'` runs one.
// SVC-24 stops kube-proxy on the node reserved for disruptive claims, which
// no other claim uses, so it runs with them.
func Run(t *testing.T, testenv env.Environment) {
	w := world.New(t)
	testenv.TestInParallel(t,
		svc01(w), svc02(), svc03(), svc04(w), svc05(w), svc06(w), svc07(w), svc08(w), svc09(w), svc10(w), svc11(w),
		svc12(w), svc13(w), svc14(), svc15(w), svc16(w), svc17(), svc18(w), svc19(w), svc20(w), svc21(), svc22(),
		svc23(w), svc24(w), svc25(w),
	)
}
