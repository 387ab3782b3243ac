package admin_test

import (
	"context"
	"testing"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// linkBoth links an identity of provider "up" to ada and to fed.
func linkBoth(t *testing.T, a *admin.Admin) {
	t.Helper()
	for _, u := range []string{"ada", "fed"} {
		if _, err := a.LinkUserIdentity(context.Background(), u, "up", u+"-sub"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRemoveIdentityProviderLinked: a provider with linked identities is
// removed only when forced, which says and audits how many it unlinked.
func TestRemoveIdentityProviderLinked(t *testing.T) {
	a, s := newIdentityAdmin(t)
	ctx := context.Background()
	linkBoth(t, a)
	before := auditCount(t, s)
	_, err := a.RemoveIdentityProvider(ctx, "up", false)
	wantErr(t, "remove without force", err, `identity provider "up" has 2 linked identities: removing it unlinks them`, admin.ErrLinkedIdentities)
	if _, err := s.GetIdentityProvider(ctx, "up"); err != nil || auditCount(t, s) != before {
		t.Fatalf("a refused remove changed something: provider err %v, audit events %d, want %d", err, auditCount(t, s), before)
	}
	n, err := a.RemoveIdentityProvider(ctx, "up", true)
	if err != nil || n != 2 {
		t.Fatalf("remove with force: %d unlinked, %v; want 2, nil", n, err)
	}
	if e := lastAudit(t, s); e.Detail != "remove identity provider up (2 linked identities unlinked)" {
		t.Errorf("audit detail = %q", e.Detail)
	}
	if _, err := s.GetUserIdentity(ctx, "up", "ada-sub"); err == nil {
		t.Errorf("ada's identity still linked after the provider's removal")
	}
}

// TestUpdateIdentityProviderIssuerLinked: a new issuer, while identities
// are linked, needs force; the same issuer, or other changes, do not.
func TestUpdateIdentityProviderIssuerLinked(t *testing.T) {
	moved := hubtest.New(t)
	a, s := newIdentityAdmin(t)
	ctx := context.Background()
	if _, err := a.LinkUserIdentity(ctx, "ada", "up", "ada-sub"); err != nil {
		t.Fatal(err)
	}
	old, _ := s.GetIdentityProvider(ctx, "up")
	_, err := a.UpdateIdentityProvider(ctx, "up", admin.IdentityProviderChanges{Issuer: &moved.URL}, false)
	wantErr(t, "new issuer without force", err,
		`identity provider "up" has 1 linked identity, subjects at https://idp.example.org: at another issuer the same subject may be someone else; give --force`,
		admin.ErrLinkedIdentities)
	if p, _ := s.GetIdentityProvider(ctx, "up"); p.Issuer != old.Issuer {
		t.Fatalf("a refused update changed the issuer to %s", p.Issuer)
	}
	p, err := a.UpdateIdentityProvider(ctx, "up", admin.IdentityProviderChanges{Issuer: &moved.URL}, true)
	if err != nil || p.Issuer != moved.URL {
		t.Fatalf("new issuer with force: %s, %v; want %s", p.Issuer, err, moved.URL)
	}
	if _, err := a.UpdateIdentityProvider(ctx, "up", admin.IdentityProviderChanges{Issuer: &moved.URL, ClientID: ptr("hub2")}, false); err != nil {
		t.Errorf("the same issuer and another client ID, without force: %v", err)
	}
	if id, err := s.GetUserIdentity(ctx, "up", "ada-sub"); err != nil || id.Provider != "up" {
		t.Errorf("ada's identity after the move: %+v, %v; want it kept", id, err)
	}
}
