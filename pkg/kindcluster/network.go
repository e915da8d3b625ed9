package kindcluster

import "os"

// DockerNetwork is the docker network of every cluster the suite makes: its
// own, not kind's shared "kind", so that the egress guard, which
// ci/prepare-host.sh scopes to this network's bridge (br-netconform), stops
// the suite's packets and no one else's, and counts only those.
const DockerNetwork = "netconform"

// useSuiteNetwork makes kind put the nodes it creates on DockerNetwork
// (kind reads the variable at create time; prepare-host made the network).
func useSuiteNetwork() { os.Setenv("KIND_EXPERIMENTAL_DOCKER_NETWORK", DockerNetwork) }
