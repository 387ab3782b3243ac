package cli

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

const upstreamSecret = "upstream-s3cret-value"

// TestIDPAddHubToHub adds another hub, a real OpenID Connect provider on
// 127.0.0.1, as an upstream; add prints the redirect URI, list and show
// (with and without --json) never print the secret, which is stored for
// the hub to send.
func TestIDPAddHubToHub(t *testing.T) {
	upstream := hubtest.New(t)
	h := newTestHub(t)
	h.env["HUBAUTH_ISSUER"] = "https://auth.example.org/"
	out := h.mustRun(upstreamSecret+"\n", "admin", "idp", "add", "institute", "--issuer", upstream.URL,
		"--client-id", "platform", "--client-secret-stdin", "--display-name", "Institute",
		"--groups-claim", "groups", "--groups-prefix", "inst-", "--scopes", "openid profile,email groups")
	if want := "https://auth.example.org/login/institute/callback\n"; out != want {
		t.Errorf("stdout = %q, want the redirect URI %q", out, want)
	}
	s := h.store()
	got, err := s.GetIdentityProvider(t.Context(), "institute")
	want := storage.IdentityProvider{Name: "institute", Issuer: upstream.URL, ClientID: "platform",
		ClientSecret: upstreamSecret, DisplayName: "Institute", Scopes: []string{"openid", "profile", "email", "groups"},
		UsernameClaim: "preferred_username", GroupsClaim: "groups", GroupsPrefix: "inst-", Provision: "auto", CreatedAt: testNow}
	if d := cmp.Diff(want, got); err != nil || d != "" {
		t.Errorf("stored provider (err %v) mismatch (-want +got):\n%s", err, d)
	}

	var list []admincmd.IDPJSON
	listJSON := h.mustRun("", "admin", "idp", "list", "--json")
	if err := json.Unmarshal([]byte(listJSON), &list); err != nil || len(list) != 1 || list[0].Issuer != upstream.URL {
		t.Errorf("list --json = %s (%v), want the provider", listJSON, err)
	}
	show := h.mustRun("", "admin", "idp", "show", "institute")
	outputs := map[string]string{"list --json": listJSON, "list": h.mustRun("", "admin", "idp", "list"), "show": show,
		"show --json": h.mustRun("", "admin", "idp", "show", "institute", "--json"), "audit": lastAudit(t, s).Detail}
	for name, text := range outputs {
		if strings.Contains(text, upstreamSecret) || !strings.Contains(text, "institute") {
			t.Errorf("%s shows the secret, or not the provider: %s", name, text)
		}
	}
	if !strings.Contains(show, "(stored, not shown)") || !strings.Contains(show, "inst-") {
		t.Errorf("show = %s", show)
	}
}

// TestIDPAddWithoutHubIssuer prints the callback path and says the hub's
// URL goes before it; --hub-issuer wins over HUBAUTH_ISSUER.
func TestIDPAddWithoutHubIssuer(t *testing.T) {
	upstream := hubtest.New(t)
	h := newTestHub(t)
	r := h.run("s\n", "admin", "idp", "add", "a", "--issuer", upstream.URL, "--client-id", "c", "--client-secret-stdin")
	if r.code != ExitOK || r.stdout != "/login/a/callback\n" || !strings.Contains(r.stderr, "--hub-issuer") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the path and a pointer to --hub-issuer", r.code, r.stdout, r.stderr)
	}
	h.env["HUBAUTH_ISSUER"] = "https://env.example.org"
	out := h.mustRun("s\n", "admin", "idp", "add", "b", "--issuer", upstream.URL, "--client-id", "c",
		"--client-secret-stdin", "--hub-issuer", "https://flag.example.org")
	if out != "https://flag.example.org/login/b/callback\n" {
		t.Errorf("stdout = %q, want the --hub-issuer's redirect URI", out)
	}
}

// TestIDPAddPreset: --preset fills its values, flags override them.
func TestIDPAddPreset(t *testing.T) {
	upstream := hubtest.New(t)
	h := newTestHub(t)
	h.mustRun("s\n", "admin", "idp", "add", "orcid", "--preset", "orcid", "--issuer", upstream.URL,
		"--client-id", "APP-1", "--client-secret-stdin", "--provision", "off")
	var got admincmd.IDPJSON
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "idp", "show", "orcid", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	want := admincmd.IDPJSON{Name: "orcid", Issuer: upstream.URL, ClientID: "APP-1", DisplayName: "ORCID",
		Scopes: []string{"openid"}, UsernameClaim: "sub", Provision: "off", CreatedAt: &testNow}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("show --json mismatch (-want +got):\n%s", d)
	}
}

// TestIDPAddRefused: bad input and upstreams that are not OpenID Connect
// providers fail with a clear error and leave nothing saved.
func TestIDPAddRefused(t *testing.T) {
	notOIDC := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notOIDC.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"no secret flag", "s\n", []string{"x", "--issuer", notOIDC.URL, "--client-id", "c"}, ExitUsage, "--client-secret-stdin"},
		{"empty secret", "", []string{"x", "--issuer", notOIDC.URL, "--client-id", "c", "--client-secret-stdin"}, ExitError, "empty client secret"},
		{"no name", "s\n", []string{"--issuer", notOIDC.URL, "--client-id", "c", "--client-secret-stdin"}, ExitUsage, "NAME"},
		{"bad name", "s\n", []string{"a b", "--issuer", notOIDC.URL, "--client-id", "c", "--client-secret-stdin"}, ExitError, `invalid provider name "a b"`},
		{"http issuer", "s\n", []string{"x", "--issuer", "http://idp.example.org", "--client-id", "c", "--client-secret-stdin"}, ExitError, "use an absolute https URL"},
		{"keycloak without issuer", "s\n", []string{"x", "--preset", "keycloak", "--client-id", "c", "--client-secret-stdin"}, ExitError, "no issuer"},
		{"unknown preset", "s\n", []string{"x", "--preset", "nope", "--client-id", "c", "--client-secret-stdin"}, ExitError, `unknown preset "nope"`},
		{"groups claim without prefix", "s\n", []string{"x", "--issuer", notOIDC.URL, "--client-id", "c", "--client-secret-stdin", "--groups-claim", "groups"}, ExitError, "--groups-claim needs --groups-prefix"},
		{"groups prefix without separator", "s\n", []string{"x", "--issuer", notOIDC.URL, "--client-id", "c", "--client-secret-stdin", "--groups-claim", "groups", "--groups-prefix", "lab"}, ExitError, "ending in -, . or _"},
		{"unreachable", "s\n", []string{"x", "--issuer", closed, "--client-id", "c", "--client-secret-stdin"}, ExitError, "is not a reachable OpenID Connect provider (nothing saved)"},
		{"not OIDC", "s\n", []string{"x", "--issuer", notOIDC.URL, "--client-id", "c", "--client-secret-stdin"}, ExitError, "is not a reachable OpenID Connect provider (nothing saved)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHub(t)
			wantFailure(t, h.run(tt.stdin, append([]string{"admin", "idp", "add"}, tt.args...)...), tt.code, tt.msg)
			if out := h.mustRun("", "admin", "idp", "list", "--json"); out != "[]\n" {
				t.Errorf("list after a refused add = %q, want []", out)
			}
		})
	}
}

// TestIDPDisableEnableRemove: each change is stored and audited; an
// unknown provider is an error.
func TestIDPDisableEnableRemove(t *testing.T) {
	upstream := hubtest.New(t)
	h := newTestHub(t)
	h.mustRun("s\n", "admin", "idp", "add", "up", "--issuer", upstream.URL, "--client-id", "c", "--client-secret-stdin")
	s := h.store()
	for _, st := range []struct {
		verb, detail string
		disabled     bool
	}{
		{"disable", "disable identity provider up", true},
		{"enable", "enable identity provider up", false},
	} {
		h.mustRun("", "admin", "idp", st.verb, "up")
		p, err := s.GetIdentityProvider(t.Context(), "up")
		if e := lastAudit(t, s); err != nil || p.Disabled != st.disabled || e.Detail != st.detail {
			t.Errorf("after %s: Disabled %t (err %v), audit %q; want %t, %q", st.verb, p.Disabled, err, e.Detail, st.disabled, st.detail)
		}
	}
	h.mustRun("", "admin", "idp", "remove", "up")
	if e := lastAudit(t, s); e.Detail != "remove identity provider up" {
		t.Errorf("audit after remove = %q", e.Detail)
	}
	for _, verb := range []string{"remove", "disable", "enable", "show"} {
		wantFailure(t, h.run("", "admin", "idp", verb, "up"), ExitError, `no identity provider "up"`)
	}
}
