package kube

import (
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// ProbeImagePullPolicy is the pull policy of probe containers: Never where
// the image was loaded into the nodes (kind), IfNotPresent where it comes
// from a registry (--image-repo). The harness sets it before any test runs.
var ProbeImagePullPolicy = corev1.PullNever

// ProbeContainer is the probe image running `probe serve` on the given HTTP
// ports, with a readiness probe on the first, and POD_IP in its environment.
func ProbeContainer(name, image string, httpPorts []int32, extraArgs ...string) corev1.Container {
	ports := make([]string, len(httpPorts))
	var cports []corev1.ContainerPort
	for i, p := range httpPorts {
		ports[i] = strconv.Itoa(int(p))
		cports = append(cports, corev1.ContainerPort{Name: "http-" + ports[i], ContainerPort: p, Protocol: corev1.ProtocolTCP})
	}
	c := corev1.Container{
		Name:  name,
		Image: image,
		Args:  append([]string{"serve", "--http-ports", strings.Join(ports, ",")}, extraArgs...),
		Ports: cports,
		Env: []corev1.EnvVar{{Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{
			FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}}},
		ImagePullPolicy: ProbeImagePullPolicy,
	}
	if len(httpPorts) > 0 {
		// Ready within a second of starting; unready only after 3 failed
		// looks of 3 s each: on a busy node one slow probe is the kubelet's
		// delay, not the server's, and a flapping server would change the
		// endpoints that claims compare against.
		c.ReadinessProbe = &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/readyz", Port: intstr.FromInt32(httpPorts[0])}},
			PeriodSeconds: 1, FailureThreshold: 3, SuccessThreshold: 1, TimeoutSeconds: 3,
		}
	}
	return c
}

// IdleContainer runs `probe agent`: a client that probes are run in, by
// its agent or by exec.
func IdleContainer(name, image string) corev1.Container {
	return corev1.Container{Name: name, Image: image, Args: []string{"agent", "--container", name}, ImagePullPolicy: ProbeImagePullPolicy}
}

// PodSpec wraps containers with the suite's defaults: quick termination
// (probe exits on SIGTERM), and no API token, which the probe never uses and
// which costs a token request and a volume per pod.
func PodSpec(containers ...corev1.Container) corev1.PodSpec {
	return corev1.PodSpec{
		Containers:                    containers,
		TerminationGracePeriodSeconds: ptr.To[int64](2),
		AutomountServiceAccountToken:  ptr.To(false),
	}
}

// Pod builds a pod; nodeName pins it to a node ("" lets the scheduler pick).
func Pod(ns, name string, labels map[string]string, nodeName string, spec corev1.PodSpec) *corev1.Pod {
	spec.NodeName = nodeName
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels}, Spec: spec}
}

// Deployment builds a Deployment whose pods carry labels and use spec.
func Deployment(ns, name string, replicas int32, labels map[string]string, spec corev1.PodSpec) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec},
		},
	}
}

// ServicePort maps port to targetPort (0: omitted, so the API defaults it).
func ServicePort(name string, port, targetPort int32) corev1.ServicePort {
	sp := corev1.ServicePort{Name: name, Port: port, Protocol: corev1.ProtocolTCP}
	if targetPort != 0 {
		sp.TargetPort = intstr.FromInt32(targetPort)
	}
	return sp
}

// Service builds a Service of the given type ("" leaves the type unset).
func Service(ns, name string, typ corev1.ServiceType, selector map[string]string, ports ...corev1.ServicePort) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       corev1.ServiceSpec{Type: typ, Selector: selector, Ports: ports},
	}
}
