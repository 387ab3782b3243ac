package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// A username that is not UTF-8 is the client's mistake: 400 at the
// password endpoint and on the login page, on SQLite and on PostgreSQL
// (which refuses such text, a 500 before).
func TestInvalidUTF8UsernameIs400(t *testing.T) {
	for name, start := range utf8Backends {
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

// utf8Backends start a hub on each backend: PostgreSQL refuses text that is
// not UTF-8, SQLite stores it.
var utf8Backends = map[string]func(t *testing.T) *hub{
	"sqlite": func(t *testing.T) *hub { return newHub(t) },
	"postgres": func(t *testing.T) *hub {
		return &hub{hubtest.New(t, hubtest.WithStore(openPG(t, pgSchema(t))))}
	},
}

// Text the hub keeps from a request without refusing it (the browser's
// User-Agent on its session) is cut on a character boundary and made UTF-8,
// so a login with a strange browser works on PostgreSQL too (a 500 before).
func TestLoginWithInvalidUTF8UserAgent(t *testing.T) {
	for name, start := range utf8Backends {
		t.Run(name, func(t *testing.T) {
			h := start(t)
			h.AddUser(t, "grace", "a long enough password")
			b := h.newBrowser(t)
			form := url.Values{"username": {"grace"}, "password": {"a long enough password"}}
			for _, ua := range []string{"Mozilla\xff\xfe", strings.Repeat("é", 200)} {
				req, _ := http.NewRequest(http.MethodPost, h.URL+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				req.Header.Set("User-Agent", ua)
				if p := b.do(req); p.Status != http.StatusOK || !strings.Contains(p.Body, "grace") {
					t.Errorf("login with User-Agent %q: %d, want the signed-in page\n%.300s", ua, p.Status, p.Body)
				}
			}
		})
	}
}

// Request text that is not UTF-8 and is only looked up (a client_id, a
// username to find, an id in a path) finds nothing, on PostgreSQL as on
// SQLite: 401 invalid_client, an empty list, 404 — never a 500.
func TestLookupsByInvalidUTF8FindNothing(t *testing.T) {
	for name, start := range utf8Backends {
		t.Run(name, func(t *testing.T) {
			h := start(t)
			h.AddUser(t, "grace", "a long enough password")
			_, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {"grace"}, "password": {"a long enough password"}})
			access, _ := body["access_token"].(string)
			forms := []struct {
				path string
				form url.Values
			}{
				{"/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {"\xff"}}},
				{"/oauth/revoke", url.Values{"token": {"x"}, "client_id": {"cli\xc3"}}},
				{"/api/v1/auth/token", url.Values{"username": {"grace"}, "password": {"a long enough password"}, "client_id": {"\xff"}}},
			}
			for _, f := range forms {
				if status, body, _ := h.postForm(t, f.path, f.form); status != http.StatusUnauthorized || body["error"] != "invalid_client" {
					t.Errorf("%s with client_id %q: %d %v, want 401 invalid_client", f.path, f.form.Get("client_id"), status, body)
				}
			}
			if status, body, _ := h.send(t, "GET", "/api/v1/users?username=%ff&id=%c3", access, ""); status != http.StatusOK || len(body["data"].([]any)) != 0 {
				t.Errorf("users by a username that is not UTF-8: %d %v, want 200 and none", status, body)
			}
			for _, path := range []string{"/api/v1/tokens/%ff", "/api/v1/sessions/%ff"} {
				if status, body, _ := h.send(t, "DELETE", path, access, ""); status != http.StatusNotFound {
					t.Errorf("DELETE %s: %d %v, want 404", path, status, body)
				}
			}
		})
	}
}
