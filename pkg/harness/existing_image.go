package harness

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// ProbeImageName is the probe image's repository name under --image-repo.
const ProbeImageName = "netconform-probe"

// probeImageFor is the probe image an existing cluster runs: the
// content-hashed local ref (netconform.local/probe:<hash>), or, with an
// image repo, the same tag under REPO/netconform-probe, where the user
// pushed it. Keeping the hash tag means a stale push is never used.
func probeImageFor(localRef, repo string) (string, error) {
	if repo == "" {
		return localRef, nil
	}
	repo = strings.TrimSuffix(repo, "/")
	if err := checkImageRepo(repo); err != nil {
		return "", err
	}
	i := strings.LastIndex(localRef, ":")
	if i < 0 || strings.Contains(localRef[i:], "/") {
		return "", fmt.Errorf("probe image %s has no tag", localRef)
	}
	return repo + "/" + ProbeImageName + localRef[i:], nil
}

// checkImageRepo rejects what cannot be a repository to push a tag to.
func checkImageRepo(repo string) error {
	bad := func(why string) error {
		return fmt.Errorf("--image-repo %q: %s; give a repository such as registry.example.com/team (the suite adds /%s:<tag>)", repo, why, ProbeImageName)
	}
	switch {
	case repo == "":
		return bad("empty")
	case strings.ContainsAny(repo, " \t@"):
		return bad("contains a space or a digest")
	case strings.Contains(repo, "/") && strings.Contains(repo[strings.LastIndex(repo, "/"):], ":"):
		return bad("ends in a tag")
	case strings.ToLower(repo) != repo:
		return bad("image references are lower case")
	}
	return nil
}

// pullPolicyFor: an image loaded into the nodes is never pulled (a miss
// fails at once, and a hermetic run never reaches for a registry); one in
// an image repo is pulled once per node.
func pullPolicyFor(repo string) corev1.PullPolicy {
	if repo != "" {
		return corev1.PullIfNotPresent
	}
	return corev1.PullNever
}

// ProbePullPolicy is the imagePullPolicy for probe containers of this run.
func (s *Suite) ProbePullPolicy() corev1.PullPolicy { return pullPolicyFor(s.ImageRepo) }
