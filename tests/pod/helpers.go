//go:build e2e

package pod

import "github.com/netconform/netconform/pkg/harness"

// harnessMadeCluster: the cluster CIDRs are known only for clusters the suite made.
func harnessMadeCluster() bool { return harness.Current().Kind }
