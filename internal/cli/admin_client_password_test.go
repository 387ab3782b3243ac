package cli

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// A confidential client registered with the password grant logs users in
// at the password endpoint with its secret in a Basic header (RFC 6749
// §4.3.2, §2.3.1); without the secret, or with a wrong one, it may not.
func TestClientAddConfidentialPassword(t *testing.T) {
	h := newTestHub(t)
	r := h.run("", "admin", "client", "add", "notebook", "--name", "Notebook", "--grant", "password")
	if r.code != ExitOK {
		t.Fatalf("client add --grant password: exit %d, %s", r.code, r.stderr)
	}
	sec := strings.TrimSpace(r.stdout)
	hub := hubtest.New(t, hubtest.WithStore(h.store()), hubtest.WithUser(demoUser, demoPassword))
	login := func(user, pass string) (int, map[string]any) {
		t.Helper()
		form := url.Values{"grant_type": {"password"}, "username": {demoUser}, "password": {demoPassword}, "scope": {"openid"}}
		req, _ := http.NewRequest(http.MethodPost, hub.URL+"/api/v1/auth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if status, body := login("notebook", sec); status != http.StatusOK || body["access_token"] == nil || body["token_type"] != "Bearer" {
		t.Errorf("password grant with the client's secret: %d %v, want 200 with a token", status, body)
	}
	if status, body := login("notebook", "wrong"); status != http.StatusUnauthorized || body["error"] != "invalid_client" {
		t.Errorf("with a wrong secret: %d %v, want 401 invalid_client", status, body)
	}
}
