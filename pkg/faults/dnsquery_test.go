package faults

import (
	"testing"

	"golang.org/x/net/dns/dnsmessage"
	"gotest.tools/v3/assert"
)

func answer(t *testing.T, rcode dnsmessage.RCode, a ...[4]byte) []byte {
	t.Helper()
	name := dnsmessage.MustNewName("10-244-0-3.kube-system.pod.cluster.local.")
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{Response: true, RCode: rcode})
	assert.NilError(t, b.StartQuestions())
	assert.NilError(t, b.Question(dnsmessage.Question{Name: name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}))
	assert.NilError(t, b.StartAnswers())
	for _, ip := range a {
		assert.NilError(t, b.AResource(dnsmessage.ResourceHeader{Name: name, Class: dnsmessage.ClassINET, TTL: 5}, dnsmessage.AResource{A: ip}))
	}
	msg, err := b.Finish()
	assert.NilError(t, err)
	return msg
}

func TestDNSAnswersAreDescribed(t *testing.T) {
	got, err := describeAnswer(answer(t, dnsmessage.RCodeNameError))
	assert.NilError(t, err)
	assert.Equal(t, got, "NXDOMAIN")
	got, err = describeAnswer(answer(t, dnsmessage.RCodeSuccess, [4]byte{10, 244, 0, 3}))
	assert.NilError(t, err)
	assert.Equal(t, got, "NOERROR A 10.244.0.3")
	_, err = describeAnswer([]byte("not dns"))
	assert.ErrorContains(t, err, "not a DNS message")
}

func TestDNSQueryAsksForA(t *testing.T) {
	q, err := dnsQuery("10-244-0-3.kube-system.pod.cluster.local")
	assert.NilError(t, err)
	var p dnsmessage.Parser
	h, err := p.Start(q)
	assert.NilError(t, err)
	assert.Assert(t, h.RecursionDesired && !h.Response)
	question, err := p.Question()
	assert.NilError(t, err)
	assert.Equal(t, question.Name.String(), "10-244-0-3.kube-system.pod.cluster.local.")
	assert.Equal(t, question.Type, dnsmessage.TypeA)
}
