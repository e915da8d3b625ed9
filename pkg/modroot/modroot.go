// Package modroot finds the netconform checkout from a test package's
// working directory: scripts, fixtures and artifacts are addressed from it.
package modroot

import (
	"fmt"
	"os"
	"path/filepath"
)

// Find walks up from the working directory to the directory holding go.mod.
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return from(dir)
}

func from(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run the suite from the netconform checkout", dir)
		}
	}
}
