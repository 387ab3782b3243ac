package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestOpenAPIScopesAreTheHandlers holds each operation's documented scopes
// against the hub: a third-party client's access token holding one
// alternative of the document's bearer requirements passes the scope check,
// one holding none of the API scopes, or all but one scope of an
// alternative, is refused with an insufficient_scope challenge.
func TestOpenAPIScopesAreTheHandlers(t *testing.T) {
	h := hubtest.New(t, hubtest.WithUser("ada", "pw-ada-123456"),
		hubtest.WithClient(storage.Client{ID: "app", Name: "App", Public: true, GrantTypes: []string{storage.GrantPassword}}))
	doc, err := hubtest.LoadAPIDocument(h.URL)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	token := func(scopes []string) string {
		scope := strings.Join(append([]string{"openid"}, scopes...), " ")
		if tokens[scope] == "" {
			out := h.PostForm(t, "/api/v1/auth/token", url.Values{"username": {"ada"}, "password": {"pw-ada-123456"}, "client_id": {"app"}, "scope": {scope}})
			tokens[scope] = out["access_token"].(string)
		}
		return tokens[scope]
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var alts [][]string
			for _, req := range *op.Security {
				if names, ok := req["bearer"]; ok {
					alts = append(alts, names)
				}
			}
			if len(alts) == 0 {
				continue
			}
			t.Run(method+" "+path, func(t *testing.T) {
				refused := func(scopes []string) bool { return insufficientScope(t, h, method, path, token(scopes)) }
				needsScope := !slices.ContainsFunc(alts, func(a []string) bool { return len(a) == 0 })
				if got := refused(nil); got != needsScope {
					t.Errorf("without API scopes: insufficient_scope = %v, want %v", got, needsScope)
				}
				for _, alt := range alts {
					if refused(alt) {
						t.Errorf("with %v: insufficient_scope, though the document allows it", alt)
					}
					for i := range alt {
						if fewer := slices.Delete(slices.Clone(alt), i, i+1); len(fewer) > 0 && !refused(fewer) {
							t.Errorf("with %v: allowed, though the document needs %v", fewer, alt)
						}
					}
				}
			})
		}
	}
}

// insufficientScope sends method path (path parameters "x") with token and
// reports whether the hub refused it for a missing scope.
func insufficientScope(t *testing.T, h *hubtest.Hub, method, path, token string) bool {
	t.Helper()
	path = strings.NewReplacer("{id}", "x", "{name}", "x").Replace(path)
	req, _ := http.NewRequest(method, h.URL+path+"?expires_in=60", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	challenge := resp.Header.Get("WWW-Authenticate")
	if strings.Contains(challenge, "insufficient_scope") != (resp.StatusCode == http.StatusForbidden && challenge != "") {
		t.Errorf("%s %s: %d with challenge %q", method, path, resp.StatusCode, challenge)
	}
	return strings.Contains(challenge, `error="insufficient_scope"`)
}
