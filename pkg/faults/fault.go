// Package faults breaks one cluster mechanism at a time, for the self-test
// (ci/selftest): each fault applies itself, shows by observation that it is
// in effect, and reverts to exactly what it found. The mechanisms are the
// vocabulary claims declare their verdicts on (pkg/claims/mechanisms.go);
// a fault that breaks a mechanism should change every claim resting on it
// and no other.
//
// Adding a fault: a small type implementing Fault, in a file of its own,
// listed in Catalogue. Apply records what it changes (in the type) before
// changing it; Revert puts back exactly that and waits until it is back;
// InEffect looks (the API, a node's kernel tables), never assumes. A fault
// never touches the node reserved for disruptive claims.
package faults

import (
	"context"

	"github.com/netconform/netconform/pkg/claims"
)

// Fault is one way to break a cluster, and its undoing.
type Fault interface {
	// Name is the fault's stable identifier in reports and -faults.
	Name() string
	// Breaks lists the mechanisms the fault breaks on its own.
	Breaks() []claims.Mechanism
	// Apply breaks the cluster and records what it changed. It does not
	// wait for the effect; InEffect observes it.
	Apply(ctx context.Context) error
	// InEffect looks once whether the fault holds now, and says what it
	// saw, for progress lines and timeout messages.
	InEffect(ctx context.Context) (bool, string, error)
	// Revert puts back what Apply changed and waits, within its own bound,
	// until it is back. Calling it when Apply did nothing is harmless.
	Revert(ctx context.Context) error
}

// Catalogue lists every fault, in the order the self-test applies them.
// env may be nil to read names and mechanisms only.
func Catalogue(env *Env) []Fault {
	return []Fault{
		&corednsScaledToZero{env: env},
		&corednsWithoutPodRecords{env: env},
		&podTrafficSNAT{iptablesFault{env: env}},
		&sameNodePodTrafficDropped{iptablesFault{env: env}},
		&crossNodePodTrafficDropped{iptablesFault{env: env}},
		&nodeToRemotePodsDropped{iptablesFault{env: env}},
		&nodePortRangeDropped{iptablesFault{env: env}},
		&addressesRoutedFromOutside{env: env},
		&serviceLinksOff{env: env},
		&endpointSliceControllerStopped{env: env},
		&kubeProxyRemoved{env: env},
	}
}

// Unbreakable are the mechanisms no single fault can break without
// breaking others, and why: the self-test has no fault for them, and the
// coverage test accepts only mechanisms listed here with a reason.
var Unbreakable = map[claims.Mechanism]string{
	claims.PodIPAM: "pod IPs come from the CNI's IPAM on each node; handing out a duplicate or out-of-range " +
		"address also cuts that pod's routes, so every claim using the node would change with POD-01/02/05/06/12",
	claims.KubernetesEnv: "kubelet injects the kubernetes Service's variables into every pod whatever enableServiceLinks " +
		"says; only a different kubelet (or a webhook rewriting every container's env) would drop them, and that changes every pod",
	claims.APIValidation: "validation and allocation are compiled into kube-apiserver; admission can only reject " +
		"more, which turns claims creating those objects (not only the validation claims) into failures",
}
