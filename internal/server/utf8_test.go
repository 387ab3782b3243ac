package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A username that is not UTF-8 is the client's mistake: 400 at the
// password endpoint and on the login page, on SQLite and on PostgreSQL
// (which refuses such text, a 500 before).
func TestInvalidUTF8UsernameIs400(t *testing.T) {
	backends := map[string]func(t *testing.T) *hub{
		"sqlite": func(t *testing.T) *hub { return newHub(t) },
		"postgres": func(t *testing.T) *hub {
			return startHub(t, openPG(t, pgSchema(t)), httptest.NewUnstartedServer(nil), "")
		},
	}
	for name, start := range backends {
		t.Run(name, func(t *testing.T) {
			h := start(t)
			for _, username := range []string{"\xff\xfe", "ada\xc3", "\xed\xa0\x80"} {
				form := url.Values{"username": {username}, "password": {"secret"}}
				status, body, _ := h.postForm(t, "/api/v1/auth/token", form)
				if status != http.StatusBadRequest || body["error"] != "invalid_request" {
					t.Errorf("password endpoint, username %q: %d %v, want 400 invalid_request", username, status, body)
				}
				p := h.newBrowser(t).post("/login", form)
				if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "not valid text") {
					t.Errorf("login page, username %q: %d, want 400 with the login form saying why\n%s", username, p.Status, p.Body)
				}
			}
		})
	}
}
