package faults

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/netconform/netconform/pkg/claims"
)

// addressesRoutedFromOutside routes, on this machine (the host of the kind
// network, where the outside observer's packets go), each node's pod CIDR
// via that node and the service CIDRs via one worker. prepare-host.sh
// blackholes those ranges; the routes are its halves, more specific, so
// the blackholes stay and deleting the routes restores them.
type addressesRoutedFromOutside struct {
	env   *Env
	added []hostRoute
}

type hostRoute struct {
	Dst netip.Prefix
	Via netip.Addr
}

func (r hostRoute) cmd(verb string) []string {
	family := "-4"
	if r.Dst.Addr().Is6() {
		family = "-6"
	}
	return []string{"ip", family, "route", verb, r.Dst.String(), "via", r.Via.String()}
}

func (f *addressesRoutedFromOutside) Name() string { return "pod-and-service-ips-routed-from-outside" }
func (f *addressesRoutedFromOutside) Breaks() []claims.Mechanism {
	return []claims.Mechanism{claims.Isolation}
}

func (f *addressesRoutedFromOutside) Apply(ctx context.Context) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("routes on this machine need root (the self-test runs as uid %d)", os.Geteuid())
	}
	w, err := f.env.Worker()
	if err != nil {
		return err
	}
	svc, err := f.env.serviceCIDRs(ctx)
	if err != nil {
		return err
	}
	var plan []hostRoute
	for _, n := range f.env.Targets() {
		plan = append(plan, routesVia(n.PodCIDRs, n.Addresses)...)
	}
	plan = append(plan, routesVia(svc, w.Addresses)...)
	for _, r := range plan {
		f.added = append(f.added, r) // recorded first: a half-made plan is reverted too
		// Present already: left by an interrupted self-test (no one else
		// routes these halves); it goes on revert like the others.
		if ok, err := f.present(ctx, r); err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := f.env.Shell.Run(ctx, Host, nil, r.cmd("add")...); err != nil {
			return err
		}
	}
	f.env.logf("host: %d routes to pod and service addresses via the nodes", len(plan))
	return nil
}

// routesVia routes both halves of each prefix via the address of its
// family; prefixes of a family without an address are left out.
func routesVia(prefixes []netip.Prefix, via []netip.Addr) []hostRoute {
	var out []hostRoute
	for _, p := range prefixes {
		for _, a := range via {
			if a.Is4() == p.Addr().Is4() {
				for _, h := range halves(p) {
					out = append(out, hostRoute{Dst: h, Via: a})
				}
				break
			}
		}
	}
	return out
}

// halves splits p into its two halves (a host prefix stays as it is).
func halves(p netip.Prefix) []netip.Prefix {
	p = p.Masked()
	bits := p.Bits()
	if bits == p.Addr().BitLen() {
		return []netip.Prefix{p}
	}
	b := p.Addr().AsSlice()
	b[bits/8] |= 0x80 >> (bits % 8)
	second, _ := netip.AddrFromSlice(b)
	return []netip.Prefix{netip.PrefixFrom(p.Addr(), bits+1), netip.PrefixFrom(second, bits+1)}
}

func (f *addressesRoutedFromOutside) present(ctx context.Context, r hostRoute) (bool, error) {
	args := r.cmd("show")
	out, err := f.env.Shell.Run(ctx, Host, nil, args[:len(args)-2]...) // ip route show DST
	return strings.Contains(out, "via "+r.Via.String()), err
}

func (f *addressesRoutedFromOutside) InEffect(ctx context.Context) (bool, string, error) {
	if len(f.added) == 0 {
		return false, "not applied", nil
	}
	var missing []string
	for _, r := range f.added {
		ok, err := f.present(ctx, r)
		if err != nil {
			return false, "", err
		}
		if !ok {
			missing = append(missing, r.Dst.String())
		}
	}
	return len(missing) == 0, fmt.Sprintf("%d host routes via nodes, missing: %v", len(f.added), missing), nil
}

func (f *addressesRoutedFromOutside) Revert(ctx context.Context) error {
	for len(f.added) > 0 {
		r := f.added[len(f.added)-1]
		ok, err := f.present(ctx, r)
		if err != nil {
			return err
		}
		if ok {
			if _, err := f.env.Shell.Run(ctx, Host, nil, r.cmd("del")...); err != nil {
				return err
			}
		}
		f.added = f.added[:len(f.added)-1]
	}
	return nil
}
