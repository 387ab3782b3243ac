package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// strict turns --any-audience off: the data hub takes only tokens whose
// aud is its --public-url.
func strict(o *options) { o.anyAudience = false }

// TestTokenForAnotherApplicationRefused is issue 14's review finding: a
// token the user granted another application (here the hub's CLI, for
// openid only) no longer lists or creates uploads at a data hub that
// checks no scope.
func TestTokenForAnotherApplicationRefused(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	d := newDatahubWith(t, h, strict, "--read-scope", "", "--write-scope", "")
	token := h.token(t, "ada", "openid")
	for _, r := range []response{
		d.do(http.MethodGet, "/api/v1/uploads", token, nil),
		d.do(http.MethodPost, "/api/v1/uploads", token, map[string]any{"upload_name": "run 7"}),
	} {
		var e struct {
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		r.decode(t, &e)
		if r.Status != http.StatusUnauthorized || e.Error != "invalid_token" || !strings.Contains(e.ErrorDescription, "not for this API ('"+d.URL+"')") {
			t.Errorf("got %d %s; want 401 invalid_token naming the data hub's URL", r.Status, r.Body)
		}
		want := `, resource_metadata="` + d.URL + `/.well-known/oauth-protected-resource"`
		if ch := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(ch, `Bearer realm="datahub", error="invalid_token"`) || !strings.HasSuffix(ch, want) {
			t.Errorf("WWW-Authenticate %q; want invalid_token and %s", ch, want)
		}
	}
}

func TestProtectedResourceMetadata(t *testing.T) {
	h := newHub(t)
	d := newDatahubWith(t, h, strict)
	r := d.do(http.MethodGet, "/.well-known/oauth-protected-resource", "", nil)
	var got struct {
		Resource               string   `json:"resource"`
		AuthorizationServers   []string `json:"authorization_servers"`
		ScopesSupported        []string `json:"scopes_supported"`
		BearerMethodsSupported []string `json:"bearer_methods_supported"`
		ResourceName           string   `json:"resource_name"`
	}
	r.decode(t, &got)
	if r.Status != http.StatusOK || got.Resource != d.URL || len(got.AuthorizationServers) != 1 || got.AuthorizationServers[0] != h.URL ||
		strings.Join(got.ScopesSupported, " ") != "uploads:read uploads:write" || strings.Join(got.BearerMethodsSupported, " ") != "header" || got.ResourceName != "Data hub" {
		b, _ := json.Marshal(got)
		t.Errorf("metadata: %d %s", r.Status, b)
	}
}
