package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/storage"
)

const (
	dataURI    = "https://data.example.org"
	computeURI = "https://compute.example.org/api"
)

// newAPIHub is a hub with two registered APIs: the data hub owning
// uploads:read and uploads:write, the compute service owning jobs:run;
// datasets:read is registered and owned by none.
func newAPIHub(t *testing.T) *hub {
	t.Helper()
	h := newHub(t)
	for _, sc := range []string{"uploads:read", "uploads:write", "jobs:run", "datasets:read"} {
		h.AddScope(t, sc, "use "+sc)
	}
	for _, a := range []storage.API{
		{ID: "datahub", URI: dataURI, Name: "Data hub", Scopes: []string{"uploads:read", "uploads:write"}},
		{ID: "compute", URI: computeURI, Name: "Compute", Scopes: []string{"jobs:run"}},
	} {
		if err := h.Store.CreateAPI(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// tokenFor checks an access token's aud and scope claims.
func tokenFor(t *testing.T, what, access, aud, scope string) {
	t.Helper()
	c := claims(t, access)
	if got := audOf(c); got != aud || c["scope"] != scope {
		t.Errorf("%s: aud %q, scope %q; want %q, %q", what, got, c["scope"], aud, scope)
	}
}

// audOf returns a JWT's aud as one string (several joined by spaces).
func audOf(c map[string]any) string {
	switch a := c["aud"].(type) {
	case string:
		return a
	case []any:
		var s []string
		for _, v := range a {
			s = append(s, v.(string))
		}
		return strings.Join(s, " ")
	}
	return ""
}

// resource is an x/oauth2 option adding an RFC 8707 resource parameter.
func resourceOpt(uri string) oauth2.AuthCodeOption { return oauth2.SetAuthURLParam("resource", uri) }

// TestResourceAtTheCodeAndRefreshGrants: scopes of one API give its
// audience with no resource named; the ID token stays the client's; a
// grant covering two APIs gives one per token, named at the token
// endpoint, and a refresh may switch between them (RFC 8707 §2.2).
func TestResourceAtTheCodeAndRefreshGrants(t *testing.T) {
	h := newAPIHub(t)
	sec := h.AddClient(t, resourceClient)

	t.Run("scopes of one API, no resource", func(t *testing.T) {
		cfg := h.cliConfig("openid", "offline_access", "uploads:read", "datasets:read", "tokens:read")
		tok := h.browserLogin(t, h.newBrowser(t), cfg)
		tokenFor(t, "code grant", tok.AccessToken, dataURI, "openid offline_access uploads:read")
		if got := tok.Extra("scope"); got != "openid offline_access uploads:read" {
			t.Errorf("response scope = %v, want the cut scopes (RFC 6749 §5.1)", got)
		}
		id, _ := tok.Extra("id_token").(string)
		if got := audOf(claims(t, id)); got != storage.CLIClientID {
			t.Errorf("ID token aud = %q, want the client", got)
		}
		got := h.introspect(t, sec, tok.AccessToken)
		if aud, _ := got["aud"].([]any); len(aud) != 1 || aud[0] != dataURI || got["active"] != true {
			t.Errorf("introspection: %v, want active with aud [%s]", got, dataURI)
		}
		next := refreshWith(t, h, tok.RefreshToken, nil, "")
		tokenFor(t, "refresh", next["access_token"].(string), dataURI, "openid offline_access uploads:read")
		// The hub's own API does not take a token meant for another API
		// as the user's full rights (hubauth-cli is first-party).
		if status, _, _ := h.getJSON(t, "/api/v1/tokens", tok.AccessToken); status != http.StatusForbidden {
			t.Errorf("GET /api/v1/tokens with a token for the data hub: %d, want 403", status)
		}
	})

	t.Run("sign-in only: the client's audience", func(t *testing.T) {
		tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "profile"))
		tokenFor(t, "code grant", tok.AccessToken, storage.CLIClientID, "openid profile")
	})

	t.Run("scopes of two APIs without resource", func(t *testing.T) {
		b := h.newBrowser(t)
		p := b.authorize(h.cliConfig("openid", "uploads:read", "jobs:run"), "s1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		if q := p.Location.Query(); q.Get("error") != "invalid_target" || !strings.Contains(q.Get("error_description"), "resource") {
			t.Errorf("authorize: %v, want invalid_target asking for resource", q)
		}
	})

	t.Run("unknown resource at authorize", func(t *testing.T) {
		b := h.newBrowser(t)
		p := b.authorize(h.cliConfig("openid"), "s1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), resourceOpt("https://evil.example.org"))
		if q := p.Location.Query(); q.Get("error") != "invalid_target" {
			t.Errorf("authorize: %v, want invalid_target", q)
		}
	})

	t.Run("two resources: one per token", func(t *testing.T) {
		cfg := h.cliConfig("openid", "offline_access", "uploads:read", "jobs:run")
		verifier := oauth2.GenerateVerifier()
		b := h.newBrowser(t)
		// Two resource parameters (x/oauth2's options set one).
		u := cfg.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier)) + "&" + url.Values{"resource": {dataURI, computeURI}}.Encode()
		p := b.login(b.get(u), demoUser, demoPassword)
		code := codeFrom(t, p, "st4te")
		_, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
		if retrieveError(err) != "invalid_target" {
			t.Fatalf("exchange without resource: %v, want invalid_target", err)
		}
		_, err = cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier), resourceOpt("https://evil.example.org"))
		if retrieveError(err) != "invalid_target" {
			t.Fatalf("exchange for an unknown resource: %v, want invalid_target", err)
		}
		// The refused exchanges did not spend the code.
		tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier), resourceOpt(computeURI))
		if err != nil {
			t.Fatalf("exchange for the compute API: %v", err)
		}
		tokenFor(t, "code grant", tok.AccessToken, computeURI, "openid offline_access jobs:run")

		next := refreshWith(t, h, tok.RefreshToken, url.Values{"resource": {dataURI}}, "")
		tokenFor(t, "refresh for the data hub", next["access_token"].(string), dataURI, "openid offline_access uploads:read")
		rt := next["refresh_token"].(string)
		refreshWith(t, h, rt, nil, "invalid_target")
		refreshWith(t, h, rt, url.Values{"resource": {"https://evil.example.org"}}, "invalid_target")
		refreshWith(t, h, rt, url.Values{"resource": {dataURI, computeURI}}, "invalid_target")
		// The refused refreshes left the token usable.
		next = refreshWith(t, h, rt, url.Values{"resource": {computeURI}, "scope": {"openid jobs:run"}}, "")
		tokenFor(t, "refresh narrowed", next["access_token"].(string), computeURI, "openid jobs:run")
	})

	t.Run("resource without its scopes", func(t *testing.T) {
		b := h.newBrowser(t)
		p := b.authorize(h.cliConfig("openid", "uploads:read"), "s1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), resourceOpt(computeURI))
		if q := p.Location.Query(); q.Get("error") != "invalid_target" {
			t.Errorf("authorize: %v, want invalid_target (uploads:read is the data hub's)", q)
		}
	})
}

// refreshWith refreshes rt as hubauth-cli with extra parameters and
// checks the error code (none: success, the body returned).
func refreshWith(t *testing.T, h *hub, rt string, extra url.Values, wantErr string) map[string]any {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {storage.CLIClientID}}
	for k, v := range extra {
		form[k] = v
	}
	status, body, _ := h.postForm(t, "/oauth/token", form)
	if e, _ := body["error"].(string); e != wantErr || (wantErr == "" && status != http.StatusOK) {
		t.Fatalf("refresh with %v: %d %v, want error %q", extra, status, body, wantErr)
	}
	return body
}

// TestResourceAtClientCredentialsAndDevice: a service account and a device
// login get their API's audience the same way.
func TestResourceAtClientCredentialsAndDevice(t *testing.T) {
	h := newAPIHub(t)
	etl := storage.Client{ID: "etl", Name: "ETL", GrantTypes: []string{"client_credentials"}}
	sec := h.AddClient(t, etl)
	for _, tt := range []struct {
		name, scopes, resource, aud, scope, refused string
	}{
		{name: "scopes of one API", scopes: "uploads:write", aud: dataURI, scope: "uploads:write"},
		{name: "named API", scopes: "uploads:write datasets:read", resource: dataURI, aud: dataURI, scope: "uploads:write"},
		{name: "no API", scopes: "datasets:read", aud: "etl", scope: "datasets:read"},
		{name: "two APIs", scopes: "uploads:write jobs:run", refused: "invalid_target"},
		{name: "unknown", scopes: "uploads:write", resource: "https://evil.example.org", refused: "invalid_target"},
		{name: "another API's scope", scopes: "uploads:write", resource: computeURI, refused: "invalid_target"},
		{name: "named API, no scope of it", scopes: "datasets:read", resource: dataURI, refused: "invalid_target"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cc := clientcredentials.Config{ClientID: "etl", ClientSecret: sec, TokenURL: h.URL + "/oauth/token",
				Scopes: strings.Fields(tt.scopes)}
			if tt.resource != "" {
				cc.EndpointParams = url.Values{"resource": {tt.resource}}
			}
			tok, err := cc.Token(context.Background())
			if tt.refused != "" {
				if retrieveError(err) != tt.refused {
					t.Fatalf("token: %v, want %s", err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tokenFor(t, "client credentials", tok.AccessToken, tt.aud, tt.scope)
		})
	}

	t.Run("device", func(t *testing.T) {
		cfg := h.cliConfig("openid", "offline_access", "uploads:write", "jobs:run")
		if _, err := cfg.DeviceAuth(context.Background()); retrieveError(err) != "invalid_target" {
			t.Fatalf("device authorization mixing APIs: %v, want invalid_target", err)
		}
		status, body, _ := h.postForm(t, "/oauth/device_authorization", url.Values{"client_id": {storage.CLIClientID},
			"scope": {strings.Join(cfg.Scopes, " ")}, "resource": {dataURI, computeURI}})
		if status != http.StatusOK {
			t.Fatalf("device authorization for two APIs: %d %v", status, body)
		}
		da := &oauth2.DeviceAuthResponse{DeviceCode: body["device_code"].(string), UserCode: body["user_code"].(string),
			Interval: 5, Expiry: time.Now().Add(10 * time.Minute)}
		h.newBrowser(t).approveDevice(da.UserCode, "approve")
		h.Clock.Advance(6 * time.Second)
		if _, err := cfg.DeviceAccessToken(context.Background(), da); retrieveError(err) != "invalid_target" {
			t.Fatalf("device token without resource: %v, want invalid_target", err)
		}
		h.Clock.Advance(6 * time.Second)
		tok, err := cfg.DeviceAccessToken(context.Background(), da, resourceOpt(computeURI))
		if err != nil {
			t.Fatalf("device token: %v", err)
		}
		tokenFor(t, "device grant", tok.AccessToken, computeURI, "openid offline_access jobs:run")
		next := refreshWith(t, h, tok.RefreshToken, url.Values{"resource": {dataURI}}, "")
		tokenFor(t, "refresh of the device login", next["access_token"].(string), dataURI, "openid offline_access uploads:write")
	})
}

// TestResourceAtThePasswordEndpoint: NOMAD's password login follows the
// same rule, resource included.
func TestResourceAtThePasswordEndpoint(t *testing.T) {
	h := newAPIHub(t)
	for _, tt := range []struct {
		name, scope, resource, aud, scopes, refused string
	}{
		{name: "scopes of one API", scope: "openid uploads:read", aud: dataURI, scopes: "openid uploads:read"},
		{name: "named API", scope: "openid jobs:run datasets:read", resource: computeURI, aud: computeURI, scopes: "openid jobs:run"},
		{name: "sign-in only", scope: "openid profile", aud: storage.CLIClientID, scopes: "openid profile"},
		{name: "two APIs", scope: "uploads:read jobs:run", refused: "invalid_target"},
		{name: "unknown", scope: "openid", resource: "https://evil.example.org", refused: "invalid_target"},
		{name: "two resources", scope: "openid uploads:read jobs:run", resource: dataURI + " " + computeURI, refused: "invalid_target"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"username": {demoUser}, "password": {demoPassword}, "scope": {tt.scope}}
			if tt.resource != "" {
				form["resource"] = strings.Fields(tt.resource)
			}
			status, body, _ := h.postForm(t, "/api/v1/auth/token", form)
			if tt.refused != "" {
				if status != http.StatusBadRequest || body["error"] != tt.refused {
					t.Fatalf("password login: %d %v, want 400 %s", status, body, tt.refused)
				}
				return
			}
			if status != http.StatusOK {
				t.Fatalf("password login: %d %v", status, body)
			}
			tokenFor(t, "password login", body["access_token"].(string), tt.aud, tt.scopes)
		})
	}
}
