package nodeimage

import (
	"fmt"
	"strings"
)

// FlannelBackends are the flannel backends a node image can default to.
var FlannelBackends = []string{"host-gw", "vxlan"}

// flannelManifest turns flannel's own kube-flannel.yml into kind's
// /kind/manifests/default-cni.yaml:
//   - kind templates {{ .PodSubnet }} into it and, for the "patch" marker,
//     appends CONTROL_PLANE_ENDPOINT to the DaemonSet's first container;
//   - flanneld dials that endpoint instead of the kubernetes ClusterIP, which
//     kube-proxy may not have programmed yet (the packet would leave the host);
//   - images point at the locally built flannel image.
func flannelManifest(upstream, backend string) (string, error) {
	known := false
	for _, b := range FlannelBackends {
		known = known || b == backend
	}
	if !known {
		return "", fmt.Errorf("unknown flannel backend %q (known: %s)", backend, strings.Join(FlannelBackends, ", "))
	}
	m := upstream
	steps := []struct{ old, new string }{
		{`"Network": "10.244.0.0/16"`, `"Network": "{{ .PodSubnet }}"`},
		{`"Type": "vxlan"`, fmt.Sprintf(`"Type": %q`, backend)},
		{"command:\n        - /opt/bin/flanneld\n        args:\n        - --ip-masq\n        - --kube-subnet-mgr\n", flanneldCommand},
	}
	for _, s := range steps {
		if !strings.Contains(m, s.old) {
			return "", fmt.Errorf("flannel manifest changed upstream: %q not found", s.old)
		}
		m = strings.Replace(m, s.old, s.new, 1)
	}
	for _, line := range strings.Split(m, "\n") {
		if img, ok := strings.CutPrefix(strings.TrimSpace(line), "image: "); ok {
			m = strings.ReplaceAll(m, "image: "+img, "image: "+FlannelImage)
		}
	}
	header := "# would you kindly template this file\n# would you kindly patch this file\n" +
		"# flannel " + FlannelVersion + " (" + backend + "), built from source by netconform\n"
	return header + m, nil
}

// flanneldCommand points flannel's in-cluster client (service-account CA
// and token) at the endpoint kind patches in: --kube-api-url alone would
// drop the CA. The flannel image has a shell (it is Debian based).
// --iptables-resync=60: flanneld checks its few masquerade and forward
// rules every 5 s by default, forking iptables each time, on every node
// (~2.5 processes a second on 5 nodes, 6% of a core here when idle); no
// one else removes them (the self-test's kube-proxy fault keeps them).
const flanneldCommand = `command:
        - /bin/sh
        - -c
        - 'export KUBERNETES_SERVICE_HOST="${CONTROL_PLANE_ENDPOINT%:*}" KUBERNETES_SERVICE_PORT="${CONTROL_PLANE_ENDPOINT##*:}"; exec /opt/bin/flanneld --ip-masq --kube-subnet-mgr --iptables-resync=60'
`

// defaultStorage replaces kind's local-path provisioner (whose image would be
// pulled): a StorageClass without a dynamic provisioner. No claim needs one.
const defaultStorage = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
`
