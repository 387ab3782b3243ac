package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

func ptr[T any](v T) *T { return &v }

// TestUpdateIdentityProvider changes every setting but the issuer, then
// the issuer to another hub (checked by discovery): only what is given
// changes, and the audit event says what without the secret.
func TestUpdateIdentityProvider(t *testing.T) {
	upstream, moved := hubtest.New(t), hubtest.New(t)
	a, s := newAdmin(t)
	ctx := context.Background()
	added, err := a.AddIdentityProvider(ctx, admin.NewIdentityProvider{Name: "up", Issuer: upstream.URL, ClientID: "hub", ClientSecret: "old-s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.UpdateIdentityProvider(ctx, "up", admin.IdentityProviderChanges{
		ClientID: ptr("hub2"), ClientSecret: ptr("new-s3cret"), DisplayName: ptr("Institute"),
		Scopes: []string{"openid", "groups", "openid"}, UsernameClaim: ptr("email"), GroupsClaim: ptr("groups"),
		GroupsPrefix: ptr("inst-"), Provision: ptr(storage.ProvisionOff), LinkVerifiedEmail: ptr(true)}, false)
	if err != nil {
		t.Fatalf("UpdateIdentityProvider: %v", err)
	}
	want := added
	want.ClientID, want.ClientSecret, want.DisplayName, want.Scopes = "hub2", "new-s3cret", "Institute", []string{"openid", "groups"}
	want.UsernameClaim, want.GroupsClaim, want.GroupsPrefix, want.Provision, want.LinkVerifiedEmail = "email", "groups", "inst-", "off", true
	stored, serr := s.GetIdentityProvider(ctx, "up")
	if d := cmp.Diff(want, got) + cmp.Diff(want, stored); serr != nil || d != "" {
		t.Errorf("provider (err %v) mismatch (-want +got):\n%s", serr, d)
	}
	e := lastAudit(t, s)
	if e.Type != storage.AuditAdmin || strings.Contains(e.Detail, "s3cret") || e.Detail != `update identity provider up (client ID: hub2; `+
		`client secret replaced; display name: "Institute"; scopes: openid groups; username claim: email; groups claim: groups; `+
		`groups prefix: inst-; provision: off; link verified e-mail: true)` {
		t.Errorf("audit event = %+v", e)
	}

	got, err = a.UpdateIdentityProvider(ctx, "up", admin.IdentityProviderChanges{Issuer: &moved.URL, DisplayName: ptr(""),
		GroupsClaim: ptr(""), GroupsPrefix: ptr(""), LinkVerifiedEmail: ptr(false)}, false)
	want.Issuer, want.DisplayName, want.GroupsClaim, want.GroupsPrefix, want.LinkVerifiedEmail = moved.URL, "up", "", "", false
	if d := cmp.Diff(want, got); err != nil || d != "" {
		t.Errorf("new issuer (err %v) mismatch (-want +got):\n%s", err, d)
	}
}

// TestUpdateIdentityProviderRefused: a result the rules of add refuse, or
// an issuer that is not a reachable OpenID Connect provider, changes
// nothing and is not audited.
func TestUpdateIdentityProviderRefused(t *testing.T) {
	upstream := hubtest.New(t)
	a, s := newAdmin(t)
	ctx := context.Background()
	added, err := a.AddIdentityProvider(ctx, admin.NewIdentityProvider{Name: "up", Issuer: upstream.URL, ClientID: "hub", ClientSecret: "sec"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, provider string
		c              admin.IdentityProviderChanges
		msg            string
		target         error
	}{
		{"unknown provider", "nope", admin.IdentityProviderChanges{ClientID: ptr("x")}, `no identity provider "nope"`, storage.ErrNotFound},
		{"nothing to change", "up", admin.IdentityProviderChanges{}, "nothing to change", admin.ErrInvalid},
		{"scopes without openid", "up", admin.IdentityProviderChanges{Scopes: []string{"profile"}}, "must include openid", admin.ErrInvalid},
		{"no scopes", "up", admin.IdentityProviderChanges{Scopes: []string{}}, "must include openid", admin.ErrInvalid},
		{"prefix without claim", "up", admin.IdentityProviderChanges{GroupsPrefix: ptr("p-")}, "--groups-prefix needs --groups-claim", admin.ErrInvalid},
		{"claim without prefix", "up", admin.IdentityProviderChanges{GroupsClaim: ptr("groups")}, "--groups-claim needs --groups-prefix", admin.ErrInvalid},
		{"prefix without separator", "up", admin.IdentityProviderChanges{GroupsClaim: ptr("groups"), GroupsPrefix: ptr("lab")}, "ending in -, . or _", admin.ErrInvalid},
		{"empty client ID", "up", admin.IdentityProviderChanges{ClientID: ptr("")}, "no client ID", admin.ErrInvalid},
		{"empty secret", "up", admin.IdentityProviderChanges{ClientSecret: ptr("")}, "no client secret", admin.ErrInvalid},
		{"bad provisioning", "up", admin.IdentityProviderChanges{Provision: ptr("maybe")}, `invalid provisioning "maybe"`, admin.ErrInvalid},
		{"bad display name", "up", admin.IdentityProviderChanges{DisplayName: ptr("a\nb")}, "--display-name must not contain", admin.ErrInvalid},
		{"http issuer", "up", admin.IdentityProviderChanges{Issuer: ptr("http://idp.example.org")}, "use an absolute https URL", admin.ErrInvalid},
		{"unreachable issuer", "up", admin.IdentityProviderChanges{Issuer: ptr(closedIssuer(t)), ClientID: ptr("x")},
			"is not a reachable OpenID Connect provider (nothing saved)", admin.ErrUpstream},
	}
	before := auditCount(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.UpdateIdentityProvider(ctx, tt.provider, tt.c, false)
			wantErr(t, "UpdateIdentityProvider", err, tt.msg, tt.target)
			stored, _ := s.GetIdentityProvider(ctx, "up")
			if d := cmp.Diff(added, stored); d != "" {
				t.Errorf("the stored provider changed (-before +after):\n%s", d)
			}
		})
	}
	if got := auditCount(t, s); got != before {
		t.Errorf("audit events after refused updates = %d, want %d", got, before)
	}
}
