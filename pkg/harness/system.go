package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netconform/netconform/pkg/kindcluster"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var metav1GetOptions = metav1.GetOptions{}

// exportDiagnostics writes what a person needs to debug a failed run.
func exportDiagnostics(ctx context.Context, s *Suite, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if s.Kind {
		if err := kindcluster.ExportLogs(s.ClusterName, filepath.Join(dir, "kind-logs")); err != nil {
			fmt.Fprintf(os.Stderr, "[artifacts] kind export logs: %v\n", err)
		}
	}
	events, err := eventLines(ctx, s.Client, "")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "events.txt"), []byte(events), 0o644)
}
