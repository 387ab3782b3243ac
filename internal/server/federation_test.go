package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

// signInClaims are the claims of a sign-in that tests check.
type signInClaims struct {
	Subject  string   `json:"sub"`
	AMR      []string `json:"amr"`
	IDP      string   `json:"idp"`
	Username string   `json:"preferred_username"`
}

// A third-party application signs a user in through the upstream hub: the
// hub's login page lists the provider's button beside the password form,
// the round trip ends at the hub's consent page, the application's code
// gives an ID token (verified by go-oidc) whose amr is ["fed"] and idp the
// provider, and userinfo says the same; a refresh keeps saying it.
func TestFederatedBrowserLogin(t *testing.T) {
	f := newFederation(t)
	ctx := context.Background()
	app := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"http://127.0.0.1:49153/cb"},
		GrantTypes: []string{storage.GrantAuthorizationCode, storage.GrantRefreshToken}}
	sec := f.down.AddClient(t, app)
	prov, err := oidc.NewProvider(ctx, f.down.URL)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	cfg := &oauth2.Config{ClientID: app.ID, ClientSecret: sec, RedirectURL: app.RedirectURIs[0], Endpoint: prov.Endpoint(),
		Scopes: []string{"openid", "profile", "offline_access"}}

	b := f.browser()
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "s1", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n1"))
	if _, ok := buttons(p.Body)[upstreamDisplay]; !ok || !strings.Contains(p.Body, `action="/login"`) {
		t.Fatalf("login page: want the %q button and the password form, got %d:\n%s", upstreamDisplay, p.Status, p.Body)
	}
	p = f.signIn(b, p)
	if !strings.Contains(p.Body, `action="/consent"`) || !strings.Contains(p.Body, "Lab Notebook") {
		t.Fatalf("after the upstream: want the consent page, got %d %s:\n%s", p.Status, p.URL, p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("decision", "approve")
	tok, err := cfg.Exchange(ctx, codeFrom(t, b.post("/consent", form), "s1"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	// The ID token carries no profile claims beside an access token
	// (the client's IDTokenUserinfoClaimsAssertion is off): userinfo does.
	want := signInClaims{AMR: []string{"fed"}, IDP: upstreamName}
	idt := verifyID(t, prov, app.ID, tok, "n1")
	want.Subject = idt.Subject
	checkClaims(t, "ID token", idt.Claims, want)

	info, err := prov.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	checkClaims(t, "userinfo", info.Claims, signInClaims{Subject: want.Subject, AMR: []string{"fed"}, IDP: upstreamName, Username: upstreamUser})

	refreshed, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	checkClaims(t, "refreshed ID token", verifyID(t, prov, app.ID, refreshed, "").Claims, want)
}

// verifyID verifies tok's ID token with go-oidc.
func verifyID(t *testing.T, prov *oidc.Provider, clientID string, tok *oauth2.Token, nonce string) *oidc.IDToken {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	idt, err := prov.Verifier(&oidc.Config{ClientID: clientID}).Verify(context.Background(), raw)
	if err != nil {
		t.Fatalf("verify the ID token: %v", err)
	}
	if idt.Nonce != nonce {
		t.Errorf("nonce = %q, want %q", idt.Nonce, nonce)
	}
	return idt
}

// checkClaims compares the sign-in claims of a token or userinfo answer.
func checkClaims(t *testing.T, what string, claims func(any) error, want signInClaims) {
	t.Helper()
	var got signInClaims
	if err := claims(&got); err != nil {
		t.Fatalf("%s claims: %v", what, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s claims (-want +got):\n%s", what, diff)
	}
}

// A password sign-in carries amr ["pwd"] and no idp claim.
func TestPasswordLoginHasNoIDP(t *testing.T) {
	h := newHub(t)
	prov, err := oidc.NewProvider(context.Background(), h.URL)
	if err != nil {
		t.Fatal(err)
	}
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
	idt := verifyID(t, prov, storage.CLIClientID, tok, "")
	var claims map[string]any
	idt.Claims(&claims)
	if _, ok := claims["idp"]; ok || !cmp.Equal(claims["amr"], []any{"pwd"}) {
		t.Errorf("ID token of a password login: amr %v, idp %v; want [pwd] and no idp", claims["amr"], claims["idp"])
	}
}

// idp_hint (or Keycloak's kc_idp_hint) on /authorize goes straight to the
// provider it names; an unknown one shows the login page; prompt=none
// without a session still fails with login_required.
func TestIDPHint(t *testing.T) {
	f := newFederation(t)
	cfg := f.down.cliConfig()
	for _, tc := range []struct {
		name, param, value string
		wantUpstream       bool
	}{
		{"idp_hint", "idp_hint", upstreamName, true},
		{"kc_idp_hint", "kc_idp_hint", upstreamName, true},
		{"unknown provider", "idp_hint", "nope", false},
		{"not a name", "idp_hint", "<x>", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := f.browser()
			verifier := oauth2.GenerateVerifier()
			p := b.authorize(cfg, "h", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam(tc.param, tc.value))
			onUp := p.URL.Host == hostOf(f.up.URL)
			if onUp != tc.wantUpstream {
				t.Fatalf("%s=%s: ended at %s (%d), want upstream %v", tc.param, tc.value, p.URL, p.Status, tc.wantUpstream)
			}
			if !onUp {
				if !strings.Contains(p.Body, `action="/login"`) {
					t.Fatalf("want the hub's login page, got %d:\n%s", p.Status, p.Body)
				}
				return
			}
			p = f.upLogin(b, p, upstreamUser, upstreamPass)
			if _, err := cfg.Exchange(context.Background(), codeFrom(t, p, "h"), oauth2.VerifierOption(verifier)); err != nil {
				t.Fatalf("exchange: %v", err)
			}
		})
	}
	t.Run("prompt=none", func(t *testing.T) {
		p := f.browser().authorize(cfg, "h", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()),
			oauth2.SetAuthURLParam("idp_hint", upstreamName), oauth2.SetAuthURLParam("prompt", "none"))
		if p.Location == nil || p.Location.Query().Get("error") != "login_required" {
			t.Fatalf("prompt=none with a hint and no session: %d %v, want login_required at the application", p.Status, p.Location)
		}
	})
}

// A device login is approved with an upstream sign-in: the login step of
// /device offers the buttons, carrying the user code through the round
// trip to the approval step; the device's ID token says amr ["fed"].
func TestFederatedDeviceLogin(t *testing.T) {
	f := newFederation(t)
	cfg := f.down.cliConfig()
	da := startDevice(t, cfg)
	b := f.browser()
	p := b.post("/device", url.Values{"user_code": {da.UserCode}})
	p = f.signIn(b, p)
	if !strings.Contains(p.Body, `action="/device/approve"`) || !strings.Contains(p.Body, da.UserCode) {
		t.Fatalf("after the upstream: want the approval step of %s, got %d %s:\n%s", da.UserCode, p.Status, p.URL, p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("decision", "approve")
	if p = b.post("/device/approve", form); !strings.Contains(p.Body, "Device connected") {
		t.Fatalf("approve: %d\n%s", p.Status, p.Body)
	}
	f.down.Clock.Advance(11 * time.Second)
	tok, err := cfg.DeviceAccessToken(context.Background(), da)
	if err != nil {
		t.Fatalf("device token: %v", err)
	}
	prov, err := oidc.NewProvider(context.Background(), f.down.URL)
	if err != nil {
		t.Fatal(err)
	}
	var got signInClaims
	verifyID(t, prov, storage.CLIClientID, tok, "").Claims(&got)
	if !slices.Equal(got.AMR, []string{"fed"}) || got.IDP != upstreamName {
		t.Errorf("device ID token: amr %v idp %q, want [fed] %s", got.AMR, got.IDP, upstreamName)
	}
}

// serve --password-login=false: the login page shows only the buttons,
// and no password is accepted: not by the form, not by the NOMAD token
// endpoint.
func TestPasswordLoginOff(t *testing.T) {
	f := newFederation(t, func(c *server.Config) { c.DisablePasswordLogin = true })
	b := f.browser()
	p := b.get(f.down.URL + "/login?next=/account")
	if _, ok := buttons(p.Body)[upstreamDisplay]; !ok || strings.Contains(p.Body, `name="password"`) {
		t.Fatalf("login page with password sign-in off: want the button and no password form, got %d:\n%s", p.Status, p.Body)
	}
	p = b.post("/login", url.Values{"username": {demoUser}, "password": {demoPassword}, "next": {"/account"}})
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Password sign-in is turned off on this hub; use one of the buttons") {
		t.Errorf("POST /login with password sign-in off: %d, want 403 with the message:\n%s", p.Status, p.Body)
	}
	status, body, _ := f.down.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
	if status != http.StatusForbidden || body["error"] != "unauthorized_client" || !strings.Contains(body["error_description"].(string), "turned off") {
		t.Errorf("password grant with password sign-in off: %d %v, want 403 unauthorized_client", status, body)
	}
	if p = f.signIn(b, b.get(f.down.URL+"/login?next=/account")); p.Status != http.StatusOK || !strings.Contains(p.Body, "Sign-in methods") {
		t.Errorf("upstream sign-in with password sign-in off: %d %s, want the account page", p.Status, p.URL)
	}
	if d, _ := f.down.discovery(t); slices.Contains(d.GrantTypes, "password") {
		t.Errorf("discovery advertises the password grant: %v", d.GrantTypes)
	}
}
