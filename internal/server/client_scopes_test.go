package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestClientScopesAtEveryGrant: a client restricted to some scopes gets
// invalid_scope naming them at client_credentials, authorize, device
// authorization, refresh and the password endpoint, while a client from before scopes were per
// client (unrestricted) and the built-in hubauth-cli may ask for any.
func TestClientScopesAtEveryGrant(t *testing.T) {
	h := newHub(t)
	if err := h.Store.CreateScope(t.Context(), storage.Scope{Name: "uploads:write", Description: "create uploads"}); err != nil {
		t.Fatal(err)
	}
	etl := storage.Client{ID: "etl", Name: "ETL", GrantTypes: []string{"client_credentials"},
		RestrictScopes: true, AllowedScopes: []string{"uploads:write"}}
	legacy := storage.Client{ID: "legacy", Name: "Legacy", GrantTypes: []string{"client_credentials"}}
	notebook := storage.Client{ID: "notebook", Name: "Notebook", Public: true, FirstParty: true,
		GrantTypes:   []string{"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"},
		RedirectURIs: []string{"http://127.0.0.1/callback"}, RestrictScopes: true,
		AllowedScopes: []string{"openid", "profile", "offline_access"}}
	script := storage.Client{ID: "script", Name: "Script", Public: true, GrantTypes: []string{"password"},
		RestrictScopes: true, AllowedScopes: []string{"openid", "profile"}}
	secrets := map[string]string{"etl": h.AddClient(t, etl), "legacy": h.AddClient(t, legacy)}
	h.AddClient(t, notebook)
	h.AddClient(t, script)

	t.Run("client_credentials", func(t *testing.T) {
		for _, tt := range []struct {
			client, scopes, refused string
		}{
			{client: "etl", scopes: "uploads:write"},
			{client: "etl", scopes: "uploads:write tokens:write", refused: "allowed scopes: uploads:write"},
			{client: "legacy", scopes: "uploads:write tokens:write users:read"},
		} {
			cc := clientcredentials.Config{ClientID: tt.client, ClientSecret: secrets[tt.client],
				TokenURL: h.URL + "/oauth/token", Scopes: strings.Fields(tt.scopes)}
			_, err := cc.Token(context.Background())
			var re *oauth2.RetrieveError
			switch {
			case tt.refused == "" && err != nil:
				t.Errorf("%s asking %q: %v, want a token", tt.client, tt.scopes, err)
			case tt.refused != "" && (!errors.As(err, &re) || re.ErrorCode != "invalid_scope" || !strings.Contains(re.ErrorDescription, tt.refused)):
				t.Errorf("%s asking %q: %v, want invalid_scope naming %q", tt.client, tt.scopes, err, tt.refused)
			}
		}
	})
	t.Run("device authorization", func(t *testing.T) {
		for _, tt := range []struct{ client, scopes, want string }{
			{"notebook", "openid profile", ""},
			{"notebook", "openid email", "invalid_scope"},
			{"hubauth-cli", "openid tokens:write uploads:write", ""},
		} {
			_, body, _ := h.postForm(t, "/oauth/device_authorization", url.Values{"client_id": {tt.client}, "scope": {tt.scopes}})
			if got, _ := body["error"].(string); got != tt.want {
				t.Errorf("%s asking %q: %v, want error %q", tt.client, tt.scopes, body, tt.want)
			}
			if d, _ := body["error_description"].(string); tt.want != "" && !strings.Contains(d, "allowed scopes: openid profile offline_access") {
				t.Errorf("%s asking %q: description %q does not name the allowed scopes", tt.client, tt.scopes, d)
			}
		}
	})
	t.Run("password endpoint", func(t *testing.T) {
		login := url.Values{"username": {demoUser}, "password": {demoPassword}, "client_id": {script.ID}, "scope": {"openid email"}}
		status, body, _ := h.postForm(t, "/api/v1/auth/token", login)
		if d, _ := body["error_description"].(string); status != http.StatusBadRequest || body["error"] != "invalid_scope" || !strings.Contains(d, "allowed scopes: openid profile") {
			t.Errorf("asking openid email: %d %v, want 400 invalid_scope naming the allowed scopes", status, body)
		}
		login.Del("scope") // the default scopes, as far as the client may have them
		_, body, _ = h.postForm(t, "/api/v1/auth/token", login)
		access, _ := body["access_token"].(string)
		if status, info, _ := h.getJSON(t, "/userinfo", access); status != http.StatusOK || info["email"] != nil || info["preferred_username"] != demoUser {
			t.Errorf("userinfo of a default login: %d %v, want the profile without the email", status, info)
		}
	})
	cfg := h.cliConfig("openid", "email")
	cfg.ClientID = notebook.ID
	t.Run("authorize", func(t *testing.T) {
		_, challenge := pkce()
		p := h.newBrowser(t).authorize(cfg, "st4te", oauth2.SetAuthURLParam("code_challenge", challenge),
			oauth2.SetAuthURLParam("code_challenge_method", "S256"))
		if p.Location == nil || p.Location.Query().Get("error") != "invalid_scope" ||
			!strings.Contains(p.Location.Query().Get("error_description"), "allowed scopes: openid profile offline_access") {
			t.Fatalf("authorize asking openid email: %d %v, want a redirect with invalid_scope naming the allowed scopes", p.Status, p.Location)
		}
	})
	t.Run("refresh", func(t *testing.T) {
		cfg.Scopes = []string{"openid", "profile", "offline_access"}
		tok := h.browserLogin(t, h.newBrowser(t), cfg)
		err := h.Store.UpdateClient(t.Context(), notebook.ID, func(c storage.Client) (storage.Client, error) {
			c.AllowedScopes = []string{"openid", "offline_access"}
			return c, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		h.Clock.Advance(3 * time.Second) // past the client cache
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {notebook.ID}, "scope": {"openid profile"}}
		if _, body, _ := h.postForm(t, "/oauth/token", form); body["error"] != "invalid_scope" {
			t.Errorf("refresh asking a scope no longer allowed: %v, want invalid_scope", body)
		}
		form.Del("scope")
		if status, body, _ := h.postForm(t, "/oauth/token", form); status != http.StatusOK || body["scope"] != "openid offline_access" {
			t.Errorf("refresh: %d, scope %v; want 200 without the scope no longer allowed", status, body["scope"])
		}
	})
	t.Run("first-party client", func(t *testing.T) {
		// A restricted first-party client's token does not act with the
		// user's full rights: /api/v1 needs the scope, so it cannot mint a
		// personal token with a scope the client may not ask for.
		err := h.Store.UpdateClient(t.Context(), notebook.ID, func(c storage.Client) (storage.Client, error) {
			c.AllowedScopes = []string{"openid", "profile", "offline_access"}
			return c, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		h.Clock.Advance(3 * time.Second) // past the client cache
		cfg.Scopes = []string{"openid", "profile"}
		tok := h.browserLogin(t, h.newBrowser(t), cfg)
		status, body, _ := h.send(t, "POST", "/api/v1/tokens", tok.AccessToken, `{"name":"ci","expires_in":60,"scopes":["uploads:write"]}`)
		if status != http.StatusForbidden || body["error"] != "insufficient_scope" {
			t.Errorf("restricted first-party client creating a token: %d %v, want 403 insufficient_scope", status, body)
		}
		if status, body, _ := h.send(t, "POST", "/api/v1/tokens", h.passwordToken(t), `{"name":"ci","expires_in":60,"scopes":["uploads:write"]}`); status != http.StatusCreated {
			t.Errorf("hubauth-cli (unrestricted first-party) creating a token: %d %v, want 201", status, body)
		}
	})
}
