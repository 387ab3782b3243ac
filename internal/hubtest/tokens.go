package hubtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// PasswordLogin logs username in with NOMAD's password endpoint and returns
// its JSON answer (access_token, refresh_token …); scope "" takes the
// hub's default scopes. Anything but a 200 fails the test.
func (h *Hub) PasswordLogin(t testing.TB, username, pw, scope string) map[string]any {
	t.Helper()
	form := url.Values{"username": {username}, "password": {pw}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return h.PostForm(t, "/api/v1/auth/token", form)
}

// AccessToken returns an access token of username from PasswordLogin.
func (h *Hub) AccessToken(t testing.TB, username, pw, scope string) string {
	t.Helper()
	return field(t, h.PasswordLogin(t, username, pw, scope), "access_token")
}

// PersonalToken returns a personal token valid one hour, made with an
// access token at NOMAD's app_token endpoint.
func (h *Hub) PersonalToken(t testing.TB, access string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.URL+"/api/v1/auth/app_token?expires_in=3600", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	return field(t, h.jsonOK(t, req), "app_token")
}

// field returns the string field key of a JSON answer, failing the test
// when it is missing or empty.
func field(t testing.TB, out map[string]any, key string) string {
	t.Helper()
	s, _ := out[key].(string)
	if s == "" {
		t.Fatalf("no %s in %v", key, out)
	}
	return s
}

// PostForm posts a form to the hub at path and returns the JSON answer;
// anything but a 200 fails the test.
func (h *Hub) PostForm(t testing.TB, path string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.jsonOK(t, req)
}

// jsonOK sends req and decodes its JSON answer, failing the test unless
// it is a 200.
func (h *Hub) jsonOK(t testing.TB, req *http.Request) map[string]any {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v %v", req.Method, req.URL.Path, resp.StatusCode, out, err)
	}
	return out
}
