package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/server/pages"
)

// idTokenAuthTime exchanges the code of p at down for cfg and returns the
// ID token's auth_time.
func (f *federation) idTokenAuthTime(cfg *oauth2.Config, p page, state, verifier string) time.Time {
	f.t.Helper()
	ctx := context.Background()
	tok, err := cfg.Exchange(ctx, codeFrom(f.t, p, state), oauth2.VerifierOption(verifier))
	if err != nil {
		f.t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	op, err := oidc.NewProvider(ctx, f.down.URL)
	if err != nil {
		f.t.Fatal(err)
	}
	idt, err := op.VerifierContext(ctx, &oidc.Config{ClientID: cfg.ClientID, Now: f.down.Clock.Now}).Verify(ctx, raw)
	if err != nil {
		f.t.Fatalf("ID token: %v", err)
	}
	var c struct {
		AuthTime int64 `json:"auth_time"`
	}
	if err := idt.Claims(&c); err != nil || c.AuthTime == 0 {
		f.t.Fatalf("ID token without auth_time: %v", err)
	}
	return time.Unix(c.AuthTime, 0)
}

// prompt=login and max_age reach the upstream: with a session at up and
// at down, an application's prompt=login (or max_age=0) makes down and up
// both ask for the password again (OpenID Connect Core §3.1.2.1).
func TestFederatedPromptLogin(t *testing.T) {
	for _, param := range []string{"prompt=login", "max_age=0"} {
		t.Run(param, func(t *testing.T) {
			f := newFederation(t)
			b := f.browser()
			if p := f.signIn(b, b.get(f.down.URL+"/login?next=/account")); p.Status != http.StatusOK {
				t.Fatalf("first sign-in: %d %s", p.Status, p.URL)
			}
			f.down.Clock.Advance(30 * time.Second)
			cfg := f.down.cliConfig()
			k, v, _ := strings.Cut(param, "=")
			verifier := oauth2.GenerateVerifier()
			p := b.authorize(cfg, "pl", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam(k, v))
			p = f.upLogin(b, f.click(b, p, upstreamDisplay), upstreamUser, upstreamPass) // up asks again
			if at := f.idTokenAuthTime(cfg, p, "pl", verifier); at.Before(f.down.Clock.Now().Add(-15 * time.Second)) {
				t.Fatalf("auth_time %v, want the new sign-in's (down's clock %v)", at, f.down.Clock.Now())
			}
		})
	}
}

// The hub session of an upstream sign-in starts when the user signed in
// at the upstream (its auth_time), not when the hub heard of it.
func TestFederatedSessionAuthTime(t *testing.T) {
	f := newFederation(t)
	b := f.browser()
	f.upLogin(b, b.get(f.up.URL+"/login?next=/account"), upstreamUser, upstreamPass) // a session at up only
	signedIn := time.Now()
	f.down.Clock.Advance(2 * time.Minute)
	if p := f.click(b, b.get(f.down.URL+"/login?next=/account"), upstreamDisplay); p.URL.Path != "/account" {
		t.Fatalf("sign-in with up's session: %d %s", p.Status, p.URL)
	}
	cfg := f.down.cliConfig()
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "at", oauth2.S256ChallengeOption(verifier))
	at := f.idTokenAuthTime(cfg, p, "at", verifier)
	if d := at.Sub(signedIn); d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("auth_time %v, want up's sign-in at %v (down's clock is %v)", at, signedIn, f.down.Clock.Now())
	}
}

// A link finishes only for the user who started it: when the session at
// the callback is another user's, it is refused (403) and nothing linked.
func TestFederatedLinkOfAnotherSession(t *testing.T) {
	f := newFederation(t)
	f.down.AddUser(t, "bob", "bobs password is long")
	b := f.browser()
	b.login(b.get(f.down.URL+"/login?next=/account"), demoUser, demoPassword)
	p := b.post("/account/identities/link", url.Values{"provider": {upstreamName}}) // up's login form
	other := f.browser()
	other.login(other.get(f.down.URL+"/login?next=/account"), "bob", "bobs password is long")
	down, _ := url.Parse(f.down.URL)
	for _, c := range other.client.Jar.Cookies(down) {
		if c.Name == pages.CookieName {
			b.client.Jar.SetCookies(down, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
		}
	}
	p = f.upLogin(b, p, upstreamUser, upstreamPass)
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "started by another account") {
		t.Fatalf("link finished in bob's session: %d, want 403:\n%s", p.Status, p.Body)
	}
	for _, user := range []string{demoUser, "bob"} {
		u, _ := f.down.Store.GetUserByUsername(context.Background(), user)
		if ids, _ := f.down.Store.ListUserIdentities(context.Background(), u.ID); len(ids) != 0 {
			t.Fatalf("%s got the identity %+v", user, ids)
		}
	}
}
