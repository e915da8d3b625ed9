package faults

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// corednsWithoutPodRecords removes `pods insecure` (or `verified`) from the
// Corefile and restarts CoreDNS: pod records are gone, names of Services
// still resolve. In effect when every CoreDNS pod answers NXDOMAIN for a
// pod record it would otherwise serve (its own).
type corednsWithoutPodRecords struct {
	env      *Env
	original map[string]string // the ConfigMap's data before; nil: not applied
	zone     string
}

func (f *corednsWithoutPodRecords) Name() string { return "coredns-without-pod-records" }
func (f *corednsWithoutPodRecords) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.DNSPodRecords}
}

func (f *corednsWithoutPodRecords) Apply(ctx context.Context) error {
	var edited string
	err := f.update(ctx, func(data map[string]string) (map[string]string, error) {
		var err error
		if edited, err = WithoutPodRecords(data["Corefile"]); err != nil {
			return nil, err
		}
		if f.original == nil {
			f.original = copyMap(data)
			f.zone = clusterZone(data["Corefile"])
		}
		out := copyMap(data)
		out["Corefile"] = edited
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("edit ConfigMap %s/%s: %w", corednsNS, corednsConfigMap, err)
	}
	f.env.logf("Corefile: pods option removed (pods %s in %s now); restarting CoreDNS", podsMode(edited, f.zone), f.zone)
	return f.env.restartCoreDNS(ctx)
}

func (f *corednsWithoutPodRecords) update(ctx context.Context, edit func(map[string]string) (map[string]string, error)) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cm, err := f.env.Client.CoreV1().ConfigMaps(corednsNS).Get(ctx, corednsConfigMap, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if cm.Data, err = edit(cm.Data); err != nil {
			return err
		}
		_, err = f.env.Client.CoreV1().ConfigMaps(corednsNS).Update(ctx, cm, metav1.UpdateOptions{})
		return err
	})
}

// InEffect: every ready CoreDNS pod says NXDOMAIN to its own pod record.
func (f *corednsWithoutPodRecords) InEffect(ctx context.Context) (bool, string, error) {
	return f.answersAll(ctx, func(a string) bool { return a == "NXDOMAIN" })
}

func (f *corednsWithoutPodRecords) answersAll(ctx context.Context, want func(string) bool) (bool, string, error) {
	if f.original == nil {
		return false, "not applied", nil
	}
	answers, err := f.env.podRecordAnswers(ctx, f.zone)
	if err != nil {
		return false, "", err
	}
	all := len(answers) > 0
	var seen []string
	for q, a := range answers {
		all = all && want(a)
		seen = append(seen, q+": "+a)
	}
	sort.Strings(seen)
	return all, fmt.Sprintf("%d ready CoreDNS pods asked: %s", len(answers), strings.Join(seen, "; ")), nil
}

func (f *corednsWithoutPodRecords) Revert(ctx context.Context) error {
	if f.original == nil {
		return nil
	}
	original := f.original
	if err := f.update(ctx, func(map[string]string) (map[string]string, error) { return copyMap(original), nil }); err != nil {
		return fmt.Errorf("restore ConfigMap %s/%s: %w", corednsNS, corednsConfigMap, err)
	}
	if err := f.env.restartCoreDNS(ctx); err != nil {
		return err
	}
	err := kube.WaitFor(ctx, "CoreDNS answering pod records again", Bound, func(ctx context.Context) (kube.Observation, error) {
		ok, seen, err := f.answersAll(ctx, func(a string) bool { return strings.HasPrefix(a, "NOERROR A ") })
		return kube.Observation{Done: ok, Seen: seen}, err
	})
	if err != nil {
		return err
	}
	f.original = nil
	return nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
