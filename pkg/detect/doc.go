// Package detect recognises set-ups in which a conformant cluster
// legitimately differs from the suite's own (another CNI's IPAM, a DNS
// cache on every node, kube-proxy replaced, cluster-wide policies), so that
// a claim reports what it found instead of failing. Each detection is a
// pure function of objects read from the cluster, unit-tested with the
// shapes those set-ups really have, no cluster needed.
package detect
