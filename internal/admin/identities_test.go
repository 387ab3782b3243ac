package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/storage"
)

// newIdentityAdmin returns an Admin over a database holding the provider
// "up" (stored as is: linking does not contact it), the user "ada" with a
// password and the user "fed" without one.
func newIdentityAdmin(t *testing.T) (*admin.Admin, storage.Storage) {
	t.Helper()
	a, s := newAdmin(t)
	ctx := context.Background()
	p := storage.IdentityProvider{Name: "up", Issuer: "https://idp.example.org", ClientID: "hub", ClientSecret: "sec",
		DisplayName: "Up", Scopes: []string{"openid"}, UsernameClaim: "sub", Provision: storage.ProvisionOff, CreatedAt: now}
	if err := s.CreateIdentityProvider(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser(ctx, admin.NewUser{Username: "ada"}, "pw"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, storage.User{ID: "fed-id", Username: "fed", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return a, s
}

// TestLinkUserIdentity links, lists and audits an identity; each refusal
// says what is missing or whose the identity is, and changes nothing.
func TestLinkUserIdentity(t *testing.T) {
	a, s := newIdentityAdmin(t)
	ctx := context.Background()
	id, err := a.LinkUserIdentity(ctx, "ada", "up", "0000-0002-1825-0097")
	if err != nil {
		t.Fatalf("LinkUserIdentity: %v", err)
	}
	list, err := a.ListUserIdentities(ctx, "ada")
	if d := cmp.Diff([]storage.UserIdentity{id}, list); err != nil || d != "" || id.CreatedAt != now {
		t.Errorf("ListUserIdentities (err %v) mismatch (-want +got):\n%s", err, d)
	}
	e := lastAudit(t, s)
	if e.Type != storage.AuditIdentityLinked || e.UserID != id.UserID ||
		e.Detail != `administrator linked identity "0000-0002-1825-0097" of identity provider up to user ada` {
		t.Errorf("audit event = %+v", e)
	}

	tests := []struct {
		name, user, provider, subject, msg string
		target                             error
	}{
		{"unknown user", "nobody", "up", "s", `no user "nobody"`, storage.ErrNotFound},
		{"unknown provider", "ada", "nope", "s", `no identity provider "nope"`, storage.ErrNotFound},
		{"empty subject", "ada", "up", "", "invalid --subject", admin.ErrInvalid},
		{"long subject", "ada", "up", strings.Repeat("s", admin.MaxSubject+1), "1 to 255 bytes", admin.ErrInvalid},
		{"control character", "ada", "up", "s\x1b[31m", "--subject must not contain control characters", admin.ErrInvalid},
		{"linked to another user", "fed", "up", "0000-0002-1825-0097",
			`identity "0000-0002-1825-0097" of identity provider "up" is already linked to user "ada"`, storage.ErrAlreadyExists},
		{"linked already", "ada", "up", "0000-0002-1825-0097", `already linked to user "ada"`, storage.ErrAlreadyExists},
	}
	before := auditCount(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.LinkUserIdentity(ctx, tt.user, tt.provider, tt.subject)
			wantErr(t, "LinkUserIdentity", err, tt.msg, tt.target)
			if err != nil && strings.ContainsRune(err.Error(), 0x1b) {
				t.Errorf("error %q repeats a control character", err)
			}
		})
	}
	if got := auditCount(t, s); got != before {
		t.Errorf("audit events after refused links = %d, want %d", got, before)
	}
	if _, err := a.LinkUserIdentity(ctx, "ada", "up", strings.Repeat("s", admin.MaxSubject)); err != nil {
		t.Errorf("a subject of %d bytes: %v", admin.MaxSubject, err)
	}
	_, err = a.ListUserIdentities(ctx, "nobody")
	wantErr(t, "ListUserIdentities", err, `no user "nobody"`, storage.ErrNotFound)
}

// TestUnlinkUserIdentity: an administrator cannot take a user's last way
// to sign in either; other unlinks are made and audited.
func TestUnlinkUserIdentity(t *testing.T) {
	a, s := newIdentityAdmin(t)
	ctx := context.Background()
	for _, l := range [][2]string{{"fed", "one"}, {"ada", "ada-1"}} {
		if _, err := a.LinkUserIdentity(ctx, l[0], "up", l[1]); err != nil {
			t.Fatal(err)
		}
	}
	before := auditCount(t, s)
	wantErr(t, "unlink the last identity", a.UnlinkUserIdentity(ctx, "fed", "up", "one"),
		`identity "one" of identity provider "up" is the last way user "fed" can sign in`, storage.ErrLastSignIn)
	wantErr(t, "unlink another's identity", a.UnlinkUserIdentity(ctx, "fed", "up", "ada-1"),
		`user "fed" has no identity "ada-1" of identity provider "up"`, storage.ErrNotFound)
	wantErr(t, "unknown user", a.UnlinkUserIdentity(ctx, "nobody", "up", "one"), `no user "nobody"`, storage.ErrNotFound)
	if got := auditCount(t, s); got != before {
		t.Errorf("audit events after refused unlinks = %d, want %d", got, before)
	}

	steps := []struct{ user, subject string }{
		{"ada", "ada-1"}, // ada has a password
		{"fed", "one"},   // fed has another identity
	}
	if _, err := a.LinkUserIdentity(ctx, "fed", "up", "two"); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if err := a.UnlinkUserIdentity(ctx, st.user, "up", st.subject); err != nil {
			t.Fatalf("unlink %s of %s: %v", st.subject, st.user, err)
		}
		e := lastAudit(t, s)
		want := `administrator unlinked identity "` + st.subject + `" of identity provider up from user ` + st.user
		if e.Type != storage.AuditIdentityUnlinked || e.Detail != want {
			t.Errorf("audit event = %+v, want %s %q", e, storage.AuditIdentityUnlinked, want)
		}
	}
	list, err := a.ListUserIdentities(ctx, "fed")
	if err != nil || len(list) != 1 || list[0].Subject != "two" {
		t.Errorf("fed's identities = %+v (err %v), want only two", list, err)
	}
}

// TestUnlinkUserIdentityDisabledProvider: an identity of a disabled
// provider is no way to sign in, so the other one stays; unlinking the
// disabled provider's identity itself is allowed.
func TestUnlinkUserIdentityDisabledProvider(t *testing.T) {
	a, s := newIdentityAdmin(t)
	ctx := context.Background()
	off := storage.IdentityProvider{Name: "off", Issuer: "https://off.example.org", ClientID: "hub", ClientSecret: "sec",
		DisplayName: "Off", Scopes: []string{"openid"}, UsernameClaim: "sub", Provision: storage.ProvisionOff, CreatedAt: now}
	if err := s.CreateIdentityProvider(ctx, off); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"up", "off"} {
		if _, err := a.LinkUserIdentity(ctx, "fed", p, "fed-"+p); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SetIdentityProviderDisabled(ctx, "off", true); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "unlink the identity of the only enabled provider", a.UnlinkUserIdentity(ctx, "fed", "up", "fed-up"),
		`is the last way user "fed" can sign in (no password, no other identity of an enabled provider)`, storage.ErrLastSignIn)
	if err := a.UnlinkUserIdentity(ctx, "fed", "off", "fed-off"); err != nil {
		t.Errorf("unlink the disabled provider's identity: %v", err)
	}
}
