package kube

import (
	"context"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func slice(name string, ready map[string]bool) *discoveryv1.EndpointSlice {
	s := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, Labels: map[string]string{discoveryv1.LabelServiceName: "web"}}}
	for ip, r := range ready {
		s.Endpoints = append(s.Endpoints, discoveryv1.Endpoint{Addresses: []string{ip}, Conditions: discoveryv1.EndpointConditions{Ready: &r}})
	}
	return s
}

func TestAnEndpointsVersionChangesWithAnyWriteEvenWhenTheReadyListIsTheSame(t *testing.T) {
	ctx := context.Background()
	c := &Client{Interface: fake.NewSimpleClientset(slice("web-a", map[string]bool{"10.0.0.2": true, "10.0.0.1": true, "10.0.0.3": false}))}
	before, err := ServiceEndpoints(ctx, c, "ns", "web")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(before.Ready, []string{"10.0.0.1", "10.0.0.2"}))

	// The same ready list, written again (a replica unready and back).
	s := slice("web-a", map[string]bool{"10.0.0.2": true, "10.0.0.1": true, "10.0.0.3": false})
	s.ResourceVersion = "2"
	_, err = c.DiscoveryV1().EndpointSlices("ns").Update(ctx, s, metav1.UpdateOptions{})
	assert.NilError(t, err)
	after, err := ServiceEndpoints(ctx, c, "ns", "web")
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(after.Ready, before.Ready))
	assert.Check(t, before.Version != after.Version, "version %q did not change", before.Version)

	again, err := ServiceEndpoints(ctx, c, "ns", "web")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(again.Version, after.Version), "no write, yet the version changed")
}
