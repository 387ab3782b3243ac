package resource_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/resource"
)

func TestNoTokenChallenge(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{Realm: "datahub"})
	got := call(t, m.Handler(whoami))
	if got.Status != http.StatusUnauthorized || got.Challenge != `Bearer realm="datahub"` {
		t.Fatalf("got %d %q, want 401 with a bare Bearer challenge (RFC 6750 §3.1)", got.Status, got.Challenge)
	}
	if got.Error != "invalid_token" || !strings.Contains(got.Desc, "Authorization: Bearer") {
		t.Errorf("body = %q %q, want invalid_token saying how to authenticate", got.Error, got.Desc)
	}
}

func TestInvalidTokenChallenge(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{})
	got := call(t, m.Handler(whoami), "Bearer not-a-token")
	want := `Bearer realm="hubauth", error="invalid_token", error_description="` + got.Desc + `"`
	if got.Status != http.StatusUnauthorized || got.Challenge != want || got.Desc == "" {
		t.Fatalf("got %d %q, want 401 %q", got.Status, got.Challenge, want)
	}
}

func TestAllowAnonymous(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{AllowAnonymous: true})
	if got := call(t, m.Handler(whoami)); got.Status != http.StatusOK || got.Caller != nil {
		t.Errorf("no token: got %+v, want 200 with no caller", got)
	}
	if got := call(t, m.Handler(whoami), bearer(h.accessToken(t, ""))); got.Status != http.StatusOK || got.Caller == nil {
		t.Errorf("valid token: got %+v, want 200 with the caller", got)
	}
	if got := call(t, m.Handler(whoami), "Bearer forged.token.here"); got.Status != http.StatusUnauthorized {
		t.Errorf("bad token: got %+v, want 401: a token that is present must be valid", got)
	}
	if got := call(t, m.Handler(resource.RequireCaller(whoami))); got.Status != http.StatusUnauthorized || got.Challenge != `Bearer realm="hubauth"` {
		t.Errorf("RequireCaller, no token: got %+v, want 401 with a bare challenge", got)
	}
	if got := call(t, m.Handler(resource.RequireScope("tokens:write", whoami))); got.Status != http.StatusUnauthorized {
		t.Errorf("RequireScope, no token: got %+v, want 401", got)
	}
}

func TestRequireScope(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{})
	api := m.Handler(resource.RequireScope("tokens:write", whoami))
	if got := call(t, api, bearer(h.accessToken(t, "openid tokens:write"))); got.Status != http.StatusOK {
		t.Errorf("with the scope: got %+v, want 200", got)
	}
	got := call(t, api, bearer(h.accessToken(t, "openid tokens:read")))
	want := `Bearer realm="hubauth", error="insufficient_scope", error_description="the token lacks the scope tokens:write", scope="tokens:write"`
	if got.Status != http.StatusForbidden || got.Challenge != want || got.Error != "insufficient_scope" || !strings.Contains(got.Desc, "tokens:write") {
		t.Errorf("without the scope: got %+v, want 403 with %s", got, want)
	}
}

func TestScopeChallenge(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{Realm: "datahub"})
	own := func(scopes ...string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			resource.ScopeChallenge(w, r, scopes...)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"detail": "Missing scopes"}`))
		})
	}
	for _, tc := range []struct {
		name    string
		handler http.Handler
		want    string
	}{
		{"one scope", m.Handler(own("uploads:write")),
			`Bearer realm="datahub", error="insufficient_scope", error_description="the token lacks the scope uploads:write", scope="uploads:write"`},
		{"two scopes", m.Handler(own("uploads:read", "uploads:write")),
			`Bearer realm="datahub", error="insufficient_scope", error_description="the token lacks the scopes uploads:read uploads:write", scope="uploads:read uploads:write"`},
		{"not behind the middleware", own("uploads:write"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, tc.handler, bearer(h.accessToken(t, "openid")))
			if got.Status != http.StatusForbidden || got.Challenge != tc.want {
				t.Errorf("got %d %q, want 403 %q", got.Status, got.Challenge, tc.want)
			}
		})
	}
}

func TestRequireScopeOutsideMiddleware(t *testing.T) {
	got := call(t, resource.RequireScope("x", whoami), "Bearer abc")
	if got.Status != http.StatusInternalServerError {
		t.Errorf("got %+v, want 500: a route not behind the middleware must not serve", got)
	}
}

func TestRequireScopePanicsOnBadScope(t *testing.T) {
	for _, scope := range []string{"", "a b", `a"b`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RequireScope(%q) did not panic", scope)
				}
			}()
			resource.RequireScope(scope, whoami)
		}()
	}
}
