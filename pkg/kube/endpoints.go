package kube

import (
	"context"
	"fmt"
	"sort"
	"strings"

	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Endpoints is a Service's EndpointSlices at one moment: the ready
// addresses, and a version that changes with every write to any of them.
// Two equal versions around a measurement prove the proxies were given no
// new endpoint set during it (a replica that went unready and back between
// them changes the version, though not the ready list).
type Endpoints struct {
	Ready   []string
	Version string
}

// ServiceEndpoints reads the EndpointSlices of Service ns/svc.
func ServiceEndpoints(ctx context.Context, c *Client, ns, svc string) (Endpoints, error) {
	slices, err := c.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc})
	if err != nil {
		return Endpoints{}, err
	}
	var e Endpoints
	var versions []string
	for _, s := range slices.Items {
		versions = append(versions, fmt.Sprintf("%s@%s", s.Name, s.ResourceVersion))
		for _, ep := range s.Endpoints {
			if ep.Conditions.Ready != nil && *ep.Conditions.Ready {
				e.Ready = append(e.Ready, ep.Addresses...)
			}
		}
	}
	sort.Strings(e.Ready)
	sort.Strings(versions)
	e.Version = strings.Join(versions, ",")
	return e, nil
}

// ReadyEndpointIPs lists the ready addresses of a Service's EndpointSlices.
func ReadyEndpointIPs(ctx context.Context, c *Client, ns, svc string) ([]string, error) {
	e, err := ServiceEndpoints(ctx, c, ns, svc)
	return e.Ready, err
}
