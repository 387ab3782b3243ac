package cli

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLoginIDP: --idp reaches the authorization URL as idp_hint. The
// browser here answers the callback with access_denied, as after a user
// cancelled at the upstream, so the test does not depend on the pages.
func TestLoginIDP(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	hint := make(chan string, 1)
	open := func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		hint <- q.Get("idp_hint")
		go func() { // a real opener returns at once
			back := q.Get("redirect_uri") + "?" + url.Values{"state": {q.Get("state")}, "error": {"access_denied"}}.Encode()
			resp, err := http.Get(back)
			if err != nil {
				t.Errorf("callback: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
	r := h.exec(cmd{args: []string{"login", "--server", h.URL, "--idp", "orcid"},
		env: map[string]string{"DISPLAY": ":0"}, f: func(f *Factory) { f.OpenBrowser = open }})
	if got := <-hint; got != "orcid" {
		t.Errorf("idp_hint = %q, want orcid", got)
	}
	if r.code != ExitError || !strings.Contains(r.stderr, "login failed: client: the login failed: access_denied") {
		t.Errorf("login cancelled at the upstream: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLoginIDPRefused: --idp goes with the browser login only, and names
// a provider.
func TestLoginIDPRefused(t *testing.T) {
	h := newTestHub(t)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"device", []string{"--method", "device"}, "--idp needs the browser login"},
		{"no browser", []string{"--no-browser"}, "--idp needs the browser login"},
		{"password", []string{"--username", "ada", "--password-stdin"}, "--idp needs the browser login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"login", "--server", "http://127.0.0.1:1", "--idp", "orcid"}, tt.args...)
			wantFailure(t, h.run("", args...), ExitUsage, tt.msg)
		})
	}
	wantFailure(t, h.run("", "login", "--server", "http://127.0.0.1:1", "--idp", "a b"), ExitUsage, `invalid --idp "a b"`)
}
