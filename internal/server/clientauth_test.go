package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// A failed client authentication is invalid_client with 401 and a Basic
// challenge (RFC 6749 §5.2) at every endpoint where clients authenticate,
// whether the credentials came in the Authorization header or the form.
func TestInvalidClientIs401WithChallenge(t *testing.T) {
	h := newHub(t)
	svc := storage.Client{ID: "svc", Name: "Service", GrantTypes: []string{"client_credentials",
		"urn:ietf:params:oauth:grant-type:device_code", "refresh_token"}}
	h.AddClient(t, svc)
	type creds struct{ basicID, basicSecret, formID, formSecret string }
	wrongBasic := creds{basicID: svc.ID, basicSecret: "wrong"}
	tests := []struct {
		name  string
		path  string
		form  url.Values
		creds creds
	}{
		{"token, wrong secret in Basic", "/oauth/token", url.Values{"grant_type": {"client_credentials"}}, wrongBasic},
		{"token, wrong secret in the form", "/oauth/token", url.Values{"grant_type": {"client_credentials"}}, creds{formID: svc.ID, formSecret: "wrong"}},
		{"token, unknown client", "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}, creds{basicID: "nobody", basicSecret: "x"}},
		{"token, public client asks for client_credentials", "/oauth/token", url.Values{"grant_type": {"client_credentials"}}, creds{formID: "hubauth-cli"}},
		{"token, refresh with a wrong secret", "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}, wrongBasic},
		{"introspection, wrong secret", "/oauth/introspect", url.Values{"token": {"x"}}, wrongBasic},
		{"introspection, no secret", "/oauth/introspect", url.Values{"token": {"x"}}, creds{formID: svc.ID}},
		{"revocation, wrong secret", "/oauth/revoke", url.Values{"token": {"x"}}, wrongBasic},
		{"revocation, unknown client", "/oauth/revoke", url.Values{"token": {"x"}}, creds{formID: "nobody"}},
		{"device_authorization, wrong secret", "/oauth/device_authorization", url.Values{"scope": {"openid"}}, wrongBasic},
		{"device_authorization, unknown client", "/oauth/device_authorization", url.Values{"scope": {"openid"}}, creds{formID: "nobody"}},
		{"password endpoint, unknown client", "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}}, creds{formID: "nobody"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := cloneValues(tt.form)
			if tt.creds.formID != "" {
				form.Set("client_id", tt.creds.formID)
			}
			if tt.creds.formSecret != "" {
				form.Set("client_secret", tt.creds.formSecret)
			}
			req, _ := http.NewRequest(http.MethodPost, h.URL+tt.path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.creds.basicID != "" {
				req.SetBasicAuth(tt.creds.basicID, tt.creds.basicSecret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			status, body, header := decode(t, resp)
			if status != http.StatusUnauthorized || body["error"] != "invalid_client" {
				t.Fatalf("got %d %v, want 401 invalid_client", status, body)
			}
			if got, want := header.Get("WWW-Authenticate"), `Basic realm="hubauth"`; got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
		})
	}
	// Other errors at the same endpoints keep their 400.
	status, body, header := h.postForm(t, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {"hubauth-cli"}})
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" || header.Get("WWW-Authenticate") != "" {
		t.Errorf("unknown refresh token: %d %v %v, want 400 invalid_grant without a challenge", status, body, header)
	}
}
