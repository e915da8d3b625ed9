//go:build e2e

package dns

import (
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
)

// Run checks every DNS claim, all at once; TestDNS in tests/e2e_test.go calls it,
// and `go test ./tests/... -tags e2e -run 'TestDNS/DNS-07'` runs one.
func Run(t *testing.T, testenv env.Environment) {
	f := newFixture(t)
	testenv.TestInParallel(t,
		dns01(f), dns02(f), dns03(f), dns04(f), dns05(f), dns06(f), dns07(f), dns08(f),
		dns09(f), dns10(f), dns11(f), dns12(f), dns13(f), dns14(f), dns15(), dns16(f),
		dns17(f), dns18(f), dns19(f), dns20(f),
	)
}
