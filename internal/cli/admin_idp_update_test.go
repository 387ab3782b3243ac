package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestIDPUpdate changes only the settings given, reads a new secret from
// standard input, checks a new issuer by discovery and audits each update
// without the secret.
func TestIDPUpdate(t *testing.T) {
	upstream, moved := hubtest.New(t), hubtest.New(t)
	h := newTestHub(t)
	h.mustRun("old\n", "admin", "idp", "add", "inst", "--issuer", upstream.URL, "--client-id", "c", "--client-secret-stdin",
		"--groups-claim", "groups", "--groups-prefix", "inst-")
	s := h.store()
	want, err := s.GetIdentityProvider(t.Context(), "inst")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		stdin  string
		args   []string
		change func(*storage.IdentityProvider)
	}{
		{"display name, scopes, provisioning", "", []string{"--display-name", "Institute", "--scopes", "openid,email", "--provision", "off",
			"--link-verified-email"}, func(p *storage.IdentityProvider) {
			p.DisplayName, p.Scopes, p.Provision, p.LinkVerifiedEmail = "Institute", []string{"openid", "email"}, "off", true
		}},
		{"secret and client ID", upstreamSecret + "\n", []string{"--client-secret-stdin", "--client-id", "c2"}, func(p *storage.IdentityProvider) {
			p.ClientSecret, p.ClientID = upstreamSecret, "c2"
		}},
		{"no groups, no e-mail linking", "", []string{"--groups-claim", "", "--groups-prefix", "", "--link-verified-email=false",
			"--username-claim", "email"}, func(p *storage.IdentityProvider) {
			p.GroupsClaim, p.GroupsPrefix, p.LinkVerifiedEmail, p.UsernameClaim = "", "", false, "email"
		}},
		{"issuer", "", []string{"--issuer", moved.URL}, func(p *storage.IdentityProvider) { p.Issuer = moved.URL }},
	}
	for _, st := range steps {
		r := h.run(st.stdin, append([]string{"admin", "idp", "update", "inst"}, st.args...)...)
		if r.code != ExitOK || r.stdout != "" || !strings.HasPrefix(r.stderr, `Updated identity provider "inst"`) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", st.name, r.code, r.stdout, r.stderr)
		}
		st.change(&want)
		got, err := s.GetIdentityProvider(t.Context(), "inst")
		if d := cmp.Diff(want, got); err != nil || d != "" {
			t.Errorf("%s: stored provider (err %v) mismatch (-want +got):\n%s", st.name, err, d)
		}
		if e := lastAudit(t, s); !strings.HasPrefix(e.Detail, "update identity provider inst (") || strings.Contains(e.Detail, upstreamSecret) {
			t.Errorf("%s: audit = %q", st.name, e.Detail)
		}
	}
}

// TestIDPUpdateRefused: nothing to change, an unknown provider, a result
// the rules refuse and an unreachable issuer fail and change nothing.
func TestIDPUpdateRefused(t *testing.T) {
	upstream := hubtest.New(t)
	h := newTestHub(t)
	h.mustRun("s\n", "admin", "idp", "add", "up", "--issuer", upstream.URL, "--client-id", "c", "--client-secret-stdin")
	before := h.mustRun("", "admin", "idp", "show", "up", "--json")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"nothing to change", "", []string{"up"}, ExitUsage, "nothing to change"},
		{"no name", "", []string{"--client-id", "x"}, ExitUsage, "NAME"},
		{"unknown provider", "", []string{"nope", "--client-id", "x"}, ExitError, `no identity provider "nope"`},
		{"scopes without openid", "", []string{"up", "--scopes", "profile email"}, ExitError, "must include openid"},
		{"prefix without claim", "", []string{"up", "--groups-prefix", "p-"}, ExitError, "--groups-prefix needs --groups-claim"},
		{"claim without prefix", "", []string{"up", "--groups-claim", "groups"}, ExitError, "--groups-claim needs --groups-prefix"},
		{"prefix without separator", "", []string{"up", "--groups-claim", "groups", "--groups-prefix", "lab"}, ExitError, `invalid --groups-prefix "lab"`},
		{"empty secret", "", []string{"up", "--client-secret-stdin"}, ExitError, "empty client secret"},
		{"bad provisioning", "", []string{"up", "--provision", "maybe"}, ExitError, `invalid provisioning "maybe"`},
		{"unreachable issuer", "", []string{"up", "--issuer", "http://127.0.0.1:1"}, ExitError, "is not a reachable OpenID Connect provider (nothing saved)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFailure(t, h.run(tt.stdin, append([]string{"admin", "idp", "update"}, tt.args...)...), tt.code, tt.msg)
			if after := h.mustRun("", "admin", "idp", "show", "up", "--json"); after != before {
				t.Errorf("a refused update changed the provider:\n%s\nwas\n%s", after, before)
			}
		})
	}
}
