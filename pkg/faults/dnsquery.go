package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// askDNS sends one A query for name to server:53 from node's network
// namespace, through socat (the node has no DNS client), and describes
// the answer: its RCODE and A records, or "no answer".
func (e *Env) askDNS(ctx context.Context, node string, server netip.Addr, name string) (string, error) {
	q, err := dnsQuery(name)
	if err != nil {
		return "", err
	}
	peer := fmt.Sprintf("UDP4:%s:53", server)
	if server.Is6() {
		peer = fmt.Sprintf("UDP6:[%s]:53", server)
	}
	// -t 2: after the query is sent, wait up to 2 s for the reply.
	out, err := e.Shell.Run(ctx, node, q, "socat", "-t", "2", "-", peer)
	if err != nil {
		return "", fmt.Errorf("ask %s for %s from node %s: %w", server, name, node, err)
	}
	if len(out) == 0 {
		return "no answer", nil
	}
	return describeAnswer([]byte(out))
}

func dnsQuery(name string) ([]byte, error) {
	n, err := dnsmessage.NewName(strings.TrimSuffix(name, ".") + ".")
	if err != nil {
		return nil, err
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: uint16(rand.N(1 << 16)), RecursionDesired: true})
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(dnsmessage.Question{Name: n, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}); err != nil {
		return nil, err
	}
	return b.Finish()
}

// describeAnswer is "NXDOMAIN", "NOERROR", "NOERROR A 10.244.0.3", ...
func describeAnswer(msg []byte) (string, error) {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return "", fmt.Errorf("not a DNS message: %w", err)
	}
	if err := p.SkipAllQuestions(); err != nil {
		return "", err
	}
	words := []string{rcodeName(h.RCode)}
	for {
		a, err := p.AnswerHeader()
		if err == dnsmessage.ErrSectionDone {
			break
		}
		if err != nil {
			return "", err
		}
		if a.Type != dnsmessage.TypeA {
			if err := p.SkipAnswer(); err != nil {
				return "", err
			}
			continue
		}
		r, err := p.AResource()
		if err != nil {
			return "", err
		}
		words = append(words, "A", netip.AddrFrom4(r.A).String())
	}
	return strings.Join(words, " "), nil
}

func rcodeName(c dnsmessage.RCode) string {
	switch c {
	case dnsmessage.RCodeSuccess:
		return "NOERROR"
	case dnsmessage.RCodeNameError:
		return "NXDOMAIN"
	case dnsmessage.RCodeServerFailure:
		return "SERVFAIL"
	case dnsmessage.RCodeRefused:
		return "REFUSED"
	}
	return c.String()
}
