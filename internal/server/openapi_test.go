package server_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/docs"
)

// TestOpenAPICoversRoutes holds the routes of the hub's real mux under
// /api/v1 against the OpenAPI document: each is an operation of it, and
// each operation is a route (GET also serves HEAD, as ServeMux does). The
// API dashboard's pages (package docs) are not operations.
func TestOpenAPICoversRoutes(t *testing.T) {
	h := hubtest.New(t)
	var served []string
	for _, p := range h.Server.Routes() {
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			if strings.HasPrefix(p, "/api/v1/") {
				t.Errorf("route %q under /api/v1 takes any method: register it per method", p)
			}
			continue
		}
		if strings.HasPrefix(path, "/api/v1/") && !docs.IsDashboard(path) {
			served = append(served, method+" "+path)
		}
	}
	doc, err := hubtest.LoadAPIDocument(h.URL)
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(served)
	slices.Sort(documented)
	if diff := cmp.Diff(served, documented); diff != "" {
		t.Errorf("routes served (-) and documented (+) differ:\n%s", diff)
	}
}

// TestOpenAPIServed fetches the document from a hub: it is listed in
// itself, and its server is the hub's issuer.
func TestOpenAPIServed(t *testing.T) {
	h := hubtest.New(t, hubtest.WithIssuer("https://hub.example.org/"))
	resp, err := http.Get(h.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/v1/openapi.json = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://hub.example.org" {
		t.Errorf("servers = %v, want the issuer", doc.Servers)
	}
	if doc.Paths.Find("/api/v1/openapi.json") == nil {
		t.Error("the document does not list /api/v1/openapi.json")
	}
}
