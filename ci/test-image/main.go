// Command test-image builds (or reuses) the probe image from
// fixtures/testimage and prints its reference.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/netconform/netconform/pkg/testimage"
)

func main() {
	root, err := os.Getwd()
	if err == nil {
		var ref string
		if ref, err = testimage.Build(context.Background(), root, os.Stderr); err == nil {
			fmt.Println(ref)
			return
		}
	}
	fmt.Fprintf(os.Stderr, "test-image: %v\n", err)
	os.Exit(1)
}
