package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// NOMAD's PAT routes answer a missing or bad token as FastAPI does,
// {"detail": "..."}, with the RFC 6750 challenge kept.
func TestPATUnauthorizedDetail(t *testing.T) {
	h := newHub(t)
	for _, tc := range []struct{ name, method, path, token string }{
		{"no token, list", "GET", "", ""},
		{"no token, create", "POST", "", ""},
		{"bad token, get", "GET", "/some-id", "hubauth_pat_nope"},
		{"bad token, rotate", "POST", "/some-id/rotate", "not-a-token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := h.send(t, tc.method, "/api/v1/auth/pats"+tc.path, tc.token, `{}`)
			d, _ := body["detail"].(string)
			if status != http.StatusUnauthorized || d == "" || body["error"] != nil || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer ") {
				t.Errorf("%d %v (WWW-Authenticate %q), want 401 {detail} with a Bearer challenge", status, body, hdr.Get("WWW-Authenticate"))
			}
		})
	}
}

// A method a PAT route does not take is 405 with Allow, as NOMAD's
// FastAPI answers, not 404.
func TestPATWrongMethod(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	for _, tc := range []struct{ method, path, allow string }{
		{"PUT", "/api/v1/auth/pats", "GET, HEAD, POST"},
		{"PATCH", "/api/v1/auth/pats/some-id", "DELETE, GET, HEAD"},
		{"GET", "/api/v1/auth/pats/some-id/rotate", "POST"},
		{"PUT", "/api/v1/tokens", "GET, HEAD, POST"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, body, hdr := h.send(t, tc.method, tc.path, access, "")
			if status != http.StatusMethodNotAllowed || hdr.Get("Allow") != tc.allow {
				t.Errorf("%d %v, Allow %q; want 405 with Allow %q", status, body, hdr.Get("Allow"), tc.allow)
			}
		})
	}
	for _, m := range []string{"GET", "PUT"} {
		if status, _, hdr := h.send(t, m, "/api/v1/nope", access, ""); status != http.StatusNotFound || hdr.Get("Allow") != "" {
			t.Errorf("%s of an unknown path: %d (Allow %q), want 404", m, status, hdr.Get("Allow"))
		}
	}
}
