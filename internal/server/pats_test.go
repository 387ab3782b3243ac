package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server"
)

// newPAT creates a PAT through NOMAD's API and returns its body's pat and
// raw_token.
func (h *hub) newPAT(t *testing.T, token, body string) (map[string]any, string) {
	t.Helper()
	status, out, _ := h.send(t, "POST", "/api/v1/auth/pats", token, body)
	pat, _ := out["pat"].(map[string]any)
	raw, _ := out["raw_token"].(string)
	if status != http.StatusCreated || pat == nil || raw == "" {
		t.Fatalf("create PAT %s: %d %v", body, status, out)
	}
	return pat, raw
}

// meStatus is the status of /api/v1/users/me with token.
func (h *hub) meStatus(t *testing.T, token string) int {
	t.Helper()
	status, _, _ := h.getJSON(t, "/api/v1/users/me", token)
	return status
}

// TestPATLifecycle follows NOMAD's PAT workflow through a real hub:
// create, use, read, rotate (the old secret refused at once), revoke, and
// the same token seen by the hub's own API and by introspection.
func TestPATLifecycle(t *testing.T) {
	h := newHub(t)
	h.AddScope(t, "uploads:read", "read your uploads")
	sec := h.AddClient(t, resourceClient)
	access := h.passwordToken(t)
	pat, raw := h.newPAT(t, access, `{"metadata": {"name": "notebook", "scopes": ["uploads:read"], "description": "analysis"}, "expires_in_days": 7}`)
	if !strings.HasPrefix(raw, "hubauth_pat_") || pat["name"] != "notebook" || pat["description"] != "analysis" || pat["revoked"] != false ||
		pat["last_used_at"] != nil || stringOf(map[string]any{"s": pat["scopes"]}) != `{"s":["uploads:read"]}` {
		t.Fatalf("created pat = %v", pat)
	}
	id := pat["id"].(string)
	if lifetime(t, pat) != 7*24*time.Hour {
		t.Errorf("lifetime %v, want 7 days", lifetime(t, pat))
	}
	if got := h.meStatus(t, raw); got != 200 {
		t.Fatalf("/users/me with the PAT: %d", got)
	}
	if got := h.introspect(t, sec, raw); got["active"] != true || got["scope"] != "uploads:read" {
		t.Errorf("introspection of the PAT: %v, want active", got)
	}
	_, got, _ := h.getJSON(t, "/api/v1/auth/pats/"+id, access)
	if got["id"] != id || got["last_used_at"] == nil || got["raw_token"] != nil {
		t.Errorf("GET pat = %v, want it used, without its secret", got)
	}
	_, listed, _ := h.getJSON(t, "/api/v1/tokens", access)
	if s := stringOf(listed); !strings.Contains(s, `"id":"`+id+`"`) || !strings.Contains(s, `"description":"analysis"`) {
		t.Errorf("/api/v1/tokens = %s, want the PAT", s)
	}

	status, rotated, _ := h.send(t, "POST", "/api/v1/auth/pats/"+id+"/rotate", access, "")
	newRaw, _ := rotated["raw_token"].(string)
	newPat, _ := rotated["pat"].(map[string]any)
	if status != 200 || newRaw == "" || newRaw == raw || newPat["id"] != id || newPat["name"] != "notebook" || lifetime(t, newPat) != 7*24*time.Hour {
		t.Fatalf("rotate: %d %v", status, rotated)
	}
	if got := h.meStatus(t, raw); got != 401 {
		t.Errorf("the old secret after rotation: %d, want 401", got)
	}
	if got := h.introspect(t, sec, raw); got["active"] != false {
		t.Errorf("introspection of the old secret: %v, want inactive", got)
	}
	if got := h.meStatus(t, newRaw); got != 200 {
		t.Errorf("the new secret: %d, want 200", got)
	}

	if status, _, _ := h.send(t, "DELETE", "/api/v1/auth/pats/"+id, access, ""); status != 204 {
		t.Fatalf("revoke: %d, want 204", status)
	}
	if got := h.meStatus(t, newRaw); got != 401 {
		t.Errorf("a revoked PAT: %d, want 401", got)
	}
	if got := h.introspect(t, sec, newRaw); got["active"] != false {
		t.Errorf("introspection of a revoked PAT: %v, want inactive", got)
	}
	_, got, _ = h.getJSON(t, "/api/v1/auth/pats/"+id, access)
	if got["revoked"] != true {
		t.Errorf("GET a revoked pat = %v, want revoked: true", got)
	}
	_, listed, _ = h.getJSON(t, "/api/v1/tokens", access)
	if s := stringOf(listed); strings.Contains(s, id) {
		t.Errorf("/api/v1/tokens lists the revoked token: %s", s)
	}
	if status, _, _ := h.send(t, "DELETE", "/api/v1/auth/pats/"+id, access, ""); status != 204 {
		t.Errorf("revoking again: %d, want 204 as NOMAD answers", status)
	}
	if status, body, _ := h.send(t, "POST", "/api/v1/auth/pats/"+id+"/rotate", access, ""); status != 409 || body["detail"] == nil {
		t.Errorf("rotating a revoked PAT: %d %v, want 409 with detail", status, body)
	}
}

// lifetime is a pat's expired_at minus its created_at.
func lifetime(t *testing.T, pat map[string]any) time.Duration {
	t.Helper()
	created, err1 := time.Parse(time.RFC3339Nano, fmt.Sprint(pat["created_at"]))
	expired, err2 := time.Parse(time.RFC3339Nano, fmt.Sprint(pat["expired_at"]))
	if err1 != nil || err2 != nil {
		t.Fatalf("pat times: %v", pat)
	}
	return expired.Sub(created)
}

// TestPATBadInput: each refused request answers its status in NOMAD's
// (FastAPI's) shape: {"detail": "…"}, or a 422's {"detail": [{loc, msg}]}.
func TestPATBadInput(t *testing.T) {
	h := newHub(t)
	h.AddScope(t, "uploads:read", "read your uploads")
	access := h.passwordToken(t)
	pat, raw := h.newPAT(t, access, `{"metadata": {"name": "taken", "scopes": ["uploads:read"]}}`)
	id := pat["id"].(string)
	h.AddUser(t, "bob", demoPassword)
	bobPat, _ := h.newPAT(t, h.userToken(t, "bob"), `{"metadata": {"name": "bobs", "scopes": ["uploads:read"]}}`)
	bobs := bobPat["id"].(string)
	create := func(metadata, days string) string {
		return `{"metadata": ` + metadata + `, "expires_in_days": ` + days + `}`
	}
	tests := []struct {
		name, method, path, token, body string
		status                          int
		loc                             string // a 422's loc, joined by "."
		msg                             string // in the detail
	}{
		{"malformed JSON", "POST", "", access, `{"metadata": {`, 400, "", "not valid JSON"},
		{"no metadata", "POST", "", access, `{"expires_in_days": 3}`, 422, "body.metadata", "Field required"},
		{"no name", "POST", "", access, create(`{"scopes": ["uploads:read"]}`, "3"), 422, "body.metadata.name", "Field required"},
		{"name of the wrong type", "POST", "", access, create(`{"name": 5, "scopes": ["uploads:read"]}`, "3"), 422, "body.metadata.name", "string"},
		{"name too long", "POST", "", access, create(`{"name": "`+strings.Repeat("n", 65)+`", "scopes": ["uploads:read"]}`, "3"), 422, "body.metadata.name", "64 characters"},
		{"control characters in the name", "POST", "", access, create(`{"name": "a\u001b[2Jb", "scopes": ["uploads:read"]}`, "3"), 422, "body.metadata.name", "control characters"},
		{"control characters in the description", "POST", "", access, create(`{"name": "d", "scopes": ["uploads:read"], "description": "a\u0007"}`, "3"), 422, "body.metadata.description", "control characters"},
		{"no scopes field", "POST", "", access, create(`{"name": "x"}`, "3"), 422, "body.metadata.scopes", "Field required"},
		{"no scope", "POST", "", access, create(`{"name": "x", "scopes": []}`, "3"), 422, "body.metadata.scopes", "At least one scope"},
		{"unknown scope", "POST", "", access, create(`{"name": "x", "scopes": ["root"]}`, "3"), 422, "body.metadata.scopes", "valid scopes: openid"},
		{"zero days", "POST", "", access, create(`{"name": "x", "scopes": ["uploads:read"]}`, "0"), 422, "body.expires_in_days", "already expired"},
		{"negative days", "POST", "", access, create(`{"name": "x", "scopes": ["uploads:read"]}`, "-2"), 422, "body.expires_in_days", "already expired"},
		{"over the maximum", "POST", "", access, create(`{"name": "x", "scopes": ["uploads:read"]}`, "31"), 422, "body.expires_in_days", "maximum allowed (30 days)"},
		{"no expiry, not allowed", "POST", "", access, create(`{"name": "x", "scopes": ["uploads:read"]}`, "null"), 422, "body.expires_in_days", "Max lifetime is 30 days"},
		{"days not a number", "POST", "", access, create(`{"name": "x", "scopes": ["uploads:read"]}`, `"soon"`), 422, "body.expires_in_days", "valid integer"},
		{"duplicate name", "POST", "", access, create(`{"name": "taken", "scopes": ["uploads:read"]}`, "3"), 409, "", "already have a token named"},
		{"created with a personal token", "POST", "", raw, create(`{"name": "x", "scopes": ["uploads:read"]}`, "3"), 403, "", ""},
		{"no token", "POST", "", "", create(`{"name": "x", "scopes": ["uploads:read"]}`, "3"), 401, "", ""},
		{"page_size over the maximum", "GET", "?page_size=1001", access, "", 422, "query.page_size", "less than or equal to 1000"},
		{"unknown state", "GET", "?state=dormant", access, "", 422, "query.state", "'active', 'inactive', 'revoked' or 'expired'"},
		{"unknown order_by", "GET", "?order_by=age", access, "", 422, "query.order_by", "'created_asc', 'created_desc'"},
		{"page out of range", "GET", "?page=3", access, "", 400, "", "Page out of range"},
		{"two positions", "GET", "?page=1&page_offset=0", access, "", 422, "query", "Can only specify one"},
		{"unknown id", "GET", "/nope", access, "", 404, "", "Token not found"},
		{"someone else's id", "GET", "/" + bobs, access, "", 404, "", "Token not found"},
		{"revoking someone else's", "DELETE", "/" + bobs, access, "", 404, "", "Token not found"},
		{"revoking an unknown id", "DELETE", "/nope", access, "", 404, "", "Token not found"},
		{"rotating someone else's", "POST", "/" + bobs + "/rotate", access, "", 404, "", "Token not found"},
		{"rotated with a personal token", "POST", "/" + id + "/rotate", raw, "", 403, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := h.send(t, tt.method, "/api/v1/auth/pats"+tt.path, tt.token, tt.body)
			if status != tt.status {
				t.Fatalf("%d %v, want %d", status, body, tt.status)
			}
			if status == 401 {
				return
			}
			loc, msg := detailOf(t, body)
			if loc != tt.loc || !strings.Contains(msg, tt.msg) {
				t.Errorf("detail at %q: %q, want at %q saying %q", loc, msg, tt.loc, tt.msg)
			}
		})
	}
	if all, _ := h.Store.ListAllPersonalTokens(t.Context(), h.Users[demoUser]); len(all) != 1 {
		t.Errorf("ada's tokens after the refusals: %d, want 1", len(all))
	}
}

// detailOf reads a FastAPI error body: a 422's first loc (joined by ".")
// and msg, or the detail message.
func detailOf(t *testing.T, body map[string]any) (string, string) {
	t.Helper()
	switch d := body["detail"].(type) {
	case string:
		return "", d
	case []any:
		first, _ := d[0].(map[string]any)
		var loc []string
		for _, l := range first["loc"].([]any) {
			loc = append(loc, fmt.Sprint(l))
		}
		return strings.Join(loc, "."), fmt.Sprint(first["msg"])
	}
	t.Fatalf("body %v has no detail", body)
	return "", ""
}

// TestPATNoExpiry: expires_in_days null makes a token that never expires
// where the operator allows it; rotation keeps it so.
func TestPATNoExpiry(t *testing.T) {
	h := newHub(t, func(c *server.Config) { c.AppTokenNoExpiry = true })
	access := h.passwordToken(t)
	pat, _ := h.newPAT(t, access, `{"metadata": {"name": "forever", "scopes": ["openid"]}, "expires_in_days": null}`)
	if pat["expired_at"] != nil {
		t.Fatalf("pat = %v, want no expiry", pat)
	}
	_, rotated, _ := h.send(t, "POST", "/api/v1/auth/pats/"+pat["id"].(string)+"/rotate", access, "")
	if p, _ := rotated["pat"].(map[string]any); p == nil || p["expired_at"] != nil {
		t.Errorf("rotated = %v, want still no expiry", rotated)
	}
}

// TestPATRotateExpired: an expired PAT cannot be rotated (409); it is
// listed as expired until collected.
func TestPATRotateExpired(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	pat, _ := h.newPAT(t, access, `{"metadata": {"name": "short", "scopes": ["openid"]}, "expires_in_days": 1}`)
	h.Clock.Advance(25 * time.Hour)
	if status, body, _ := h.send(t, "POST", "/api/v1/auth/pats/"+pat["id"].(string)+"/rotate", access, ""); status != 409 || body["detail"] != "Cannot rotate an expired/revoked token." {
		t.Errorf("rotating an expired PAT: %d %v, want 409", status, body)
	}
	_, list, _ := h.getJSON(t, "/api/v1/auth/pats?state=expired", access)
	if data, _ := list["data"].([]any); len(data) != 1 {
		t.Errorf("state=expired: %v, want the token", list)
	}
}

// TestPATList: search, state, order and NOMAD's pagination.
func TestPATList(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	for _, name := range []string{"beta", "alpha", "gamma-ci", "delta-CI"} {
		h.newPAT(t, access, `{"metadata": {"name": "`+name+`", "scopes": ["openid"]}}`)
		h.Clock.Advance(time.Second)
	}
	_, all, _ := h.getJSON(t, "/api/v1/auth/pats?order_by=name_asc", access)
	var gammaID string
	for _, d := range all["data"].([]any) {
		if p := d.(map[string]any); p["name"] == "gamma-ci" {
			gammaID = p["id"].(string)
		}
	}
	if status, _, _ := h.send(t, "DELETE", "/api/v1/auth/pats/"+gammaID, access, ""); status != 204 {
		t.Fatalf("revoke: %d", status)
	}
	tests := []struct {
		query string
		names string
		total float64
	}{
		{"", "delta-CI gamma-ci alpha beta", 4}, // newest first
		{"order_by=name_asc", "alpha beta delta-CI gamma-ci", 4},
		{"order_by=created_asc", "beta alpha gamma-ci delta-CI", 4},
		{"search=ci", "delta-CI gamma-ci", 2},
		{"state=active", "delta-CI alpha beta", 3},
		{"state=revoked", "gamma-ci", 1},
		{"state=inactive", "gamma-ci", 1},
		{"state=expired", "", 0},
		{"revoked=false&order_by=name_desc", "delta-CI beta alpha", 3},
		{"order_by=name_asc&page_size=3&page=2", "gamma-ci", 4},
		{"order_by=name_asc&page_size=2&page_after_value=1", "delta-CI gamma-ci", 4},
		{"page_size=0", "", 4},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body, _ := h.getJSON(t, "/api/v1/auth/pats?"+tt.query, access)
			var names []string
			for _, d := range body["data"].([]any) {
				names = append(names, d.(map[string]any)["name"].(string))
			}
			page, _ := body["pagination"].(map[string]any)
			if status != 200 || strings.Join(names, " ") != tt.names || page["total"] != tt.total || body["query"] == nil {
				t.Errorf("%d %v (%v), want %q of %v", status, names, page, tt.names, tt.total)
			}
		})
	}
	_, body, _ := h.getJSON(t, "/api/v1/auth/pats?order_by=name_asc&page_size=2", access)
	page := body["pagination"].(map[string]any)
	if page["page"] != 1.0 || page["next_page_after_value"] != "1" || page["next_page_url"] != h.URL+"/api/v1/auth/pats?order_by=name_asc&page_after_value=1&page_size=2" ||
		page["prev_page_url"] != nil || page["order_by"] != "name_asc" {
		t.Errorf("pagination = %v", page)
	}
}
