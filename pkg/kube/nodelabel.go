package kube

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Only code that runs on clusters the suite made labels nodes (faults,
// SVC-24's kube-proxy switch), so the shipped ClusterRole does not allow it.

// LabelNode sets label key of node to *value, or removes it for nil.
func LabelNode(ctx context.Context, c *Client, node, key string, value *string) error {
	var v any
	if value != nil {
		v = *value
	}
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]any{key: v}}})
	if err != nil {
		return err
	}
	if _, err = c.CoreV1().Nodes().Patch(ctx, node, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		return fmt.Errorf("label node %s %s: %w", node, key, err)
	}
	return nil
}
