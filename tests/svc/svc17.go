//go:build e2e

package svc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/certs"
	"github.com/netconform/netconform/pkg/harness"
	"github.com/netconform/netconform/pkg/kube"
	"github.com/netconform/netconform/pkg/verdict"
	"github.com/netconform/netconform/tests/internal/world"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
)

// SVC-17: service-to-service calls can use HTTPS, with a certificate served
// on 443 or a custom port.
// MUST: https://svc and https://svc:8443 succeed with a certificate whose
// SANs are the service's DNS names, verified against its CA; plain HTTP to
// the TLS port fails. The server and the client run on two given nodes
// (world.AcrossNodes), the same path in every run.
func svc17() features.Feature {
	var chk *verdict.Check
	return verdict.Claim("SVC-17", &chk).
		Assess("HTTPSVerifiesOn443And8443PlainHTTPFails", func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			c, ns := world.OwnNamespace(ctx, t, "nc-svc17")
			zone := world.ClusterDomain(ctx, c)
			names := []string{"secure", "secure." + ns, "secure." + ns + ".svc", "secure." + ns + ".svc." + zone}
			ca, err := certs.NewCA("netconform " + ns)
			if err != nil {
				verdict.Fatal(t, err)
			}
			pair, err := ca.Issue(names...)
			if err != nil {
				verdict.Fatal(t, err)
			}
			chk.Evidence("certificate issued by a CA made for this test; SANs %v", names)
			secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "secure-tls"}, Type: corev1.SecretTypeTLS,
				Data: map[string][]byte{"tls.crt": pair.CertPEM, "tls.key": pair.KeyPEM}}
			if _, err := c.CoreV1().Secrets(ns).Create(ctx, secret, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			caMap := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ca"}, Data: map[string]string{"ca.crt": string(ca.CertPEM)}}
			if _, err := c.CoreV1().ConfigMaps(ns).Create(ctx, caMap, metav1.CreateOptions{}); err != nil {
				verdict.Fatal(t, err)
			}
			labels := map[string]string{"app": "secure"}
			server := world.Server([]int32{world.ServerPort}, "--https-ports", "443,8443", "--tls-cert", "/tls/tls.crt", "--tls-key", "/tls/tls.key")
			server.Volumes = []corev1.Volume{{Name: "tls", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "secure-tls"}}}}
			server.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "tls", MountPath: "/tls"}}
			backend, across, err := world.AcrossNodes(ctx, c)
			if err != nil {
				verdict.Fatal(t, err)
			}
			serversReady := world.StartDeploy(ctx, t, c, kube.Deployment(ns, "secure", 1, labels, world.On(backend, server)))
			world.CreateService(ctx, t, c, kube.Service(ns, "secure", "", labels, kube.ServicePort("https", 443, 443), kube.ServicePort("https-alt", 8443, 8443)))
			spec := kube.PodSpec(kube.IdleContainer("client", harness.Current().ProbeImage))
			spec.Volumes = []corev1.Volume{{Name: "ca", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "ca"}}}}}
			spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "ca", MountPath: "/ca"}}
			p, err := c.CreatePodReady(ctx, kube.Pod(ns, "client", nil, across, spec), 2*time.Minute)
			if err != nil {
				verdict.Fatal(t, err)
			}
			client := kube.Prober{C: c, NS: ns, Pod: p.Name, Container: "client", IP: p.Status.PodIP}
			serversReady()
			verified := 0
			for _, url := range []string{"https://secure/hostname", "https://secure:8443/hostname", "https://secure." + ns + ".svc." + zone + "/hostname"} {
				r, err := world.WaitHTTP(ctx, client, url, world.ReachBound, "--ca", "/ca/ca.crt", "--timeout", "2s")
				world.Evidence(chk, client, url+" (verified against the CA)", world.HTTPSummary(r))
				if err != nil {
					verdict.Error(t, err)
					continue
				}
				verified++
			}
			// Not a network negative: the TLS port answers, but not plain HTTP
			// (a Go TLS server replies 400 to it), after the HTTPS checks above.
			plain := "http://secure:443/hostname"
			r, err := client.HTTP(ctx, plain, 3)
			if err != nil {
				verdict.Fatalf(t, "probe failure, not the cluster's answer: %v", err)
			}
			world.Evidence(chk, client, plain+" (plain HTTP to the TLS port)", fmt.Sprintf("%s statuses %v", world.HTTPSummary(r), r.Statuses))
			if r.OK > 0 {
				verdict.Errorf(t, "plain HTTP to the TLS port succeeded: %s", world.HTTPSummary(r))
			}
			if verified == 3 && r.OK == 0 {
				chk.Confirm("https://secure, :8443 and the FQDN verified against the service's CA; plain HTTP to 443 got no success (%s, statuses %v)", world.HTTPSummary(r), r.Statuses)
			}
			return ctx
		}).Feature()
}
