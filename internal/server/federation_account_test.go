package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

var unlinkForm = regexp.MustCompile(`name="provider" value="([^"]*)"><input type="hidden" name="subject" value="([^"]*)"`)

// unlinkFields returns the provider and subject of the first Unlink form
// of an account page.
func unlinkFields(t *testing.T, p page) url.Values {
	t.Helper()
	m := unlinkForm.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no Unlink button on the account page (%d):\n%s", p.Status, p.Body)
	}
	return url.Values{"provider": {m[1]}, "subject": {m[2]}}
}

// A password user links an identity at the upstream from the account
// page, sees it listed, signs in with it, and unlinks it; a user whose
// only way to sign in is the identity cannot unlink it.
func TestAccountLinksIdentities(t *testing.T) {
	f := newFederation(t)
	b := f.browser()
	p := b.login(b.get(f.down.URL+"/login?next=/account"), demoUser, demoPassword)
	if !strings.Contains(p.Body, "Sign-in methods") || !strings.Contains(p.Body, "Link "+upstreamDisplay) {
		t.Fatalf("account page: want the sign-in methods with a Link button, got %d:\n%s", p.Status, p.Body)
	}
	p = b.post("/account/identities/link", url.Values{"provider": {upstreamName}})
	p = f.upLogin(b, p, upstreamUser, upstreamPass)
	if p.URL.Path != "/account" || !strings.Contains(p.Body, "The identity is linked") || !strings.Contains(p.Body, "<strong>"+upstreamDisplay+"</strong>") {
		t.Fatalf("after linking: want the account page listing %s, got %d %s:\n%s", upstreamDisplay, p.Status, p.URL, p.Body)
	}
	if strings.Contains(p.Body, "Link "+upstreamDisplay) {
		t.Errorf("a linked provider still offers Link")
	}
	linked := unlinkFields(t, p)

	// The identity now signs ada in, in a new browser.
	b2 := f.browser()
	if p := f.signIn(b2, b2.get(f.down.URL+"/login?next=/account")); !strings.Contains(p.Body, `<span class="who">`+demoUser+`</span>`) {
		t.Fatalf("upstream sign-in after linking: want ada's account page, got %d:\n%s", p.Status, p.Body)
	}

	// Linking the same identity to another user is refused.
	f.down.AddUser(t, "bob", "bobs password is long")
	b3 := f.browser()
	b3.login(b3.get(f.down.URL+"/login?next=/account"), "bob", "bobs password is long")
	p = f.upLogin(b3, b3.post("/account/identities/link", url.Values{"provider": {upstreamName}}), upstreamUser, upstreamPass)
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "already linked to another account") {
		t.Errorf("linking ada's identity to bob: %d, want 409:\n%s", p.Status, p.Body)
	}

	// Cross-origin posts are refused.
	for _, path := range []string{"/account/identities/unlink", "/account/identities/link"} {
		if p := b.do(f.down.crossOriginPost(path, linked)); p.Status != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d, want 403", path, p.Status)
		}
	}

	p = b.post("/account/identities/unlink", linked)
	if !strings.Contains(p.Body, "The identity is unlinked") || unlinkForm.MatchString(p.Body) {
		t.Fatalf("unlink: want the account page without the identity, got %d:\n%s", p.Status, p.Body)
	}
	if p := b.post("/account/identities/unlink", linked); p.Status != http.StatusNotFound {
		t.Errorf("unlink again: %d, want 404", p.Status)
	}
}

// A user provisioned by an upstream sign-in has no password: the
// identity is their last way to sign in and cannot be unlinked.
func TestAccountKeepsLastSignIn(t *testing.T) {
	f := newFederation(t)
	b := f.browser()
	p := f.signIn(b, b.get(f.down.URL+"/login?next=/account"))
	if !strings.Contains(p.Body, "You have no hub password") {
		t.Fatalf("account page of a provisioned user: %d:\n%s", p.Status, p.Body)
	}
	p = b.post("/account/identities/unlink", unlinkFields(t, p))
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "You cannot remove your last way to sign in") {
		t.Errorf("unlink the last way to sign in: %d, want 409:\n%s", p.Status, p.Body)
	}
	for _, h := range []string{"Content-Security-Policy", "Cache-Control"} {
		if p.Header.Get(h) == "" {
			t.Errorf("account page without %s", h)
		}
	}
}

// On a federated-only hub (serve --password-login=false) a password is no
// way to sign in: a user who has one still cannot unlink their only
// identity, and the account page does not offer the password.
func TestAccountKeepsLastSignInPasswordOff(t *testing.T) {
	f := newFederation(t, func(c *server.Config) { c.DisablePasswordLogin = true })
	b := f.browser()
	p := f.signIn(b, b.get(f.down.URL+"/login?next=/account"))
	ctx := context.Background()
	ada, err := f.down.Store.GetUserByUsername(ctx, demoUser)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.down.Store.GetUserByUsername(ctx, upstreamUser)
	if err != nil {
		t.Fatalf("the provisioned user: %v", err)
	}
	err = f.down.Store.UpdateUser(ctx, u.ID, func(u storage.User) (storage.User, error) {
		u.PasswordHash = ada.PasswordHash
		return u, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p = b.get(f.down.URL + "/account")
	if !strings.Contains(p.Body, "Password sign-in is turned off on this hub: you sign in with these identities.") {
		t.Fatalf("account page with password sign-in off: %d:\n%s", p.Status, p.Body)
	}
	p = b.post("/account/identities/unlink", unlinkFields(t, p))
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "You cannot remove your last way to sign in") {
		t.Errorf("unlink the only identity of a user with a password, password sign-in off: %d, want 409:\n%s", p.Status, p.Body)
	}
	if ids, err := f.down.Store.ListUserIdentities(ctx, u.ID); err != nil || len(ids) != 1 {
		t.Errorf("identities after the refused unlink: %v (err %v), want 1", ids, err)
	}
}
