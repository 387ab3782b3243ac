package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/account"
)

// A user with account.MaxActiveTokens active personal tokens gets a 409
// naming the limit from every creating endpoint, in its own shape.
func TestPersonalTokenCap(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	for i := range account.MaxActiveTokens {
		hubtest.StorePersonalToken(t, h.Store, h.Users[demoUser], "t"+strconv.Itoa(i), []string{"openid"}, time.Hour, h.Clock.Now())
	}
	want := strconv.Itoa(account.MaxActiveTokens) + " active personal tokens"
	status, body, _ := h.send(t, "POST", "/api/v1/auth/pats", access, `{"metadata": {"name": "x", "scopes": ["openid"]}}`)
	if _, msg := detailOf(t, body); status != http.StatusConflict || !strings.Contains(msg, want) {
		t.Errorf("PAT API: %d %v, want 409 {detail} naming the limit", status, body)
	}
	status, body, _ = h.send(t, "POST", "/api/v1/tokens", access, `{"name":"x","expires_in":60}`)
	if desc, _ := body["error_description"].(string); status != http.StatusConflict || body["error"] != "conflict" || !strings.Contains(desc, want) {
		t.Errorf("/api/v1/tokens: %d %v, want 409 conflict naming the limit", status, body)
	}
	status, body, _ = h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", access)
	if status != http.StatusConflict || body["error"] != "conflict" {
		t.Errorf("app_token: %d %v, want 409 conflict", status, body)
	}
	b, _ := h.accountBrowser(t)
	if p := b.post("/account/tokens", newTokenForm("x", "86400", "groups")); p.Status != http.StatusConflict || !strings.Contains(p.Body, want) {
		t.Errorf("account page: %d, want 409 naming the limit", p.Status)
	}
}
