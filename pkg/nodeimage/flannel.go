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
		{"- --kube-subnet-mgr\n", "- --kube-subnet-mgr\n        - --kube-api-url=https://$(CONTROL_PLANE_ENDPOINT)\n"},
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
