package certs

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"gotest.tools/v3/assert"
)

func TestIssuedCertificateVerifiesForItsNamesOnly(t *testing.T) {
	ca, err := NewCA("netconform test CA")
	assert.NilError(t, err)
	pair, err := ca.Issue("secure", "secure.ns.svc.cluster.local")
	assert.NilError(t, err)
	_, err = tls.X509KeyPair(pair.CertPEM, pair.KeyPEM)
	assert.NilError(t, err)
	block, _ := pem.Decode(pair.CertPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	assert.NilError(t, err)
	roots := x509.NewCertPool()
	assert.Assert(t, roots.AppendCertsFromPEM(ca.CertPEM))
	_, err = cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "secure.ns.svc.cluster.local"})
	assert.NilError(t, err)
	_, err = cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "other"})
	assert.ErrorContains(t, err, "certificate is valid for")
}
