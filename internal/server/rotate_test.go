package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestTokensRotateAPI: POST /api/v1/tokens/{id}/rotate answers the new
// secret as a creation does; the old one is refused at once.
func TestTokensRotateAPI(t *testing.T) {
	h := newHub(t)
	access := h.passwordToken(t)
	_, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":3600,"scopes":["groups:read"]}`)
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
// tokens:write are, and tokens:write wherever NOMAD's are — on the access
// tokens of a third-party client, which holds only what it was granted.
// A personal token carries none of them.
func TestNOMADTokenScopes(t *testing.T) {
	h := newHub(t)
	h.AddClient(t, storage.Client{ID: "script", Name: "a script", Public: true, GrantTypes: []string{storage.GrantPassword}})
	access := h.passwordToken(t)
	scoped := func(scope string) string {
		status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword},
			"client_id": {"script"}, "scope": {scope}})
		tok, _ := body["access_token"].(string)
		if status != http.StatusOK || tok == "" {
			t.Fatalf("login of script with %s: %d %v", scope, status, body)
		}
		return tok
	}
	target := func(name string) string {
		p, _ := h.newPAT(t, access, `{"metadata": {"name": "`+name+`", "scopes": ["openid"]}}`)
		return p["id"].(string)
	}
	deleter, writer, reader, creator := scoped("tokens:delete"), scoped("tokens:write"), scoped("tokens:read"), scoped("tokens:create")
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
		{"tokens:create creates", "POST", "/api/v1/tokens", creator, 201},
		{"a personal token carries none of them", "POST", "/api/v1/auth/pats", access, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"name":"x","expires_in":60}`
			if strings.HasPrefix(tt.path, "/api/v1/auth/pats") && tt.method == "POST" {
				body = `{"metadata": {"name": "y", "scopes": ["tokens:create"]}}`
			}
			status, out, hdr := h.send(t, tt.method, tt.path, tt.token, body)
			if status != tt.want {
				t.Fatalf("%d %v, want %d", status, out, tt.want)
			}
			if status == 403 && out["error"] == "insufficient_scope" && !strings.Contains(hdr.Get("WWW-Authenticate"), `scope="tokens:`) {
				t.Errorf("challenge %q does not name the scope", hdr.Get("WWW-Authenticate"))
			}
		})
	}
}
