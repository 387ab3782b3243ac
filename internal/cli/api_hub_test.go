package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// metadataAPI is a data API on another host whose protected-resource
// metadata (RFC 9728) names hubs; it returns its URL.
func metadataAPI(t *testing.T, hubs ...string) string {
	t.Helper()
	ts := httptest.NewServer(nil)
	t.Cleanup(ts.Close)
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/oauth-protected-resource" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"resource":"` + ts.URL + `","authorization_servers":["` + strings.Join(hubs, `","`) + `"]}`))
	})
	return ts.URL
}

func TestLoginForChoosesTheHub(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	several := metadataAPI(t, "https://auth.example.org", h.URL)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"several hubs", []string{"--for", several}, ExitUsage, "takes tokens from several hubs: choose one with --server (https://auth.example.org, " + h.URL + ")"},
		{"--server not among them", []string{"--for", metadataAPI(t, h.URL), "--server", "https://auth.example.org"}, ExitUsage, "not from --server https://auth.example.org"},
		{"not an API", []string{"--for", h.URL}, ExitError, "--for " + h.URL + ": client: the API publishes no protected-resource metadata"},
		{"not a URL", []string{"--for", "data.example.org"}, ExitError, "not an API's URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.run(demoPassword+"\n", append([]string{"login", "--username", demoUser, "--password-stdin"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.msg)
			}
		})
	}
	r := h.run(demoPassword+"\n", "login", "--for", several, "--server", h.URL, "--username", demoUser, "--password-stdin")
	if r.code != ExitOK || !strings.Contains(r.stderr, "Logged in to "+h.URL) {
		t.Errorf("--server among several: exit %d, stderr %q", r.code, r.stderr)
	}
}
