package harness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// HermeticCorefile drops the plugins that send queries off the machine:
// `forward` (names outside the cluster go to the host's resolver) and
// `loop` (its start-up probe is forwarded too). Nothing in the suite needs
// a name outside the cluster.
func HermeticCorefile(corefile string) string {
	var out []string
	depth, skipping := 0, -1
	for _, line := range strings.Split(corefile, "\n") {
		fields := strings.Fields(line)
		opens, closes := strings.Count(line, "{"), strings.Count(line, "}")
		if skipping < 0 && len(fields) > 0 && (fields[0] == "forward" || fields[0] == "loop") {
			if opens > closes {
				skipping = depth
				depth += opens - closes
			}
			continue
		}
		depth += opens - closes
		if skipping >= 0 {
			if depth <= skipping {
				skipping = -1
			}
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// makeDNSHermetic rewrites the CoreDNS Corefile and restarts CoreDNS, so the
// suite starts with a DNS that cannot forward.
func makeDNSHermetic(ctx context.Context, c *kube.Client) error {
	cms := c.CoreV1().ConfigMaps("kube-system")
	cm, err := cms.Get(ctx, "coredns", metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("read CoreDNS config: %w", err)
	}
	hermetic := HermeticCorefile(cm.Data["Corefile"])
	if hermetic == cm.Data["Corefile"] {
		return nil
	}
	cm.Data["Corefile"] = hermetic
	if _, err := cms.Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("update CoreDNS config: %w", err)
	}
	patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"netconform.io/restartedAt":%q}}}}}`, time.Now().Format(time.RFC3339Nano))
	if _, err := c.AppsV1().Deployments("kube-system").Patch(ctx, "coredns", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		return fmt.Errorf("restart CoreDNS: %w", err)
	}
	return c.WaitRolledOut(ctx, "kube-system", "coredns", 5*time.Minute) // a busy 2-core machine starts pods slowly
}
