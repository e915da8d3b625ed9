// Command capwrap is an OCI runtime shim for hosts whose capability bounding
// set lacks capabilities that dockerd asks for (Docker 20.10 requests every
// capability for --privileged containers, moby#42906). It removes from the
// container's process spec each capability this process cannot hold, then
// execs the real runc. It is installed only where the bounding set is short.
package main

import (
	"fmt"
	"os"
	"syscall"
)

// realRunc is set at build time (-ldflags "-X main.realRunc=/usr/sbin/runc").
var realRunc = "/usr/sbin/runc"

func main() {
	if err := filterSpecInArgs(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "capwrap: %v\n", err)
		os.Exit(1)
	}
	args := append([]string{realRunc}, os.Args[1:]...)
	if err := syscall.Exec(realRunc, args, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "capwrap: exec %s: %v\n", realRunc, err)
		os.Exit(1)
	}
}

// filterSpecInArgs finds the spec runc is about to read (config.json of the
// bundle for create/run, the --process file for exec) and filters it.
func filterSpecInArgs(args []string) error {
	bounding, err := boundingSet()
	if err != nil {
		return err
	}
	sub, opts := subcommand(args)
	switch sub {
	case "create", "run":
		bundle := optionValue(opts, "bundle", "b")
		if bundle == "" {
			bundle = "."
		}
		return filterFile(bundle+"/config.json", true, bounding)
	case "exec":
		if p := optionValue(opts, "process", "p"); p != "" {
			return filterFile(p, false, bounding)
		}
	}
	return nil
}
