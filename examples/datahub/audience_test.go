package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// audOf returns the aud claim of a JWT the hub issued (its signature is
// the data hub's to check).
func audOf(t *testing.T, jwt string) []string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Aud any `json:"aud"`
	}
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		t.Fatal(err)
	}
	switch a := c.Aud.(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, len(a))
		for i, v := range a {
			out[i], _ = v.(string)
		}
		return out
	}
	return nil
}

// TestTokensForTheDataHub: the data hub is registered at the hub (hubauth
// admin api add datahub --uri … --scopes uploads:read,uploads:write), so
// the hub's tokens for its scopes carry its URI as audience and the data
// hub, checking that audience, takes them. A token the user gave a
// third-party application for openid only carries that application's id:
// the registered data hub refuses it (401), while a deployment that
// checks neither audience nor scope — the data hub before issue 14 —
// still lists and creates uploads with it, which is why the data hub
// checks its audience.
func TestTokensForTheDataHub(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	d := newDatahub(t, h) // the registered one: --audience its URI
	open := newDatahub(t, h, "--read-scope", "", "--write-scope", "", "--any-audience")

	mine := h.token(t, "ada", "")
	if got := audOf(t, mine); len(got) != 1 || got[0] != h.apiURI {
		t.Fatalf("aud of the hub's token for the data hub's scopes = %q, want [%s]", got, h.apiURI)
	}
	d.create(mine, map[string]string{"upload_name": "for the data hub"})

	h.AddClient(t, storage.Client{ID: "notebook-app", Name: "Notebook app", Public: true,
		GrantTypes: []string{"password"}, RestrictScopes: true, AllowedScopes: []string{"openid"}})
	thirdParty := h.PostForm(t, "/api/v1/auth/token", url.Values{"username": {"ada"}, "password": {testPassword},
		"client_id": {"notebook-app"}, "scope": {"openid"}})["access_token"].(string)
	if got := audOf(t, thirdParty); len(got) != 1 || got[0] != "notebook-app" {
		t.Fatalf("aud of the third-party token = %q, want [notebook-app]", got)
	}
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/api/v1/uploads", nil},
		{http.MethodPost, "/api/v1/uploads", map[string]string{"upload_name": "by a third party"}},
	} {
		if r := d.do(tc.method, tc.path, thirdParty, tc.body); r.Status != http.StatusUnauthorized || r.errorCode(t) != "invalid_token" {
			t.Errorf("registered data hub, %s %s with a token for another client: %d %s, want 401 invalid_token", tc.method, tc.path, r.Status, r.Body)
		}
	}
	// Documented (README, APIs and audiences): without the audience check
	// and with no scope required, any client's token of the user works.
	if r := open.do(http.MethodPost, "/api/v1/uploads", thirdParty, map[string]string{"upload_name": "by a third party"}); r.Status != http.StatusCreated {
		t.Errorf("unchecked data hub, POST with a third-party token: %d %s, want 201 (what the audience check prevents)", r.Status, r.Body)
	}
	if got := open.names("/api/v1/uploads", thirdParty); len(got) != 1 || got[0] != "by a third party" {
		t.Errorf("unchecked data hub lists %q for the third-party token", got)
	}
}

// TestRefusalNamesTheDataHub: the 401 for a token meant for another
// client says what it was for and which API this is, and names the data
// hub's metadata (RFC 9728 §5.1).
func TestRefusalNamesTheDataHub(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	d := newDatahub(t, h, "--read-scope", "", "--write-scope", "")
	r := d.do(http.MethodGet, "/api/v1/uploads", h.token(t, "ada", "openid"), nil)
	var e struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	r.decode(t, &e)
	if r.Status != http.StatusUnauthorized || e.Error != "invalid_token" ||
		!strings.Contains(e.ErrorDescription, "meant for 'hubauth-cli', not for this API ('"+d.URL+"')") {
		t.Errorf("got %d %s; want 401 invalid_token naming the token's audience and the data hub's", r.Status, r.Body)
	}
	want := `, resource_metadata="` + d.URL + `/.well-known/oauth-protected-resource"`
	if ch := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(ch, `Bearer realm="datahub", error="invalid_token"`) || !strings.HasSuffix(ch, want) {
		t.Errorf("WWW-Authenticate %q; want invalid_token and %s", ch, want)
	}
}

func TestProtectedResourceMetadata(t *testing.T) {
	h := newHub(t)
	d := newDatahub(t, h)
	r := d.do(http.MethodGet, "/.well-known/oauth-protected-resource", "", nil)
	var got struct {
		Resource               string   `json:"resource"`
		AuthorizationServers   []string `json:"authorization_servers"`
		ScopesSupported        []string `json:"scopes_supported"`
		BearerMethodsSupported []string `json:"bearer_methods_supported"`
		ResourceName           string   `json:"resource_name"`
	}
	r.decode(t, &got)
	if r.Status != http.StatusOK || got.Resource != h.apiURI || d.URL != h.apiURI || !slices.Equal(got.AuthorizationServers, []string{h.URL}) ||
		!slices.Equal(got.ScopesSupported, []string{"uploads:read", "uploads:write"}) || !slices.Equal(got.BearerMethodsSupported, []string{"header"}) ||
		got.ResourceName != "Data hub" {
		t.Errorf("metadata: %d %+v; want the registered URI %s and the hub %s", r.Status, got, h.apiURI, h.URL)
	}
}
