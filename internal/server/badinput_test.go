package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// Every endpoint answers malformed, missing, repeated or oversized input
// with a 4xx and an error body — never a 500.
func TestBadInputGets4xx(t *testing.T) {
	h := newHub(t)
	huge := strings.Repeat("x", 100<<10)
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, path, contentType, body, auth string
	}{
		{"token without grant", "POST", "/oauth/token", form, "", ""},
		{"token unknown grant", "POST", "/oauth/token", form, "grant_type=password&username=a&password=b&client_id=hubauth-cli", ""},
		{"token repeated grant", "POST", "/oauth/token", form, "grant_type=refresh_token&grant_type=refresh_token&refresh_token=a&client_id=hubauth-cli", ""},
		{"token oversized", "POST", "/oauth/token", form, "grant_type=refresh_token&refresh_token=" + huge, ""},
		{"token bad code", "POST", "/oauth/token", form, "grant_type=authorization_code&code=zzz&client_id=hubauth-cli&redirect_uri=http://127.0.0.1/callback&code_verifier=abc", ""},
		{"token unknown client", "POST", "/oauth/token", form, "grant_type=refresh_token&refresh_token=a&client_id=nobody", ""},
		{"token broken encoding", "POST", "/oauth/token", form, "grant_type=%zz", ""},
		{"device no client", "POST", "/oauth/device_authorization", form, "scope=openid", ""},
		{"device unknown client", "POST", "/oauth/device_authorization", form, "client_id=nobody&scope=openid", ""},
		{"device poll no code", "POST", "/oauth/token", form, "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=hubauth-cli", ""},
		{"introspect unauthenticated", "POST", "/oauth/introspect", form, "token=abc", ""},
		{"revoke unknown client", "POST", "/oauth/revoke", form, "token=abc&client_id=nobody", ""},
		{"userinfo no token", "GET", "/userinfo", "", "", ""},
		{"userinfo garbage token", "GET", "/userinfo", "", "", "Bearer garbage"},
		{"userinfo alg none", "GET", "/userinfo", "", "", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
		{"authorize empty", "GET", "/authorize", "", "", ""},
		{"authorize garbage", "GET", "/authorize?client_id=%00&redirect_uri=::::", "", "", ""},
		{"authorize callback unknown", "GET", "/authorize/callback?id=nope", "", "", ""},
		{"login empty", "POST", "/login", form, "", ""},
		{"login oversized", "POST", "/login", form, "username=" + huge, ""},
		{"login repeated", "POST", "/login", form, "username=a&username=b&password=c", ""},
		{"login unknown request", "GET", "/login?authRequestID=nope", "", "", ""},
		{"device page garbage code", "POST", "/device", form, "user_code=%F0%9F%98%80%F0%9F%98%80", ""},
		{"device approve signed out", "POST", "/device/approve", form, "user_code=BCDFGHJK&decision=approve", ""},
		{"consent signed out", "POST", "/consent", form, "authRequestID=x&decision=approve", ""},
		{"users/me malformed header", "GET", "/api/v1/users/me", "", "", "Bearer"},
		{"users/me basic auth", "GET", "/api/v1/users/me", "", "", "Basic YTpi"},
		{"app_token bad token", "GET", "/api/v1/auth/app_token?expires_in=5", "", "", "Bearer hubauth_pat_nope"},
		{"nomad token wrong type", "POST", "/api/v1/auth/token", "text/plain", "hello", ""},
		{"end_session bad hint", "GET", "/end_session?id_token_hint=garbage", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, h.URL+tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Fatalf("%s %s: %d, want 4xx\n%s", tt.method, tt.path, resp.StatusCode, body)
			}
			if len(body) == 0 {
				t.Fatalf("%d with an empty body", resp.StatusCode)
			}
		})
	}
}
