package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A body over an endpoint's limit is 413, not taken for bad JSON or a bad
// form.
func TestBodyTooLarge(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	big := strings.Repeat("x", 17<<10)
	t.Run("PAT creation", func(t *testing.T) {
		status, body, _ := h.send(t, "POST", "/api/v1/auth/pats", access, `{"metadata": {"name": "`+big+`", "scopes": ["openid"]}}`)
		if _, msg := detailOf(t, body); status != http.StatusRequestEntityTooLarge || !strings.Contains(msg, "16 KiB") {
			t.Errorf("%d %v, want 413 {detail} naming the limit", status, body)
		}
	})
	t.Run("password endpoint, JSON", func(t *testing.T) {
		status, body, _ := h.send(t, "POST", "/api/v1/auth/token", "", `{"username": "`+big+`", "password": "x"}`)
		if status != http.StatusRequestEntityTooLarge || body["error"] != "invalid_request" {
			t.Errorf("%d %v, want 413 invalid_request", status, body)
		}
	})
	t.Run("password endpoint, form", func(t *testing.T) {
		status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {big}, "password": {"x"}})
		if status != http.StatusRequestEntityTooLarge || body["error"] != "invalid_request" {
			t.Errorf("%d %v, want 413 invalid_request", status, body)
		}
	})
}
