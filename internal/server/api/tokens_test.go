package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/server/bearer"
)

func TestCreateToken(t *testing.T) {
	f := newFixture(t)
	cli := f.accessToken(t, "u-ada", "cli", "openid", "s-ada")
	a := f.do(t, "POST", "/api/v1/tokens", cli, `{"name":"laptop","expires_in":3600,"scopes":["groups:read","groups:read"]}`)
	if a.Status != http.StatusCreated {
		t.Fatalf("create = %d %v, want 201", a.Status, a.Body)
	}
	token, _ := a.Body["token"].(string)
	if !strings.HasPrefix(token, bearer.PersonalTokenPrefix) || a.Body["name"] != "laptop" || a.Body["expires_at"] == nil {
		t.Errorf("created = %v, want the secret once, the name and the expiry", a.Body)
	}
	if got := a.Body["scopes"]; !cmp.Equal(got, []any{"groups:read"}) {
		t.Errorf("scopes = %v, want [groups:read] (duplicates dropped)", got)
	}
	if g := f.do(t, "GET", "/api/v1/groups", token, ""); g.Status != http.StatusOK { // the new token works, with its scope
		t.Fatalf("groups with the new token = %d %v", g.Status, g.Body)
	}

	list := f.do(t, "GET", "/api/v1/tokens", cli, "")
	if list.Status != http.StatusOK {
		t.Fatalf("list = %d %v", list.Status, list.Body)
	}
	items := list.data(t)
	if len(items) != 1 || items[0]["id"] != a.Body["id"] || items[0]["token"] != nil || items[0]["last_used_at"] == nil {
		t.Errorf("list = %v, want the one token without its secret, used once", items)
	}
	events, err := f.store.ListAudit(t.Context(), 10)
	must(t, err)
	if len(events) != 1 || events[0].Type != "token_created" || events[0].UserID != "u-ada" || events[0].ClientID != "cli" ||
		strings.Contains(events[0].Detail, token) {
		t.Errorf("audit = %+v, want one token_created by ada at cli without the secret", events)
	}
}

func TestCreateTokenRefused(t *testing.T) {
	f := newFixture(t)
	cli := f.accessToken(t, "u-ada", "cli", "openid", "s-ada")
	app := f.accessToken(t, "u-ada", "app", "tokens:write", "")
	personal, _ := f.personalToken(t, "u-ada", "taken", "tokens:write")
	for _, tc := range []struct {
		name, token, body string
		status            int
		code              string
	}{
		{"with a personal token", personal, `{"name":"x","expires_in":60}`, 403, "access_denied"},
		{"not JSON", cli, `name=x`, 400, "invalid_request"},
		{"unknown field", cli, `{"name":"x","expires_in":60,"admin":true}`, 400, "invalid_request"},
		{"data after the object", cli, `{"name":"x","expires_in":60}{}`, 400, "invalid_request"},
		{"empty name", cli, `{"name":"","expires_in":60}`, 422, "invalid_request"},
		{"control character in the name", cli, `{"name":"a\u0007b","expires_in":60}`, 422, "invalid_request"},
		{"no lifetime", cli, `{"name":"x"}`, 422, "invalid_request"},
		{"never expiring, not allowed", cli, `{"name":"x","expires_in":0}`, 422, "invalid_request"},
		{"longer than the maximum", cli, `{"name":"x","expires_in":99999999999}`, 422, "invalid_request"},
		{"unknown scope", cli, `{"name":"x","expires_in":60,"scopes":["root:everything"]}`, 422, "invalid_scope"},
		{"scope the caller does not hold", app, `{"name":"x","expires_in":60,"scopes":["users:read"]}`, 403, "insufficient_scope"},
		{"name taken", cli, `{"name":"taken","expires_in":60}`, 409, "conflict"},
		{"body too large", cli, `{"name":"` + strings.Repeat("x", 17<<10) + `","expires_in":60}`, 413, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, "POST", "/api/v1/tokens", tc.token, tc.body)
			if a.Status != tc.status || a.Body["error"] != tc.code {
				t.Errorf("create = %d %v, want %d %s", a.Status, a.Body, tc.status, tc.code)
			}
		})
	}
	if list, err := f.store.ListPersonalTokens(t.Context(), "u-ada"); err != nil || len(list) != 1 {
		t.Errorf("ada's tokens after refusals = %d, %v; want only the one made first", len(list), err)
	}
}

func TestRevokeToken(t *testing.T) {
	f := newFixture(t)
	caller := f.accessToken(t, "u-ada", "app", "tokens:write tokens:read", "")
	_, _ = f.personalToken(t, "u-ada", "admin-ish", "groups:read")
	other, mine := f.personalToken(t, "u-ada", "laptop")
	bobs, theirs := f.personalToken(t, "u-bob", "bob's")

	if a := f.do(t, "DELETE", "/api/v1/tokens/"+theirs.ID, caller, ""); a.Status != http.StatusNotFound || a.Body["error"] != "not_found" {
		t.Errorf("revoke bob's token = %d %v, want 404 as if it did not exist", a.Status, a.Body)
	}
	if a := f.do(t, "GET", "/api/v1/users/me", bobs, ""); a.Status != http.StatusOK {
		t.Errorf("bob's token after ada's attempt = %d, want still valid", a.Status)
	}
	if a := f.do(t, "DELETE", "/api/v1/tokens/"+mine.ID, caller, ""); a.Status != http.StatusNoContent {
		t.Fatalf("revoke own token = %d %v, want 204", a.Status, a.Body)
	}
	if a := f.do(t, "GET", "/api/v1/users/me", other, ""); a.Status != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", a.Status)
	}
	if a := f.do(t, "DELETE", "/api/v1/tokens/"+mine.ID, caller, ""); a.Status != http.StatusNotFound {
		t.Errorf("revoke again = %d, want 404", a.Status)
	}
	events, err := f.store.ListAudit(t.Context(), 10)
	must(t, err)
	if len(events) != 1 || events[0].Type != "revoke" || events[0].ClientID != "app" || events[0].Detail != "personal token "+mine.ID {
		t.Errorf("audit = %+v, want one revoke of %s", events, mine.ID)
	}
	items := f.do(t, "GET", "/api/v1/tokens", caller, "").data(t)
	if diff := cmp.Diff([]string{"admin-ish"}, field(items, "name")); diff != "" {
		t.Errorf("ada's tokens (-want +got):\n%s", diff)
	}
}
