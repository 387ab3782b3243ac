package bearer_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
)

func TestFromRequest(t *testing.T) {
	for _, tc := range []struct {
		name, header, token string
		ok                  bool
	}{
		{"bearer", "Bearer abc", "abc", true},
		{"scheme in any case (RFC 7235 §2.1)", "bEARER abc", "abc", true},
		{"surrounding spaces", "Bearer   abc  ", "abc", true},
		{"no header", "", "", false},
		{"basic", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "", false},
		{"scheme only", "Bearer", "", false},
		{"empty token", "Bearer    ", "", false},
		{"8192 bytes", "Bearer " + strings.Repeat("a", 8192), strings.Repeat("a", 8192), true},
		{"too long", "Bearer " + strings.Repeat("a", 8193), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/users/me", nil)
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			token, ok := bearer.FromRequest(r)
			if ok != tc.ok || (ok && token != tc.token) {
				t.Errorf("FromRequest(%.20q) = %.20q, %v; want %.20q, %v", tc.header, token, ok, tc.token, tc.ok)
			}
		})
	}
}

func TestPrincipalScopes(t *testing.T) {
	p := bearer.Principal{Kind: bearer.KindAccessToken, Scopes: []string{"openid", "email", "tokens:read"}}
	for scope, want := range map[string]bool{"tokens:read": true, "email": true, "tokens:write": false, "": false} {
		if got := p.HasScope(scope); got != want {
			t.Errorf("HasScope(%q) = %v, want %v", scope, got, want)
		}
	}
	if got, want := p.Claims(), (scopes.Claims{Email: true}); got != want {
		t.Errorf("claims of an access token with openid email = %+v, want %+v", got, want)
	}
}
