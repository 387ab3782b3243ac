package admin_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// closedIssuer is an http URL on 127.0.0.1 where nothing listens.
func closedIssuer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestAddIdentityProviderHubToHub adds another hub (a real OpenID
// Connect provider on 127.0.0.1) as an upstream: discovery succeeds, the
// provider is stored with the defaults and the add is audited without the
// secret.
func TestAddIdentityProviderHubToHub(t *testing.T) {
	upstream := hubtest.New(t)
	a, s := newAdmin(t)
	n := admin.NewIdentityProvider{Name: "institute", Issuer: upstream.URL, ClientID: "platform-hub", ClientSecret: "upstream-s3cret"}
	got, err := a.AddIdentityProvider(context.Background(), n)
	if err != nil {
		t.Fatalf("AddIdentityProvider: %v", err)
	}
	want := storage.IdentityProvider{Name: "institute", Issuer: upstream.URL, ClientID: "platform-hub",
		ClientSecret: "upstream-s3cret", DisplayName: "institute", Scopes: []string{"openid", "profile", "email"},
		UsernameClaim: "preferred_username", Provision: storage.ProvisionAuto, CreatedAt: now}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("returned provider mismatch (-want +got):\n%s", d)
	}
	stored, err := s.GetIdentityProvider(context.Background(), "institute")
	if d := cmp.Diff(want, stored); err != nil || d != "" {
		t.Errorf("stored provider (err %v) mismatch (-want +got):\n%s", err, d)
	}
	e := lastAudit(t, s)
	if e.Type != storage.AuditAdmin || !strings.Contains(e.Detail, "add identity provider institute") ||
		strings.Contains(e.Detail, "upstream-s3cret") {
		t.Errorf("audit event = %+v, want an admin event adding institute without the secret", e)
	}
	_, err = a.AddIdentityProvider(context.Background(), n)
	wantErr(t, "add again", err, `identity provider "institute" already exists`, storage.ErrAlreadyExists)
}

// TestAddIdentityProviderUpstreamRefused: an upstream that is not a
// reachable OpenID Connect provider with this issuer is refused, and
// nothing is stored nor audited.
func TestAddIdentityProviderUpstreamRefused(t *testing.T) {
	notOIDC := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notOIDC.Close)
	bigPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, strings.Repeat("<p>not here</p>", 1000), http.StatusNotFound)
	}))
	t.Cleanup(bigPage.Close)
	upstream := hubtest.New(t)
	// The hub's discovery document names upstream.URL, not this address.
	otherName := strings.Replace(upstream.URL, "127.0.0.1", "localhost", 1)
	tests := []struct {
		name, issuer, msg string
	}{
		{"unreachable", closedIssuer(t), "connection refused"},
		{"not OIDC", notOIDC.URL, "404"},
		{"not OIDC, long page", bigPage.URL, "<p>not here</p>"},
		{"issuer mismatch", otherName, "issuer did not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, s := newAdmin(t)
			_, err := a.AddIdentityProvider(context.Background(), admin.NewIdentityProvider{
				Name: "up", Issuer: tt.issuer, ClientID: "hub", ClientSecret: "upstream-s3cret"})
			wantErr(t, "AddIdentityProvider", err, "is not a reachable OpenID Connect provider (nothing saved)", admin.ErrUpstream)
			if err != nil && (!strings.Contains(err.Error(), tt.msg) || strings.Contains(err.Error(), "upstream-s3cret") || len(err.Error()) > 500) {
				t.Errorf("error = %v, want one saying %q, without the secret, at most 500 bytes", err, tt.msg)
			}
			list, _ := s.ListIdentityProviders(context.Background())
			if len(list) != 0 || auditCount(t, s) != 0 {
				t.Errorf("after a refused add: %d providers, %d audit events; want none", len(list), auditCount(t, s))
			}
		})
	}
}

// TestAddIdentityProviderPreset: a preset fills its values and the
// caller's override them (here the issuer, so that the upstream is the
// in-process hub, and the display name).
func TestAddIdentityProviderPreset(t *testing.T) {
	upstream := hubtest.New(t)
	tests := []struct {
		name string
		n    admin.NewIdentityProvider
		want storage.IdentityProvider
	}{
		{"orcid values", admin.NewIdentityProvider{Preset: "orcid"},
			storage.IdentityProvider{DisplayName: "ORCID", Scopes: []string{"openid"}, UsernameClaim: "sub", Provision: "auto"}},
		{"flags override", admin.NewIdentityProvider{Preset: "orcid", DisplayName: "ORCID iD",
			Scopes: []string{"openid", "openid", "/read-limited"}, UsernameClaim: "name", Provision: "off", LinkVerifiedEmail: true},
			storage.IdentityProvider{DisplayName: "ORCID iD", Scopes: []string{"openid", "/read-limited"}, UsernameClaim: "name",
				Provision: "off", LinkVerifiedEmail: true}},
		{"keycloak with issuer", admin.NewIdentityProvider{Preset: "keycloak", GroupsClaim: "groups", GroupsPrefix: "lab-"},
			storage.IdentityProvider{DisplayName: "Keycloak", Scopes: []string{"openid", "profile", "email"},
				UsernameClaim: "preferred_username", GroupsClaim: "groups", GroupsPrefix: "lab-", Provision: "auto"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := newAdmin(t)
			tt.n.Name, tt.n.Issuer, tt.n.ClientID, tt.n.ClientSecret = "up", upstream.URL, "hub", "sec"
			got, err := a.AddIdentityProvider(context.Background(), tt.n)
			if err != nil {
				t.Fatalf("AddIdentityProvider: %v", err)
			}
			want := tt.want
			want.Name, want.Issuer, want.ClientID, want.ClientSecret, want.CreatedAt = "up", upstream.URL, "hub", "sec", now
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("provider mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// TestIdentityProviderPresetIssuers: the presets name the public issuers.
func TestIdentityProviderPresetIssuers(t *testing.T) {
	want := map[string]string{"orcid": "https://orcid.org", "cilogon": "https://cilogon.org",
		"egi": "https://aai.egi.eu/auth/realms/egi", "helmholtz": "https://login.helmholtz.de/oauth2", "keycloak": ""}
	got := map[string]string{}
	for name, p := range admin.Presets {
		got[name] = p.Issuer
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("preset issuers mismatch (-want +got):\n%s", d)
	}
}

// TestNewIdentityProviderCheck: bad input is refused as ErrInvalid before
// the upstream is contacted.
func TestNewIdentityProviderCheck(t *testing.T) {
	ok := admin.NewIdentityProvider{Name: "up", Issuer: "https://idp.example.org", ClientID: "hub", ClientSecret: "sec"}
	tests := []struct {
		name   string
		change func(*admin.NewIdentityProvider)
		msg    string
	}{
		{"bad name", func(n *admin.NewIdentityProvider) { n.Name = "a/b" }, `invalid provider name "a/b"`},
		{"empty name", func(n *admin.NewIdentityProvider) { n.Name = "" }, "invalid provider name"},
		{"http issuer", func(n *admin.NewIdentityProvider) { n.Issuer = "http://idp.example.org" }, "use an absolute https URL"},
		{"relative issuer", func(n *admin.NewIdentityProvider) { n.Issuer = "idp.example.org" }, "use an absolute https URL"},
		{"issuer with query", func(n *admin.NewIdentityProvider) { n.Issuer = "https://idp.example.org/?a=b" }, "without query"},
		{"no issuer", func(n *admin.NewIdentityProvider) { n.Issuer = "" }, "no issuer"},
		{"keycloak without issuer", func(n *admin.NewIdentityProvider) { n.Issuer, n.Preset = "", "keycloak" }, "no issuer"},
		{"unknown preset", func(n *admin.NewIdentityProvider) { n.Preset = "google" }, "unknown preset \"google\": use one of cilogon, egi, helmholtz, keycloak, orcid"},
		{"no client id", func(n *admin.NewIdentityProvider) { n.ClientID = "" }, "no client ID"},
		{"no secret", func(n *admin.NewIdentityProvider) { n.ClientSecret = "" }, "no client secret"},
		{"bad provision", func(n *admin.NewIdentityProvider) { n.Provision = "maybe" }, `invalid provisioning "maybe"`},
		{"no openid scope", func(n *admin.NewIdentityProvider) { n.Scopes = []string{"profile"} }, "must include openid"},
		{"prefix without claim", func(n *admin.NewIdentityProvider) { n.GroupsPrefix = "x-" }, "--groups-prefix needs --groups-claim"},
		{"claim without prefix", func(n *admin.NewIdentityProvider) { n.GroupsClaim = "groups" }, "--groups-claim needs --groups-prefix"},
		{"prefix without separator", func(n *admin.NewIdentityProvider) { n.GroupsClaim, n.GroupsPrefix = "groups", "lab" }, `invalid --groups-prefix "lab": use 1 to 63 characters`},
		{"prefix ending in @", func(n *admin.NewIdentityProvider) { n.GroupsClaim, n.GroupsPrefix = "groups", "lab@" }, "ending in -, . or _"},
		{"prefix with a colon", func(n *admin.NewIdentityProvider) { n.GroupsClaim, n.GroupsPrefix = "groups", "inst:" }, `invalid --groups-prefix "inst:"`},
		{"prefix too long", func(n *admin.NewIdentityProvider) {
			n.GroupsClaim, n.GroupsPrefix = "groups", strings.Repeat("a", 63)+"-"
		}, "invalid --groups-prefix"},
		{"prefix with a control character", func(n *admin.NewIdentityProvider) { n.GroupsClaim, n.GroupsPrefix = "groups", "a\x1b-" }, `invalid --groups-prefix "a\x1b-"`},
		{"control character", func(n *admin.NewIdentityProvider) { n.DisplayName = "a\x1b[2Jb" }, "--display-name must not contain control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := ok
			tt.change(&n)
			wantErr(t, "Check", n.Check(), tt.msg, admin.ErrInvalid)
		})
	}
	for _, prefix := range []string{"inst-", "lab.", "cilogon_", "a-b.c_", "-", strings.Repeat("a", 62) + "_"} {
		n := ok
		n.GroupsClaim, n.GroupsPrefix = "groups", prefix
		if err := n.Check(); err != nil {
			t.Errorf("Check(groups prefix %q) = %v, want nil", prefix, err)
		}
	}
	for _, issuer := range []string{"https://idp.example.org/realms/x", "http://127.0.0.1:8080", "http://[::1]:1", "http://localhost"} {
		n := ok
		n.Issuer = issuer
		if err := n.Check(); err != nil {
			t.Errorf("Check(issuer %s) = %v, want nil", issuer, err)
		}
	}
}

// TestIdentityProviderDisableEnableRemove: each change is stored and
// audited; an unknown provider is ErrNotFound with nothing audited.
func TestIdentityProviderDisableEnableRemove(t *testing.T) {
	upstream := hubtest.New(t)
	a, s := newAdmin(t)
	ctx := context.Background()
	if _, err := a.AddIdentityProvider(ctx, admin.NewIdentityProvider{Name: "up", Issuer: upstream.URL, ClientID: "hub", ClientSecret: "sec"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		run      func() error
		detail   string
		disabled bool
	}{
		{"disable", func() error { return a.SetIdentityProviderDisabled(ctx, "up", true) }, "disable identity provider up", true},
		{"enable", func() error { return a.SetIdentityProviderDisabled(ctx, "up", false) }, "enable identity provider up", false},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if e := lastAudit(t, s); e.Detail != st.detail {
			t.Errorf("%s: audit detail = %q, want %q", st.name, e.Detail, st.detail)
		}
		if p, err := s.GetIdentityProvider(ctx, "up"); err != nil || p.Disabled != st.disabled {
			t.Errorf("%s: Disabled = %t (err %v), want %t", st.name, p.Disabled, err, st.disabled)
		}
	}
	if n, err := a.RemoveIdentityProvider(ctx, "up", false); err != nil || n != 0 {
		t.Fatalf("remove: %d unlinked, %v; want 0, nil", n, err)
	}
	if e := lastAudit(t, s); e.Detail != "remove identity provider up" {
		t.Errorf("remove: audit detail = %q", e.Detail)
	}
	before := auditCount(t, s)
	_, err := a.RemoveIdentityProvider(ctx, "up", true)
	wantErr(t, "remove again", err, `no identity provider "up"`, storage.ErrNotFound)
	wantErr(t, "disable unknown", a.SetIdentityProviderDisabled(ctx, "up", true), `no identity provider "up"`, storage.ErrNotFound)
	if got := auditCount(t, s); got != before {
		t.Errorf("audit events after refused changes = %d, want %d", got, before)
	}
}
