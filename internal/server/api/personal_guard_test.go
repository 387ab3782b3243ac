package api_test

import (
	"net/http"
	"testing"
)

// A personal token never manages personal tokens or logins, whatever
// scopes it carries (NOMAD's rule): every route of /tokens and /sessions,
// lists included, refuses it with 403 access_denied.
func TestPersonalTokenManagesNothing(t *testing.T) {
	f := newFixture(t)
	pat, mine := f.personalToken(t, "u-ada", "stored before the rule", "tokens:read", "tokens:write", "tokens:create", "tokens:delete")
	for _, e := range []struct{ method, path, body string }{
		{"GET", "/api/v1/tokens", ""},
		{"POST", "/api/v1/tokens", `{"name":"x","expires_in":60}`},
		{"DELETE", "/api/v1/tokens/" + mine.ID, ""},
		{"POST", "/api/v1/tokens/" + mine.ID + "/rotate", ""},
		{"GET", "/api/v1/sessions", ""},
		{"DELETE", "/api/v1/sessions/s-ada", ""},
	} {
		t.Run(e.method+" "+e.path, func(t *testing.T) {
			a := f.do(t, e.method, e.path, pat, e.body)
			if a.Status != http.StatusForbidden || a.Body["error"] != "access_denied" {
				t.Errorf("%d %v, want 403 access_denied", a.Status, a.Body)
			}
		})
	}
	if s, err := f.store.GetSession(t.Context(), "s-ada"); err != nil || !s.RevokedAt.IsZero() {
		t.Errorf("ada's login after the refusals: %+v, %v; want it live", s, err)
	}
}

// A new personal token may not carry a token-management scope.
func TestCreateTokenWithManagementScope(t *testing.T) {
	f := newFixture(t)
	cli := f.accessToken(t, "u-ada", "cli", "openid", "s-ada")
	app := f.accessToken(t, "u-ada", "app", "tokens:write tokens:read", "")
	for _, tc := range []struct{ name, token, scope string }{
		{"tokens:read", cli, "tokens:read"},
		{"tokens:write", cli, "tokens:write"},
		{"tokens:create", cli, "tokens:create"},
		{"tokens:delete", cli, "tokens:delete"},
		{"tokens:write by a third-party client holding it", app, "tokens:write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, "POST", "/api/v1/tokens", tc.token, `{"name":"x","expires_in":60,"scopes":["`+tc.scope+`"]}`)
			if a.Status != http.StatusUnprocessableEntity || a.Body["error"] != "invalid_scope" {
				t.Errorf("%d %v, want 422 invalid_scope", a.Status, a.Body)
			}
		})
	}
}
