package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestEndpointsNeedTheirScope checks the gate in front of every endpoint:
// a token, a user behind it, and the endpoint's scope held by the token or
// by the first-party client (RFC 6750 §3.1).
func TestEndpointsNeedTheirScope(t *testing.T) {
	f := newFixture(t)
	endpoints := []struct {
		method, path, scope string
		own                 bool // managing tokens or logins: personal tokens refused
	}{
		{"GET", "/api/v1/users?id=u-ada", "users:read", false},
		{"GET", "/api/v1/tokens", "tokens:read", true},
		{"DELETE", "/api/v1/tokens/none", "tokens:write", true},
		{"GET", "/api/v1/sessions", "tokens:read", true},
		{"DELETE", "/api/v1/sessions/none", "tokens:write", true},
		{"GET", "/api/v1/groups", "groups:read", false},
		{"GET", "/api/v1/groups/physics/members", "groups:read", false},
	}
	thirdParty := f.accessToken(t, "u-ada", "app", "openid", "")
	firstParty := f.accessToken(t, "u-ada", "cli", "openid", "s-ada")
	service := f.accessToken(t, "app", "app", "users:read tokens:read tokens:write groups:read", "")
	personal, _ := f.personalToken(t, "u-ada", "nothing")
	for _, e := range endpoints {
		t.Run(e.method+" "+e.path, func(t *testing.T) {
			scoped, _ := f.personalToken(t, "u-ada", e.method+" "+e.path, e.scope)
			personalStatus, personalCode, scopedStatus, scopedCode := http.StatusForbidden, "insufficient_scope", 0, ""
			if e.own {
				personalCode, scopedStatus, scopedCode = "access_denied", http.StatusForbidden, "access_denied"
			}
			for _, tc := range []struct {
				name, token string
				status      int
				code        string
			}{
				{"no token", "", http.StatusUnauthorized, "invalid_token"},
				{"bad token", "abc", http.StatusUnauthorized, "invalid_token"},
				{"service account", service, http.StatusForbidden, "access_denied"},
				{"personal token without the scope", personal, personalStatus, personalCode},
				{"third-party token without the scope", thirdParty, http.StatusForbidden, "insufficient_scope"},
				{"personal token with the scope", scoped, scopedStatus, scopedCode},
				{"third-party token with the scope", f.accessToken(t, "u-ada", "app", e.scope, ""), 0, ""},
				{"first-party client", firstParty, 0, ""},
			} {
				a := f.do(t, e.method, e.path, tc.token, "")
				if tc.status == 0 {
					if a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden {
						t.Errorf("%s: %d %v, want let through", tc.name, a.Status, a.Body)
					}
					continue
				}
				if a.Status != tc.status || a.Body["error"] != tc.code {
					t.Errorf("%s: %d %v, want %d %s", tc.name, a.Status, a.Body["error"], tc.status, tc.code)
				}
				want := `Bearer realm="hubauth", error="insufficient_scope", scope="` + e.scope + `"`
				if got := a.Header.Get("WWW-Authenticate"); tc.code == "insufficient_scope" && got != want {
					t.Errorf("%s: WWW-Authenticate = %q, want %q", tc.name, got, want)
				}
			}
		})
	}
}

func TestUnknownEndpoint(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/api/v1/nope", "/api/v2/users/me", "/api/v1/" + strings.Repeat("x", 200)} {
		a := f.do(t, "GET", path, "", "")
		if a.Status != http.StatusNotFound || a.Body["error"] != "not_found" {
			t.Errorf("GET %.30q = %d %v, want 404 not_found", path, a.Status, a.Body)
		}
		if d, _ := a.Body["error_description"].(string); len(d) > 80 {
			t.Errorf("description %q echoes the whole path", d)
		}
	}
}
