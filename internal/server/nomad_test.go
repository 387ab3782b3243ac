package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server"
)

// The NOMAD seed's Python snippets, request for request.
func TestNomadSnippets(t *testing.T) {
	h := newHub(t)
	// requests.get('…/api/v1/auth/token', params=dict(username=…, password=…))
	q := url.Values{"username": {demoUser}, "password": {demoPassword}}
	status, body, _ := h.getJSON(t, "/api/v1/auth/token?"+q.Encode(), "")
	token, _ := body["access_token"].(string)
	if status != 200 || token == "" || body["token_type"] != "bearer" || body["refresh_token"] == nil || body["expires_in"] == nil {
		t.Fatalf("GET auth/token: %d %v", status, body)
	}
	// requests.get('…/api/v1/auth/app_token?expires_in=86400', headers={'Authorization': f'Bearer {token}'})
	status, body, _ = h.getJSON(t, "/api/v1/auth/app_token?expires_in=86400", token)
	app, _ := body["access_token"].(string)
	if status != 200 || !strings.HasPrefix(app, "hubauth_pat_") || body["app_token"] != app || body["expires_in"] != float64(86400) {
		t.Fatalf("app_token: %d %v", status, body)
	}
	// The app token works as a bearer.
	status, body, _ = h.getJSON(t, "/api/v1/users/me", app)
	if status != 200 || body["username"] != demoUser {
		t.Fatalf("users/me with app token: %d %v", status, body)
	}
	// And is active at introspection.
	sec := h.AddClient(t, resourceClient)
	if active := h.introspect(t, sec, app); active["active"] != true || active["sub"] == nil {
		t.Fatalf("introspection of app token: %v", active)
	}
	// The app token is stored only as a hash.
	if strings.Contains(h.dump(t), app) || strings.Contains(h.dump(t), strings.TrimPrefix(app, "hubauth_pat_")) {
		t.Fatal("the database holds the app token in clear")
	}
}

func TestNomadTokenForms(t *testing.T) {
	h := newHub(t)
	tests := []struct {
		name        string
		contentType string
		body        string
		want        int
	}{
		{"form", "application/x-www-form-urlencoded", "username=" + demoUser + "&password=" + url.QueryEscape(demoPassword), 200},
		{"json", "application/json", `{"username":"` + demoUser + `","password":"` + demoPassword + `"}`, 200},
		{"wrong password", "application/x-www-form-urlencoded", "username=" + demoUser + "&password=nope", 401},
		{"unknown user", "application/json", `{"username":"nobody","password":"x"}`, 401},
		{"missing password", "application/x-www-form-urlencoded", "username=" + demoUser, 400},
		{"repeated username", "application/x-www-form-urlencoded", "username=a&username=b&password=x", 400},
		{"malformed json", "application/json", `{"username":`, 400},
		{"trailing json", "application/json", `{"username":"a","password":"b"} {}`, 400},
		{"json array", "application/json", `["a"]`, 400},
		{"oversized", "application/x-www-form-urlencoded", "username=" + strings.Repeat("a", 70<<10), 413},
		{"unknown client", "application/x-www-form-urlencoded", "username=" + demoUser + "&password=" + url.QueryEscape(demoPassword) + "&client_id=nope", 401}, // invalid_client (RFC 6749 §5.2)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(h.URL+"/api/v1/auth/token", tt.contentType, bytes.NewBufferString(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			status, body, _ := decode(t, resp)
			if status != tt.want {
				t.Fatalf("status %d, want %d (%v)", status, tt.want, body)
			}
			if status >= 400 && body["error"] == nil {
				t.Fatalf("error answer without an error field: %v", body)
			}
		})
	}
}

func TestAppTokenLifetime(t *testing.T) {
	h := newHub(t)
	token := h.passwordToken(t)
	for _, q := range []string{"", "expires_in=0", "expires_in=-5", "expires_in=2592001", "expires_in=abc", "expires_in=1&expires_in=2", "expires_in=1e3"} {
		t.Run(q, func(t *testing.T) {
			status, body, _ := h.getJSON(t, "/api/v1/auth/app_token?"+q, token)
			if status != http.StatusUnprocessableEntity || body["error"] == nil {
				t.Fatalf("%q: %d %v, want 422", q, status, body)
			}
		})
	}
	if status, _, hdr := h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", ""); status != 401 || hdr.Get("WWW-Authenticate") == "" {
		t.Fatalf("without a token: %d, want 401 with WWW-Authenticate", status)
	}
	if status, _, _ := h.getJSON(t, "/api/v1/auth/app_token?expires_in=2592000", token); status != 200 {
		t.Fatalf("the maximum: %d, want 200", status)
	}
}

func TestNomadGETCanBeSwitchedOff(t *testing.T) {
	h := newHub(t, func(c *server.Config) { c.NomadGetToken = false })
	q := url.Values{"username": {demoUser}, "password": {demoPassword}}
	if status, _, _ := h.getJSON(t, "/api/v1/auth/token?"+q.Encode(), ""); status != http.StatusMethodNotAllowed {
		t.Fatalf("GET with the option off: %d, want 405", status)
	}
}

// passwordToken logs in through the NOMAD endpoint.
func (h *hub) passwordToken(t *testing.T) string {
	t.Helper()
	status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
	tok, _ := body["access_token"].(string)
	if status != 200 || tok == "" {
		t.Fatalf("password login: %d %v", status, body)
	}
	return tok
}
