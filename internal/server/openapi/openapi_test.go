package openapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/openapi"
	"github.com/hubauth/hubauth/internal/server/scopes"
)

// TestDocumentValidates loads the served document with kin-openapi and
// validates it (OpenAPI 3.1, its schemas as JSON Schema 2020-12), for
// issuers with and without a path.
func TestDocumentValidates(t *testing.T) {
	for _, issuer := range []string{"https://hub.example.org", "http://127.0.0.1:8080/", "https://example.org/auth"} {
		t.Run(issuer, func(t *testing.T) {
			doc, err := hubtest.LoadAPIDocument(issuer)
			if err != nil {
				t.Fatal(err)
			}
			if !doc.IsOpenAPI31OrLater() {
				t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
			}
			base := strings.TrimSuffix(issuer, "/")
			if len(doc.Servers) != 1 || doc.Servers[0].URL != base {
				t.Errorf("servers = %v, want the issuer %s", doc.Servers, base)
			}
			flows := doc.Components.SecuritySchemes["oauth2"].Value.Flows
			got := map[string]string{
				"password token":     flows.Password.TokenURL,
				"password refresh":   flows.Password.RefreshURL,
				"code authorization": flows.AuthorizationCode.AuthorizationURL,
				"code token":         flows.AuthorizationCode.TokenURL,
			}
			want := map[string]string{
				"password token":     base + "/api/v1/auth/token",
				"password refresh":   base + "/oauth/token",
				"code authorization": base + "/authorize",
				"code token":         base + "/oauth/token",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("flow URLs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOperationsAskKnownScopes checks that every scope an operation names
// is one the hub grants, listed in the OAuth 2.0 flows.
func TestOperationsAskKnownScopes(t *testing.T) {
	doc, err := hubtest.LoadAPIDocument("https://hub.example.org")
	if err != nil {
		t.Fatal(err)
	}
	known := scopes.NewSet(nil)
	flows := doc.Components.SecuritySchemes["oauth2"].Value.Flows
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Security == nil {
				t.Errorf("%s %s: no security requirements", method, path)
				continue
			}
			for _, req := range *op.Security {
				for scheme, names := range req {
					for _, n := range names {
						if !known.Has(n) || flows.Password.Scopes[n] == "" || flows.AuthorizationCode.Scopes[n] == "" {
							t.Errorf("%s %s: %s scope %q is not one the hub grants", method, path, scheme, n)
						}
					}
				}
			}
		}
	}
}

func TestServe(t *testing.T) {
	h, err := openapi.New("https://hub.example.org")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Mount(mux)
	get := func(header http.Header) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, openapi.Path, nil)
		for k, v := range header {
			r.Header[k] = v
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		return rec
	}
	first := get(nil)
	if first.Code != http.StatusOK || first.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET = %d %q, want 200 application/json", first.Code, first.Header().Get("Content-Type"))
	}
	if got := first.Header().Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control = %q", got)
	}
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
	}
	if err := json.Unmarshal(first.Body.Bytes(), &doc); err != nil || len(doc.Servers) != 1 || doc.Servers[0].URL != "https://hub.example.org" {
		t.Errorf("servers = %+v (%v), want the issuer", doc.Servers, err)
	}
	tag := first.Header().Get("ETag")
	for _, tc := range []struct {
		name, ifNoneMatch string
		want              int
	}{
		{"same tag", tag, http.StatusNotModified},
		{"weak, among others", `"x", W/` + tag, http.StatusNotModified},
		{"star", "*", http.StatusNotModified},
		{"other tag", `"x"`, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := get(http.Header{"If-None-Match": {tc.ifNoneMatch}}); got.Code != tc.want {
				t.Errorf("If-None-Match %s: %d, want %d", tc.ifNoneMatch, got.Code, tc.want)
			}
		})
	}
	if other, _ := openapi.New("https://other.example.org"); other == nil || string(other.JSON()) == first.Body.String() {
		t.Error("the document does not depend on the issuer")
	}
}
