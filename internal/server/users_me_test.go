package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// thirdPartyToken runs the browser flow of a third-party web application
// (login, consent) for scopes and returns its access token.
func (h *hub) thirdPartyToken(t *testing.T, b *browser, scopes ...string) string {
	t.Helper()
	app := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"https://notebook.example/cb"},
		GrantTypes: []string{"authorization_code", "refresh_token"}}
	if _, err := h.Store.GetClient(context.Background(), app.ID); err != nil {
		h.AddClient(t, storage.Client{ID: app.ID, Name: app.Name, RedirectURIs: app.RedirectURIs, GrantTypes: app.GrantTypes, Public: true})
	}
	cfg := &oauth2.Config{ClientID: app.ID, RedirectURL: app.RedirectURIs[0], Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: h.URL + "/authorize", TokenURL: h.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "tp", oauth2.S256ChallengeOption(verifier))
	if strings.Contains(p.Body, `action="/login"`) {
		p = b.login(p, demoUser, demoPassword)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("decision", "approve")
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, b.post("/consent", form), "tp"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok.AccessToken
}

// /api/v1/users/me answers per scope, as /userinfo does: a third-party
// client approved for openid alone learns only the subject; is_admin only
// to first-party clients and personal tokens.
func TestUsersMeFollowsScopes(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	u, err := h.Store.GetUserByUsername(ctx, demoUser)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.UpdateUser(ctx, u.ID, func(u storage.User) (storage.User, error) { u.Admin = true; return u, nil }); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.CreateGroup(ctx, storage.Group{Name: "nmr", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.AddGroupMember(ctx, "nmr", u.ID); err != nil {
		t.Fatal(err)
	}
	first := h.passwordToken(t) // hubauth-cli: first-party
	pat := func(name, scopes string) string {
		status, body, _ := h.send(t, "POST", "/api/v1/tokens", first, `{"name":"`+name+`","expires_in":3600,"scopes":[`+scopes+`]}`)
		if status != http.StatusCreated {
			t.Fatalf("create personal token: %d %v", status, body)
		}
		return body["token"].(string)
	}
	b := h.newBrowser(t)
	id, name, email, groups := u.ID, u.Name, u.Email, []any{"nmr"}
	tests := []struct {
		name  string
		token string
		want  map[string]any
	}{
		{"third party openid", h.thirdPartyToken(t, b, "openid"), map[string]any{"id": id}},
		{"third party email", h.thirdPartyToken(t, b, "openid", "email"), map[string]any{"id": id, "email": email}},
		{"third party profile", h.thirdPartyToken(t, b, "openid", "profile"), map[string]any{"id": id, "username": demoUser, "name": name}},
		{"third party groups", h.thirdPartyToken(t, b, "openid", "groups"), map[string]any{"id": id, "groups": groups}},
		{"third party all", h.thirdPartyToken(t, b, "openid", "profile", "email", "groups"),
			map[string]any{"id": id, "username": demoUser, "name": name, "email": email, "groups": groups}},
		{"first party", first, map[string]any{"id": id, "username": demoUser, "name": name, "email": email, "groups": groups, "is_admin": true}},
		{"personal token", pat("plain", ""), map[string]any{"id": id, "username": demoUser, "name": name, "email": email, "is_admin": true}},
		{"personal token with groups", pat("groups", `"groups"`),
			map[string]any{"id": id, "username": demoUser, "name": name, "email": email, "groups": groups, "is_admin": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got, _ := h.getJSON(t, "/api/v1/users/me", tt.token)
			if status != http.StatusOK {
				t.Fatalf("GET /api/v1/users/me = %d %v, want 200", status, got)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET /api/v1/users/me (-want +got):\n%s", diff)
			}
		})
	}
}
