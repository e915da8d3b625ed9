package claims

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Cell is the set-up a run's verdicts belong to: one cell of a matrix of
// Kubernetes versions and dataplanes. The harness writes it next to the
// results file, so a results file says where its verdicts came from.
type Cell struct {
	K8sVersion string `json:"k8sVersion"` // as the API server reports it
	CNI        string `json:"cni"`
	ProxyMode  string `json:"proxyMode"`
	IPFamily   string `json:"ipFamily"`
	NodeImage  string `json:"nodeImage,omitempty"`
	// SetupError is why the run never got a usable cluster (no verdicts).
	SetupError string `json:"setupError,omitempty"`
	// Unconverged is what had not converged when the claims began (the
	// suite waits for it, within a bound, then runs them anyway).
	Unconverged string `json:"unconverged,omitempty"`
}

// Name is a short, file-name-safe label: v1.36.3-flannel-vxlan-nftables-ipv4.
// A CNI given as a file is named by its base name.
func (c Cell) Name() string {
	cni := strings.TrimSuffix(filepath.Base(c.CNI), filepath.Ext(c.CNI))
	v := c.K8sVersion
	if v != "" && !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return strings.Join([]string{v, cni, c.ProxyMode, c.IPFamily}, "-")
}

// String is the cell for people: "v1.36.3 · flannel-vxlan · nftables · ipv4".
func (c Cell) String() string {
	s := fmt.Sprintf("%s · %s · %s · %s", c.K8sVersion, c.CNI, c.ProxyMode, c.IPFamily)
	if c.Unconverged != "" {
		s += " · not converged when the claims began: " + c.Unconverged
	}
	return s
}

// CellFile is the cell file of a results file: results.jsonl -> results.cell.json.
func CellFile(results string) string {
	return strings.TrimSuffix(results, filepath.Ext(results)) + ".cell.json"
}

// WriteCell writes c atomically: every test package of a run writes it.
func WriteCell(path string, c Cell) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".cell-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(raw, '\n'))
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp makes it 0600
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ReadCell reads a cell file; nil without error when there is none.
func ReadCell(path string) (*Cell, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c Cell
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &c, nil
}
