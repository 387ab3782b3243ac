package resource_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/resource"
)

func TestMetadata(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{URL: apiURL, Scopes: []string{"uploads:read", "uploads:write"}, Name: "Data hub"})
	if m.MetadataPath() != "/.well-known/oauth-protected-resource" || m.MetadataURL() != apiURL+"/.well-known/oauth-protected-resource" {
		t.Errorf("MetadataPath %q, MetadataURL %q", m.MetadataPath(), m.MetadataURL())
	}
	rec := httptest.NewRecorder()
	m.Metadata().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, m.MetadataPath(), nil))
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("GET metadata: %d %s: %v", rec.Code, rec.Body, err)
	}
	want := map[string]any{"resource": apiURL, "authorization_servers": []any{h.URL}, "scopes_supported": []any{"uploads:read", "uploads:write"},
		"bearer_methods_supported": []any{"header"}, "resource_name": "Data hub"}
	if !cmp.Equal(got, want) {
		t.Errorf("metadata: %s", cmp.Diff(want, got))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	rec = httptest.NewRecorder()
	m.Metadata().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, m.MetadataPath(), nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST metadata: %d, Allow %q; want 405 and GET, HEAD", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestMetadataPathOfAPIUnderAPath(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{URL: "https://example.org/data/v1"})
	if m.MetadataPath() != "/.well-known/oauth-protected-resource/data/v1" || m.MetadataURL() != "https://example.org/.well-known/oauth-protected-resource/data/v1" {
		t.Errorf("MetadataPath %q, MetadataURL %q; want the well-known path before the API's (RFC 9728 §3.1)", m.MetadataPath(), m.MetadataURL())
	}
}

func TestChallengesNameTheMetadata(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{URL: apiURL, Realm: "datahub"})
	meta := `resource_metadata="` + apiURL + `/.well-known/oauth-protected-resource"`
	for name, auth := range map[string][]string{"no token": nil, "bad token": {bearer("nope")}, "hub token for another audience": {bearer(h.accessToken(t, ""))}} {
		got := call(t, m.Handler(whoami), auth...)
		if got.Status != http.StatusUnauthorized || !strings.HasPrefix(got.Challenge, `Bearer realm="datahub"`) || !strings.HasSuffix(got.Challenge, ", "+meta) {
			t.Errorf("%s: status %d, challenge %q; want 401 naming %s", name, got.Status, got.Challenge, meta)
		}
	}
	anyAud := newMiddleware(t, h, resource.Config{AnyAudience: true})
	if got := call(t, anyAud.Handler(whoami)); strings.Contains(got.Challenge, "resource_metadata") {
		t.Errorf("without URL: challenge %q names metadata", got.Challenge)
	}
	defer func() {
		if recover() == nil {
			t.Error("Metadata without URL did not panic")
		}
	}()
	anyAud.Metadata()
}
