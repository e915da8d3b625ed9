package kindcluster

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// FlannelTemplatePath is where a netconform node image keeps its flannel
// manifest, in the form kind templates (see nodeimage.flannelManifest).
const FlannelTemplatePath = "/kind/manifests/default-cni.yaml"

const kindTemplateMarker = "would you kindly template this file"

// RenderFlannel does to the node image's flannel template what kind does
// to it, plus what kind cannot do: pick the backend, and write a dual-stack
// net-conf. kind templates its one podSubnet string ("v4,v6" when dual)
// into "Network", which flannel rejects (invalid CIDR address); flannel
// wants "Network" + "EnableIPv6" + "IPv6Network". endpoint is the API
// server as the nodes reach it (host:port): kind's patch for the template
// adds it as CONTROL_PLANE_ENDPOINT, which flanneld dials instead of the
// kubernetes ClusterIP.
func RenderFlannel(template string, d Dataplane, endpoint string) (string, error) {
	backend := d.FlannelBackend()
	if backend == "" {
		return "", fmt.Errorf("CNI %s is not flannel", d.CNI)
	}
	if !strings.Contains(template, kindTemplateMarker) {
		return "", fmt.Errorf("the node image's %s is not netconform's flannel template; %s needs a node image built by netconform (drop --node-image)", FlannelTemplatePath, d.CNI)
	}
	docs, err := splitYAML(template)
	if err != nil {
		return "", err
	}
	var configured, patched bool
	var out strings.Builder
	for _, doc := range docs {
		switch {
		case doc.GetKind() == "ConfigMap" && doc.GetName() == "kube-flannel-cfg":
			if err := setNetConf(doc, backend, d.IPFamily); err != nil {
				return "", err
			}
			configured = true
		case doc.GetKind() == "DaemonSet":
			if err := addEndpointEnv(doc, endpoint); err != nil {
				return "", err
			}
			patched = true
		}
		raw, err := yaml.Marshal(doc.Object)
		if err != nil {
			return "", err
		}
		out.WriteString("---\n")
		out.Write(raw)
	}
	if !configured || !patched {
		return "", fmt.Errorf("the node image's %s lacks flannel's ConfigMap kube-flannel-cfg or its DaemonSet", FlannelTemplatePath)
	}
	return out.String(), nil
}

func splitYAML(manifest string) ([]*unstructured.Unstructured, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(manifest)))
	var docs []*unstructured.Unstructured
	for {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		obj := map[string]any{}
		if err := yaml.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("parse flannel manifest: %w", err)
		}
		if len(obj) > 0 { // comments only
			docs = append(docs, &unstructured.Unstructured{Object: obj})
		}
	}
}

func setNetConf(cm *unstructured.Unstructured, backend, family string) error {
	raw, _, _ := unstructured.NestedString(cm.Object, "data", "net-conf.json")
	conf := map[string]any{}
	if err := json.Unmarshal([]byte(raw), &conf); err != nil {
		return fmt.Errorf("flannel net-conf.json: %w", err)
	}
	conf["Network"] = PodSubnet
	conf["Backend"] = map[string]any{"Type": backend}
	if family == DualStack {
		conf["EnableIPv6"] = true
		conf["IPv6Network"] = PodSubnetV6
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(conf); err != nil {
		return err
	}
	return unstructured.SetNestedField(cm.Object, b.String(), "data", "net-conf.json")
}

func addEndpointEnv(ds *unstructured.Unstructured, endpoint string) error {
	containers, _, _ := unstructured.NestedSlice(ds.Object, "spec", "template", "spec", "containers")
	if len(containers) == 0 {
		return fmt.Errorf("flannel DaemonSet %s has no containers", ds.GetName())
	}
	c := containers[0].(map[string]any)
	env, _ := c["env"].([]any)
	c["env"] = append(env, map[string]any{"name": "CONTROL_PLANE_ENDPOINT", "value": endpoint})
	return unstructured.SetNestedSlice(ds.Object, containers, "spec", "template", "spec", "containers")
}
