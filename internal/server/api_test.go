package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

// send performs an API request with a bearer token and a JSON body.
func (h *hub) send(t *testing.T, method, path, token, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, h.URL+path, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func TestPersonalTokensAPI(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t) // hubauth-cli: first-party, full rights on the own account
	status, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":3600,"scopes":["groups:read"]}`)
	secretTok, _ := created["token"].(string)
	if status != http.StatusCreated || !strings.HasPrefix(secretTok, "hubauth_pat_") || created["id"] == nil {
		t.Fatalf("create: %d %v", status, created)
	}
	if status, _, _ := h.send(t, "GET", "/api/v1/groups", secretTok, ""); status != http.StatusOK {
		t.Fatalf("groups with the new token's own groups:read: %d", status)
	}
	_, listed, _ := h.send(t, "GET", "/api/v1/tokens", access, "")
	data, _ := listed["data"].([]any)
	if len(data) != 1 || strings.Contains(stringOf(listed), secretTok) {
		t.Fatalf("list: %v", listed)
	}
	tests := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"malformed json", "POST", "/api/v1/tokens", access, `{"name":`, 400},
		{"unknown field", "POST", "/api/v1/tokens", access, `{"name":"x","expires_in":60,"nope":1}`, 400},
		{"name too long", "POST", "/api/v1/tokens", access, `{"name":"` + strings.Repeat("n", 65) + `","expires_in":60}`, 422},
		{"no name", "POST", "/api/v1/tokens", access, `{"expires_in":60}`, 422},
		{"duplicate name", "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":60}`, 409},
		{"expiry over the maximum", "POST", "/api/v1/tokens", access, `{"name":"long","expires_in":2592001}`, 422},
		{"no expiry", "POST", "/api/v1/tokens", access, `{"name":"forever"}`, 422},
		{"unknown scope", "POST", "/api/v1/tokens", access, `{"name":"s","expires_in":60,"scopes":["root"]}`, 422},
		{"a personal token", "POST", "/api/v1/tokens", secretTok, `{"name":"y","expires_in":60}`, 403},
		{"a token-management scope", "POST", "/api/v1/tokens", access, `{"name":"y","expires_in":60,"scopes":["tokens:read"]}`, 422},
		{"unknown id", "DELETE", "/api/v1/tokens/nope", access, "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, hdr := h.send(t, tt.method, tt.path, tt.token, tt.body)
			if status != tt.want || body["error"] == nil {
				t.Fatalf("%d %v, want %d", status, body, tt.want)
			}
			if status == 403 && !strings.Contains(hdr.Get("WWW-Authenticate"), "insufficient_scope") && body["error"] == "insufficient_scope" {
				t.Fatalf("403 without the insufficient_scope challenge")
			}
		})
	}
	if _, body, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"long","expires_in":2592001}`); !strings.Contains(stringOf(body), "2592000") {
		t.Errorf("the 422 does not name the maximum: %v", body)
	}
	// Another user's token is 404, as if it did not exist.
	h.AddUser(t, "bob", demoPassword)
	bob := h.userToken(t, "bob")
	if status, _, _ := h.send(t, "DELETE", "/api/v1/tokens/"+created["id"].(string), bob, ""); status != 404 {
		t.Fatalf("bob revoking ada's token: %d, want 404", status)
	}
	if status, _, _ := h.send(t, "DELETE", "/api/v1/tokens/"+created["id"].(string), access, ""); status != 204 {
		t.Fatalf("revoke: %d, want 204", status)
	}
	if status, _, _ := h.getJSON(t, "/api/v1/users/me", secretTok); status != 401 {
		t.Fatalf("a revoked personal token still works: %d", status)
	}
}

func TestSessionsAPI(t *testing.T) {
	h := newHub(t)
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
	other := h.passwordToken(t)
	_, listed, _ := h.send(t, "GET", "/api/v1/sessions", tok.AccessToken, "")
	data, _ := listed["data"].([]any)
	if len(data) != 2 {
		t.Fatalf("sessions: %v, want the browser and the password login", listed)
	}
	var browserID string
	for _, d := range data {
		s := d.(map[string]any)
		if s["method"] == storage.MethodBrowser {
			browserID = s["id"].(string)
			if s["current"] != true || s["client_name"] != "hubauth CLI" {
				t.Errorf("browser session: %v", s)
			}
		}
	}
	h.AddUser(t, "bob", demoPassword)
	if status, _, _ := h.send(t, "DELETE", "/api/v1/sessions/"+browserID, h.userToken(t, "bob"), ""); status != 404 {
		t.Fatalf("bob revoking ada's session: %d, want 404", status)
	}
	if status, _, _ := h.send(t, "DELETE", "/api/v1/sessions/"+browserID, other, ""); status != 204 {
		t.Fatalf("revoke session: %d", status)
	}
	if _, e := refresh(t, h, tok.RefreshToken); e != "invalid_grant" {
		t.Fatalf("refresh after the session was revoked: %q", e)
	}
}

func TestUsersAndGroupsAPI(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	bobID := h.AddUser(t, "bob", demoPassword)
	h.AddUser(t, "eve", demoPassword)
	if err := h.Store.CreateGroup(ctx, storage.Group{Name: "nmr", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	ada, _ := h.Store.GetUserByUsername(ctx, demoUser)
	for _, id := range []string{ada.ID, bobID} {
		if err := h.Store.AddGroupMember(ctx, "nmr", id); err != nil {
			t.Fatal(err)
		}
	}
	access := h.passwordToken(t)
	_, users, _ := h.getJSON(t, "/api/v1/users?username=bob&id="+ada.ID+"&username=nobody", access)
	if got := stringOf(users); !strings.Contains(got, `"username":"bob"`) || strings.Contains(got, "bob@example.org") || !strings.Contains(got, "ada@example.org") {
		t.Fatalf("users lookup (email only for oneself): %s", got)
	}
	_, groups, _ := h.getJSON(t, "/api/v1/groups", access)
	if stringOf(groups) != `{"data":[{"name":"nmr"}]}` {
		t.Fatalf("groups: %s", stringOf(groups))
	}
	if _, members, _ := h.getJSON(t, "/api/v1/groups/nmr/members", access); !strings.Contains(stringOf(members), `"username":"bob"`) {
		t.Fatalf("members: %v", members)
	}
	if status, _, _ := h.getJSON(t, "/api/v1/groups/nmr/members", h.userToken(t, "eve")); status != 404 {
		t.Fatalf("a non-member sees the group: %d, want 404", status)
	}
	if status, _, _ := h.getJSON(t, "/api/v1/users", access); status != 422 {
		t.Fatalf("users without parameters: %d, want 422", status)
	}
}

// userToken logs a user in through the NOMAD endpoint.
func (h *hub) userToken(t *testing.T, username string) string {
	t.Helper()
	status, body, _ := h.postForm(t, "/api/v1/auth/token", map[string][]string{"username": {username}, "password": {demoPassword}})
	tok, _ := body["access_token"].(string)
	if status != 200 {
		t.Fatalf("login %s: %d %v", username, status, body)
	}
	return tok
}

func stringOf(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// token_name labels the session each login starts (hubauth login
// --token-name; DVC Studio's token_name), whatever the flow.
func TestSessionNamesFromEveryFlow(t *testing.T) {
	h := newHub(t)
	cfg := h.cliConfig()
	b := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "n", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("token_name", "laptop"))
	if _, err := cfg.Exchange(context.Background(), codeFrom(t, b.login(p, demoUser, demoPassword), "n"), oauth2.VerifierOption(verifier)); err != nil {
		t.Fatal(err)
	}
	da, err := cfg.DeviceAuth(context.Background(), oauth2.SetAuthURLParam("token_name", "cluster node 7"))
	if err != nil {
		t.Fatal(err)
	}
	h.newBrowser(t).approveDevice(da.UserCode, "approve")
	h.Clock.Advance(6 * time.Second)
	if _, err := cfg.DeviceAccessToken(context.Background(), da); err != nil {
		t.Fatal(err)
	}
	_, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}, "token_name": {"notebook"}})
	_, listed, _ := h.send(t, "GET", "/api/v1/sessions", body["access_token"].(string), "")
	names := map[string]bool{}
	for _, d := range listed["data"].([]any) {
		s := d.(map[string]any)
		names[s["method"].(string)+":"+fmt.Sprint(s["name"])] = true
	}
	for _, want := range []string{"browser:laptop", "device:cluster node 7", "password:notebook"} {
		if !names[want] {
			t.Errorf("no session %q in %v", want, names)
		}
	}
}

// Tokens that never expire exist only where the operator allows them
// (serve --app-token-no-expiry): expires_in 0 in the API, "never" on the
// account page. An absent expires_in is refused either way.
func TestPersonalTokenWithoutExpiry(t *testing.T) {
	for _, allowed := range []bool{false, true} {
		t.Run(fmt.Sprintf("allowed=%v", allowed), func(t *testing.T) {
			h := newHub(t, func(c *server.Config) { c.AppTokenNoExpiry = allowed })
			access := h.passwordToken(t)
			status, body, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"forever","expires_in":0}`)
			switch {
			case allowed && (status != http.StatusCreated || body["expires_at"] != nil):
				t.Errorf("expires_in 0: %d %v, want 201 with expires_at null", status, body)
			case !allowed && (status != http.StatusUnprocessableEntity || strings.Contains(stringOf(body), "never")):
				t.Errorf("expires_in 0: %d %v, want 422 naming only the maximum", status, body)
			}
			status, body, _ = h.send(t, "POST", "/api/v1/tokens", access, `{"name":"unsaid"}`)
			if status != http.StatusUnprocessableEntity || strings.Contains(stringOf(body), "or 0 for a token that never expires") != allowed {
				t.Errorf("no expires_in: %d %v", status, body)
			}
			_, p := h.accountBrowser(t)
			if strings.Contains(p.Body, `<option value="0">never</option>`) != allowed {
				t.Errorf("the account page offers never: %v, want %v", !allowed, allowed)
			}
		})
	}
}
