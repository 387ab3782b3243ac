package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/resource"
)

var uploadsWrite = storage.Scope{Name: "uploads:write", Description: "create and publish uploads"}

// scopesSupported reads the discovery document with go-oidc.
func (h *hub) scopesSupported(t *testing.T) []string {
	t.Helper()
	prov, err := oidc.NewProvider(context.Background(), h.URL)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		ScopesSupported []string `json:"scopes_supported"`
	}
	if err := prov.Claims(&d); err != nil {
		t.Fatal(err)
	}
	return d.ScopesSupported
}

// A scope registered for the platform's API is published, granted within
// scopes.CacheTTL, described on the consent page, carried by the access
// token and required by a data API through the resource package.
func TestPlatformScopeFromRegistrationToDataAPI(t *testing.T) {
	h := newHub(t)
	if got := h.scopesSupported(t); slices.Contains(got, "uploads:write") || !slices.Contains(got, "tokens:write") {
		t.Fatalf("scopes_supported before registration = %q", got)
	}
	if err := h.Store.CreateScope(context.Background(), uploadsWrite); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(scopes.CacheTTL)
	if got := h.scopesSupported(t); !slices.Contains(got, "uploads:write") {
		t.Fatalf("scopes_supported %s after registration = %q", scopes.CacheTTL, got)
	}

	app := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"https://notebook.example/cb"},
		GrantTypes: []string{"authorization_code", "refresh_token"}}
	cfg := &oauth2.Config{ClientID: app.ID, ClientSecret: h.AddClient(t, app), RedirectURL: app.RedirectURIs[0],
		Scopes: []string{"openid", "uploads:write"}, Endpoint: oauth2.Endpoint{AuthURL: h.URL + "/authorize", TokenURL: h.URL + "/oauth/token"}}
	b := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	p := b.login(b.authorize(cfg, "s", oauth2.S256ChallengeOption(verifier)), demoUser, demoPassword)
	if !strings.Contains(p.Body, "<code>uploads:write</code> create and publish uploads") {
		t.Fatalf("the consent page does not describe the registered scope:\n%s", p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("decision", "approve")
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, b.post("/consent", form), "s"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}

	upload := dataAPI(t, h, "uploads:write")
	if status := callAPI(t, upload, tok.AccessToken); status != http.StatusOK {
		t.Errorf("the data API answered %d to a token with uploads:write, want 200", status)
	}
	_, body, _ := h.postForm(t, "/api/v1/auth/token", passwordForm("openid profile"))
	without, _ := body["access_token"].(string)
	if status := callAPI(t, upload, without); status != http.StatusForbidden {
		t.Errorf("the data API answered %d to a token without uploads:write, want 403", status)
	}
	// NOMAD's password token carries every scope of its API: so does the
	// hub's when the login asks for none, and NOMAD's scripts work as they are.
	if status := callAPI(t, upload, h.passwordToken(t)); status != http.StatusOK {
		t.Errorf("the data API answered %d to a password token that asked for no scope, want 200", status)
	}
	_, body, _ = h.postForm(t, "/api/v1/auth/token", map[string][]string{"grant_type": {"password"}, "username": {demoUser}, "password": {demoPassword}})
	if got := fmt.Sprint(body["scope"]); !strings.HasSuffix(got, " uploads:write") {
		t.Errorf("password grant without a scope: scope %q, want the default ones and uploads:write", got)
	}
}

// dataAPI is a data API on resource that requires scope, whatever the
// token's audience (the platform scopes are the hub's, not one API's).
func dataAPI(t *testing.T, h *hub, scope string) *httptest.Server {
	t.Helper()
	auth, err := resource.New(context.Background(), resource.Config{Issuer: h.URL, AnyAudience: true})
	if err != nil {
		t.Fatal(err)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	ts := httptest.NewServer(auth.Handler(resource.RequireScope(scope, ok)))
	t.Cleanup(ts.Close)
	return ts
}

func callAPI(t *testing.T, api *httptest.Server, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, api.URL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Every entrance grants a registered scope and refuses one that is not (or
// no longer) registered, naming the registered ones among the valid scopes.
func TestPlatformScopeAtEveryEntrance(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	if err := h.Store.CreateScope(ctx, uploadsWrite); err != nil {
		t.Fatal(err)
	}
	access := h.passwordToken(t)
	svc := storage.Client{ID: "pipeline", Name: "Pipeline", GrantTypes: []string{"client_credentials"}}
	svcSecret := h.AddClient(t, svc)
	entrances := []struct {
		name string
		try  func(scope string) (status int, errCode, description string)
	}{
		{"password endpoint", func(sc string) (int, string, string) {
			return errorOf(h.postForm(t, "/api/v1/auth/token", passwordForm("openid "+sc)))
		}},
		{"device authorization", func(sc string) (int, string, string) {
			return errorOf(h.postForm(t, "/oauth/device_authorization", map[string][]string{"client_id": {"hubauth-cli"}, "scope": {"openid " + sc}}))
		}},
		{"client credentials", func(sc string) (int, string, string) {
			return errorOf(h.postForm(t, "/oauth/token", map[string][]string{"grant_type": {"client_credentials"},
				"client_id": {svc.ID}, "client_secret": {svcSecret}, "scope": {sc}}))
		}},
		{"personal token", func(sc string) (int, string, string) {
			return errorOf(h.send(t, "POST", "/api/v1/tokens", access, `{"name":"t-`+sc+`","expires_in":60,"scopes":["`+sc+`"]}`))
		}},
		{"authorize", func(sc string) (int, string, string) {
			p := h.newBrowser(t).authorize(h.cliConfig("openid", sc), "s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
			if p.Location == nil || p.Location.Query().Get("error") == "" {
				return p.Status, "", ""
			}
			return p.Status, p.Location.Query().Get("error"), p.Location.Query().Get("error_description")
		}},
	}
	for _, e := range entrances {
		t.Run(e.name, func(t *testing.T) {
			if status, code, desc := e.try("uploads:write"); code != "" {
				t.Errorf("registered scope refused: %d %s %s", status, code, desc)
			}
			status, code, desc := e.try("uploads:read")
			if code != "invalid_scope" || status >= 500 || !strings.Contains(desc, `unknown scope "uploads:read"`) || !strings.Contains(desc, "groups:read uploads:write") {
				t.Errorf("unregistered scope: %d %s %q, want invalid_scope listing uploads:write", status, code, desc)
			}
		})
	}

	if err := h.Store.DeleteScope(ctx, uploadsWrite.Name); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(scopes.CacheTTL)
	if status, code, _ := entrances[0].try("uploads:write"); code != "invalid_scope" {
		t.Errorf("a removed scope is still granted: %d %s", status, code)
	}
}

func passwordForm(scope string) map[string][]string {
	return map[string][]string{"username": {demoUser}, "password": {demoPassword}, "scope": {scope}}
}

// errorOf reads the status and the OAuth error fields of a JSON answer.
func errorOf(status int, body map[string]any, _ http.Header) (int, string, string) {
	code, _ := body["error"].(string)
	desc, _ := body["error_description"].(string)
	return status, code, desc
}

// Removing a scope stops new grants of it: a session that carries it goes
// on without it at its next refresh, introspection no longer reports it
// for a personal token made before, NOMAD's app_token leaves it out, and a
// forged account-page field for it is refused rather than dropped.
func TestRemovedPlatformScope(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	if err := h.Store.CreateScope(ctx, uploadsWrite); err != nil {
		t.Fatal(err)
	}
	status, body, _ := h.postForm(t, "/api/v1/auth/token", passwordForm("openid offline_access uploads:write"))
	access, _ := body["access_token"].(string)
	rt, _ := body["refresh_token"].(string)
	upload := dataAPI(t, h, "uploads:write")
	if status != http.StatusOK || callAPI(t, upload, access) != http.StatusOK {
		t.Fatalf("login with uploads:write: %d %v", status, body)
	}
	_, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"uploader","expires_in":3600,"scopes":["uploads:write"]}`)
	uploader, _ := created["token"].(string)
	rsSecret := h.AddClient(t, resourceClient)
	introspect := func() string {
		got := h.introspect(t, rsSecret, uploader)
		return fmt.Sprint(got["active"], " ", got["scope"])
	}
	if got := introspect(); got != "true uploads:write" {
		t.Fatalf("introspection of a personal token with uploads:write = %q", got)
	}

	if err := h.Store.DeleteScope(ctx, uploadsWrite.Name); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(scopes.CacheTTL)
	status, body, _ = h.postForm(t, "/oauth/token", map[string][]string{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"hubauth-cli"}})
	next, _ := body["access_token"].(string)
	if status != http.StatusOK || strings.Contains(fmt.Sprint(body["scope"]), "uploads:write") || callAPI(t, upload, next) != http.StatusForbidden {
		t.Errorf("refresh after the removal: %d, scope %v; want 200 and a token without uploads:write", status, body["scope"])
	}

	if got := introspect(); got != "true " && got != "true <nil>" {
		t.Errorf("introspection after the removal = %q, want active without uploads:write", got)
	}

	status, body, _ = h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", access)
	pat, _ := body["app_token"].(string)
	if status != http.StatusOK {
		t.Fatalf("app_token: %d %v", status, body)
	}
	if _, listed, _ := h.getJSON(t, "/api/v1/tokens", access); strings.Count(stringOf(listed), "uploads:write") != 1 {
		t.Errorf("the app token %s… carries the removed scope: %v", pat[:16], listed)
	}

	b, _ := h.accountBrowser(t)
	if p := b.post("/account/tokens", newTokenForm("forged", "86400", "uploads:write")); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "nknown scope") {
		t.Errorf("a form with the removed scope: %d, want 422 naming the unknown scope", p.Status)
	}
}
