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

// TestLoginForConfirmsTheHub: the API chooses the hub of login --for, so a
// secret goes only to a hub the user named, and a hub the user has not
// used is shown (in ASCII) and confirmed on a terminal.
func TestLoginForConfirmsTheHub(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	api := metadataAPI(t, h.URL)
	tty := func(ios *IOStreams) { ios.IsStdinTTY, ios.IsStdoutTTY = true, true }
	named := "a password, token or client secret goes only to a hub you name: add --server " + h.URL
	for _, tc := range []struct {
		name  string
		c     cmd
		code  int
		msg   string
		stdin string
	}{
		{"password", cmd{args: []string{"login", "--for", api, "--username", demoUser, "--password-stdin"}, stdin: demoPassword + "\n"}, ExitUsage, named, ""},
		{"password on a terminal", cmd{args: []string{"login", "--for", api, "--username", demoUser, "--password-stdin"}, stdin: demoPassword + "\n", io: tty}, ExitUsage, named, ""},
		{"token", cmd{args: []string{"login", "--for", api, "--with-token"}, stdin: "secret\n"}, ExitUsage, named, ""},
		{"HUBAUTH_SERVER another hub", cmd{args: []string{"login", "--for", api, "--username", demoUser, "--password-stdin"}, stdin: demoPassword + "\n",
			env: map[string]string{"HUBAUTH_SERVER": "https://auth.example.org"}}, ExitUsage, named, ""},
		{"browser without a terminal", cmd{args: []string{"login", "--for", api}}, ExitUsage, "which you have not used: confirm it with --server " + h.URL, ""},
		{"browser, answer no", cmd{args: []string{"login", "--for", api}, stdin: "n\n", io: tty}, ExitError, "login cancelled",
			"The API at " + api + " sends you to log in at " + h.URL + ", a hub you have not used. Log in there? [y/N] "},
		{"a Unicode hub shown as punycode", cmd{args: []string{"login", "--for", metadataAPI(t, "https://\u0430uth.example.org")}, stdin: "n\n", io: tty}, ExitError, "login cancelled",
			"log in at https://xn--uth-5cd.example.org, a hub you have not used"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.exec(tc.c)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) || !strings.Contains(r.stderr, tc.stdin) {
				t.Errorf("exit %d, stderr %q; want %d, %q and %q", r.code, r.stderr, tc.code, tc.msg, tc.stdin)
			}
			if _, ok := h.stored(""); ok {
				t.Fatal("a session was stored")
			}
		})
	}
	for _, c := range []cmd{
		{args: []string{"login", "--for", api, "--server", h.URL, "--username", demoUser, "--password-stdin"}, stdin: demoPassword + "\n"},
		{args: []string{"login", "--for", api, "--username", demoUser, "--password-stdin", "--force"}, stdin: demoPassword + "\n", env: map[string]string{"HUBAUTH_SERVER": h.URL}},
	} {
		if r := h.exec(c); r.code != ExitOK || !strings.Contains(r.stderr, "Logged in to "+h.URL) {
			t.Errorf("%v: exit %d, stderr %q; want the login", c.args, r.code, r.stderr)
		}
	}
}
