package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestTokensRotateAPI: POST /api/v1/tokens/{id}/rotate answers the new
// secret as a creation does; the old one is refused at once.
func TestTokensRotateAPI(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	_, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":3600,"scopes":["tokens:read"]}`)
	id, old := created["id"].(string), created["token"].(string)
	status, rotated, _ := h.send(t, "POST", "/api/v1/tokens/"+id+"/rotate", access, "")
	fresh, _ := rotated["token"].(string)
	if status != http.StatusOK || rotated["id"] != id || rotated["name"] != "ci" || !strings.HasPrefix(fresh, "hubauth_pat_") || fresh == old {
		t.Fatalf("rotate: %d %v", status, rotated)
	}
	if got := h.meStatus(t, old); got != 401 {
		t.Errorf("the old secret: %d, want 401", got)
	}
	tests := []struct {
		name, token, id string
		want            int
	}{
		{"the new secret rotating itself", fresh, id, 403},
		{"unknown id", access, "nope", 404},
		{"someone else's", h.bobToken(t), id, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, body, _ := h.send(t, "POST", "/api/v1/tokens/"+tt.id+"/rotate", tt.token, ""); status != tt.want || body["error"] == nil {
				t.Errorf("%d %v, want %d", status, body, tt.want)
			}
		})
	}
	if status, _, _ := h.send(t, "DELETE", "/api/v1/tokens/"+id, access, ""); status != 204 {
		t.Fatal("revoke")
	}
	if status, body, _ := h.send(t, "POST", "/api/v1/tokens/"+id+"/rotate", access, ""); status != 409 || body["error"] != "conflict" {
		t.Errorf("rotating a revoked token: %d %v, want 409", status, body)
	}
}

// bobToken adds the user bob and logs him in.
func (h *hub) bobToken(t *testing.T) string {
	t.Helper()
	h.AddUser(t, "bob", demoPassword)
	return h.userToken(t, "bob")
}

// TestNOMADTokenScopes: NOMAD's tokens:create, tokens:read and
// tokens:delete are accepted wherever the hub's tokens:read and
// tokens:write are, and tokens:write wherever NOMAD's are.
func TestNOMADTokenScopes(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	pat := func(name string, scopes string) string {
		_, raw := h.newPAT(t, access, `{"metadata": {"name": "`+name+`", "scopes": [`+scopes+`]}}`)
		return raw
	}
	target := func(name string) string {
		p, _ := h.newPAT(t, access, `{"metadata": {"name": "`+name+`", "scopes": ["tokens:read"]}}`)
		return p["id"].(string)
	}
	deleter, writer, reader, creator := pat("deleter", `"tokens:delete"`), pat("writer", `"tokens:write"`), pat("reader", `"tokens:read"`), pat("creator", `"tokens:create"`)
	tests := []struct {
		name, method, path, token string
		want                      int
	}{
		{"tokens:delete revokes through the hub's API", "DELETE", "/api/v1/tokens/" + target("t1"), deleter, 204},
		{"tokens:write revokes through NOMAD's API", "DELETE", "/api/v1/auth/pats/" + target("t2"), writer, 204},
		{"tokens:delete revokes a login", "DELETE", "/api/v1/sessions/nope", deleter, 404},
		{"tokens:read lists through both", "GET", "/api/v1/auth/pats", reader, 200},
		{"tokens:read lists the hub's", "GET", "/api/v1/tokens", reader, 200},
		{"tokens:create does not revoke", "DELETE", "/api/v1/tokens/" + target("t3"), creator, 403},
		{"tokens:delete does not list", "GET", "/api/v1/auth/pats", deleter, 403},
		{"a personal token never creates, whatever its scope", "POST", "/api/v1/tokens", creator, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, hdr := h.send(t, tt.method, tt.path, tt.token, `{"name":"x","expires_in":60}`)
			if status != tt.want {
				t.Fatalf("%d %v, want %d", status, body, tt.want)
			}
			if status == 403 && body["error"] == "insufficient_scope" && !strings.Contains(hdr.Get("WWW-Authenticate"), `scope="tokens:`) {
				t.Errorf("challenge %q does not name the scope", hdr.Get("WWW-Authenticate"))
			}
		})
	}
}
