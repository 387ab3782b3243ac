package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestPasswordGrant: POST /api/v1/auth/token is RFC 6749's password grant
// as well (§4.3): grant_type=password, scope, the client's credentials in
// the body or a Basic header (§2.3.1), an RFC 6749 §5.1 answer; NOMAD's
// form without grant_type keeps its own answer.
func TestPasswordGrant(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, storage.Client{ID: "notebook", Name: "Notebook", GrantTypes: []string{storage.GrantPassword, storage.GrantRefreshToken}})
	login := url.Values{"grant_type": {"password"}, "username": {demoUser}, "password": {demoPassword}, "scope": {"openid profile offline_access"}}
	with := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, vs := range login {
			v[k] = vs
		}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	tests := []struct {
		name       string
		form       url.Values
		basic      []string // client id and secret
		status     int
		code       string // the error, or the token_type
		wantScope  string
		challenged bool
	}{
		{"public client in the body", with(url.Values{"client_id": {"hubauth-cli"}}), nil, 200, "Bearer", "openid profile offline_access", false},
		{"public client in Basic", login, []string{"hubauth-cli", ""}, 200, "Bearer", "openid profile offline_access", false},
		{"no client: the built-in one", login, nil, 200, "Bearer", "openid profile offline_access", false},
		{"confidential client with its secret in Basic", login, []string{"notebook", sec}, 200, "Bearer", "openid profile offline_access", false},
		{"confidential client with its secret in the body", with(url.Values{"client_id": {"notebook"}, "client_secret": {sec}}), nil, 200, "Bearer", "openid profile offline_access", false},
		{"confidential client, wrong secret", login, []string{"notebook", "wrong"}, 401, "invalid_client", "", true},
		{"confidential client without its secret", with(url.Values{"client_id": {"notebook"}}), nil, 400, "unauthorized_client", "", false},
		{"public client with a secret", login, []string{"hubauth-cli", "made-up"}, 401, "invalid_client", "", true},
		{"credentials in both", with(url.Values{"client_id": {"hubauth-cli"}}), []string{"hubauth-cli", ""}, 400, "invalid_request", "", false},
		{"another grant", with(url.Values{"grant_type": {"client_credentials"}}), nil, 400, "unsupported_grant_type", "", false},
		{"wrong password", with(url.Values{"password": {"nope"}}), nil, 401, "invalid_grant", "", false},
		{"unknown scope", with(url.Values{"scope": {"root"}}), nil, 400, "invalid_scope", "", false},
		{"NOMAD's form", url.Values{"username": {demoUser}, "password": {demoPassword}}, nil, 200, "bearer", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, h.URL+"/api/v1/auth/token", strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.basic != nil {
				req.SetBasicAuth(url.QueryEscape(tt.basic[0]), url.QueryEscape(tt.basic[1]))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			status, body, hdr := decode(t, resp)
			if status != tt.status {
				t.Fatalf("%d %v, want %d", status, body, tt.status)
			}
			if status != 200 {
				if body["error"] != tt.code || (hdr.Get("WWW-Authenticate") != "") != tt.challenged {
					t.Errorf("%v (WWW-Authenticate %q), want %s", body, hdr.Get("WWW-Authenticate"), tt.code)
				}
				return
			}
			_, hasScope := body["scope"]
			if body["token_type"] != tt.code || (tt.wantScope != "" && body["scope"] != tt.wantScope) || hasScope != (tt.wantScope != "") {
				t.Errorf("answer %v, want token_type %s and scope %q", body, tt.code, tt.wantScope)
			}
			if tt.wantScope != "" && (hdr.Get("Pragma") != "no-cache" || hdr.Get("Cache-Control") != "no-store" || body["refresh_token"] == nil) {
				t.Errorf("RFC 6749 §5.1 answer: headers %v, body %v", hdr, body)
			}
			if got := h.meStatus(t, body["access_token"].(string)); got != 200 {
				t.Errorf("the access token at /users/me: %d", got)
			}
		})
	}
}
