package resource_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/resource"
)

// document is an OpenAPI document with one scheme of each kind Dashboard
// fills in, one URL already set, and paths in an order that must stay.
const document = `{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {"/z": {}, "/a": {}, "/m": {}},
  "components": {"securitySchemes": {
    "code": {"type": "oauth2", "flows": {
      "authorizationCode": {"authorizationUrl": "", "tokenUrl": "https://other.example/token", "scopes": {"x": "X"}},
      "password": {"tokenUrl": "/api/v1/auth/token", "scopes": {}},
      "clientCredentials": {"scopes": {}}}},
    "oidc": {"type": "openIdConnect"},
    "bearer": {"type": "http", "scheme": "bearer"}
  }}
}`

// TestDashboardFillsTheIssuersEndpoints serves a dashboard for a data API
// of a real hub and reads the document it serves: empty URLs have the
// hub's endpoints, set ones are kept, the paths keep their order, and the
// page may call the hub's token endpoint.
func TestDashboardFillsTheIssuersEndpoints(t *testing.T) {
	h := newHub(t)
	m, err := resource.New(context.Background(), resource.Config{Issuer: h.URL, AnyAudience: true})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := m.Dashboard(resource.DashboardConfig{Path: "/docs/", Document: []byte(document), ClientID: "api-docs", Scopes: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(docs)
	defer srv.Close()
	body, header := get(t, srv.URL+"/docs/openapi.json")
	if i, j, k := strings.Index(body, `"/z"`), strings.Index(body, `"/a"`), strings.Index(body, `"/m"`); !(i < j && j < k) {
		t.Errorf("the paths lost their order: %s", body)
	}
	var doc struct {
		Components struct {
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	flows := doc.Components.SecuritySchemes["code"]["flows"].(map[string]any)
	got := map[string]any{
		"authorizationCode": flows["authorizationCode"], "password": flows["password"], "clientCredentials": flows["clientCredentials"],
		"oidc": doc.Components.SecuritySchemes["oidc"]["openIdConnectUrl"], "bearer": doc.Components.SecuritySchemes["bearer"],
	}
	want := map[string]any{
		"authorizationCode": map[string]any{"authorizationUrl": h.URL + "/authorize", "tokenUrl": "https://other.example/token", "scopes": map[string]any{"x": "X"}},
		"password":          map[string]any{"tokenUrl": "/api/v1/auth/token", "scopes": map[string]any{}},
		"clientCredentials": map[string]any{"tokenUrl": h.URL + "/oauth/token", "scopes": map[string]any{}},
		"oidc":              h.URL + "/.well-known/openid-configuration",
		"bearer":            map[string]any{"type": "http", "scheme": "bearer"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("security schemes (-want +got):\n%s", d)
	}
	if csp := header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' "+h.URL+";") {
		t.Errorf("CSP %q does not let the page call the hub's token endpoint", csp)
	}
	cfg, _ := get(t, srv.URL+"/docs/config.json")
	if !strings.Contains(cfg, `"clientId":"api-docs"`) || !strings.Contains(cfg, `"scopes":["x"]`) {
		t.Errorf("config.json = %s", cfg)
	}
}

func TestDashboardRefusesBadConfig(t *testing.T) {
	h := newHub(t)
	m, err := resource.New(context.Background(), resource.Config{Issuer: h.URL, AnyAudience: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  resource.DashboardConfig
	}{
		{"no client", resource.DashboardConfig{Path: "/docs/", Document: []byte(document)}},
		{"no document", resource.DashboardConfig{Path: "/docs/", ClientID: "c"}},
		{"document not an object", resource.DashboardConfig{Path: "/docs/", ClientID: "c", Document: []byte(`[]`)}},
		{"schemes not objects", resource.DashboardConfig{Path: "/docs/", ClientID: "c", Document: []byte(`{"components": {"securitySchemes": []}}`)}},
		{"bad path", resource.DashboardConfig{Path: "docs", ClientID: "c", Document: []byte(document)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := m.Dashboard(tt.cfg); err == nil || !strings.HasPrefix(err.Error(), "resource: ") {
				t.Errorf("Dashboard = %v, want an error of package resource", err)
			}
		})
	}
}

func get(t *testing.T, u string) (string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b), resp.Header
}
