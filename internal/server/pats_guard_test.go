package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// A PAT never manages PATs (NOMAD's rule): each route of NOMAD's PAT API,
// reads included, refuses a personal token, even one carrying every token
// scope (as a token stored before the rule could).
func TestPATManagesNoPATs(t *testing.T) {
	h := newHub(t)
	h.AddScope(t, "uploads:read", "read your uploads")
	access := h.passwordToken(t)
	pat, raw := h.newPAT(t, access, `{"metadata": {"name": "notebook", "scopes": ["uploads:read"]}}`)
	id := pat["id"].(string)
	all, _ := hubtest.StorePersonalToken(t, h.Store, h.Users[demoUser], "stored before the rule",
		[]string{"tokens:read", "tokens:write", "tokens:create", "tokens:delete"}, time.Hour, h.Clock.Now())
	for _, e := range []struct{ method, path, body string }{
		{"POST", "", `{"metadata": {"name": "x", "scopes": ["uploads:read"]}}`},
		{"GET", "", ""},
		{"GET", "/" + id, ""},
		{"DELETE", "/" + id, ""},
		{"POST", "/" + id + "/rotate", ""},
	} {
		t.Run(e.method+" "+e.path, func(t *testing.T) {
			for _, token := range []string{raw, all} {
				status, body, _ := h.send(t, e.method, "/api/v1/auth/pats"+e.path, token, e.body)
				if _, msg := detailOf(t, body); status != http.StatusForbidden || !strings.Contains(msg, "not allowed to operate on PATs") {
					t.Errorf("%d %v, want 403 saying PATs may not operate on PATs", status, body)
				}
			}
		})
	}
	if got := h.meStatus(t, raw); got != http.StatusOK {
		t.Errorf("the PAT after its own refused revocation: %d, want still valid", got)
	}
}

// Creating a PAT with a token-management scope is NOMAD's 422 on
// metadata.scopes.
func TestPATManagementScopesRefused(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	for _, sc := range []string{"tokens:read", "tokens:write", "tokens:create", "tokens:delete"} {
		t.Run(sc, func(t *testing.T) {
			status, body, _ := h.send(t, "POST", "/api/v1/auth/pats", access, `{"metadata": {"name": "x", "scopes": ["`+sc+`"]}}`)
			loc, msg := detailOf(t, body)
			if status != http.StatusUnprocessableEntity || loc != "body.metadata.scopes" || msg != "Personal access tokens are not allowed to operate on PATs." {
				t.Errorf("%d %v, want NOMAD's 422 at body.metadata.scopes", status, body)
			}
		})
	}
}

// app_token drops the token-management scopes of the caller's token, as
// NOMAD drops tokens:*: the app token cannot manage tokens.
func TestAppTokenDropsManagementScopes(t *testing.T) {
	h := newHub(t)
	status, body, _ := h.postForm(t, "/api/v1/auth/token", passwordForm("openid tokens:read tokens:write"))
	access, _ := body["access_token"].(string)
	if status != http.StatusOK {
		t.Fatalf("login with tokens:write: %d %v", status, body)
	}
	status, body, _ = h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", access)
	if status != http.StatusOK {
		t.Fatalf("app_token: %d %v", status, body)
	}
	_, listed, _ := h.getJSON(t, "/api/v1/tokens", access)
	if got := stringOf(listed); strings.Contains(got, "tokens:") || !strings.Contains(got, "openid") {
		t.Errorf("the app token's scopes: %s, want openid without tokens:*", got)
	}
}
