package nodeimage

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
)

// The recipe files are part of each artifact's inputs: editing how an
// artifact is built changes its key, so a stale cached artifact is never used.
//
//go:embed versions.go kubernetes.go components.go rootfs.go base.go images.go assemble.go flannel.go crun.go
var recipes embed.FS

// cacheKey hashes the given inputs and the named recipe files into a short tag.
func cacheKey(recipeFiles []string, inputs ...string) string {
	h := sha256.New()
	for _, f := range recipeFiles {
		b, err := recipes.ReadFile(f)
		if err != nil {
			panic(fmt.Sprintf("recipe %s not embedded: %v", f, err)) // programming error
		}
		fmt.Fprintf(h, "recipe %s %d\n", f, len(b))
		h.Write(b)
	}
	for _, in := range inputs {
		fmt.Fprintf(h, "input %d %s\n", len(in), in)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
