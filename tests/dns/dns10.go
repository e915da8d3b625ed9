//go:build e2e

package dns

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// DNS-10: the DNS name is the service's name lower-cased.
// MUST: the name in upper case resolves to the same IP (DNS is
// case-insensitive), and a Service named with capitals is rejected by the
// API (names are lower-case DNS labels); confirmed when both hold.
func dns10(f *fixture) features.Feature {
	var chk *verdict.Check
	return verdict.Claim("DNS-10", &chk).
		Setup(f.setup).
		Assess("UpperCaseNameResolvesAndCapitalisedServiceIsRejected", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			name := strings.ToUpper("web." + f.ns + ".svc." + f.zone)
			_, resolved := resolves(ctx, t, chk, f.local, name, "A", f.recordBound(), is(f.web.Spec.ClusterIP))
			_, err := f.c.CoreV1().Services(f.ns).Create(ctx, kube.Service(f.ns, "Web-App", "", map[string]string{"app": "server"}, kube.ServicePort("http", 80, 0)), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
			chk.Evidence("create Service \"Web-App\" (dry run): %v", err)
			rejected := apierrors.IsInvalid(err) && strings.Contains(err.Error(), "metadata.name")
			if !rejected {
				verdict.Errorf(t, "a Service named with capitals was not rejected as an invalid name: %v", err)
			}
			if resolved && rejected {
				chk.Confirm("%s resolves to the ClusterIP %s; a Service named \"Web-App\" is rejected: %v", name, f.web.Spec.ClusterIP, err)
			}
			return ctx
		}).Feature()
}
