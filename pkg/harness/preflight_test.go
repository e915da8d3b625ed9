package harness

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/netconform/netconform/pkg/kube"
	"gotest.tools/v3/assert"
	"k8s.io/client-go/rest"
)

func clientTo(t *testing.T, server string) (*kube.Client, target) {
	t.Helper()
	tg := target{Kubeconfig: "/tmp/x.kubeconfig", Context: "ctx", Server: server, Config: &rest.Config{Host: server}}
	c, err := kube.NewClient(withRequestTimeout(tg.Config))
	assert.NilError(t, err)
	return c, tg
}

func TestUnreachableServerIsNamedWithKubeconfigAndContext(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, tg := clientTo(t, url)
	start := time.Now()
	_, err := checkReachable(context.Background(), c, tg)
	assert.Assert(t, time.Since(start) < requestTimeout+time.Second)
	for _, want := range []string{"cannot reach the Kubernetes API server " + url, "kubeconfig /tmp/x.kubeconfig, context \"ctx\"", "connection refused", "cluster-info"} {
		assert.ErrorContains(t, err, want)
	}
}

func TestRejectedCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}`))
	}))
	defer srv.Close()
	c, tg := clientTo(t, srv.URL)
	_, err := checkReachable(context.Background(), c, tg)
	assert.ErrorContains(t, err, "rejected the credentials")
}

func TestVersion(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"gitVersion":"v1.36.3"}`))
	}))
	defer srv.Close()
	c, tg := clientTo(t, srv.URL)
	v, err := checkReachable(context.Background(), c, tg)
	assert.NilError(t, err)
	assert.Equal(t, v, "v1.36.3")
}

func TestMaxNodesMustBeAPositiveWholeNumber(t *testing.T) {
	for v, ok := range map[string]bool{"8": true, "1": true, "0": false, "-2": false, "eight": false, "": false, "3.5": false} {
		_, err := (&Options{MaxNodes: v}).maxNodes()
		assert.Equal(t, err == nil, ok, "%q: %v", v, err)
	}
}
