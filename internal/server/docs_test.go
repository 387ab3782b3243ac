package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// TestDashboardRoutes: both dashboard paths serve the page under a CSP
// that runs the hub's own scripts only, their config.json names the
// built-in client and their own oauth2-redirect.html on the issuer, and
// /api/v1/ leads to the dashboard.
func TestDashboardRoutes(t *testing.T) {
	h := hubtest.New(t, hubtest.WithIssuer("https://hub.example.org/"))
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path, location string
		status         int
	}{
		{"/api/v1/", "docs/", http.StatusFound},
		{"/api/v1/docs", "docs/", http.StatusFound},
		{"/api/v1/extensions/docs", "docs/", http.StatusFound},
		{"/api/v1/docs/", "", http.StatusOK},
		{"/api/v1/extensions/docs/", "", http.StatusOK},
		{"/api/v1/extensions/docs/oauth2-redirect.html", "", http.StatusOK},
		{"/api/v1/docs/swagger-ui-bundle.js", "", http.StatusOK},
		{"/api/v1/docs/nope.js", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := noRedirect.Get(h.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("%d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); tt.status == http.StatusOK && !strings.Contains(csp, "script-src 'self';") {
				t.Errorf("CSP %q", csp)
			}
		})
	}
	resp, err := http.Get(h.URL + "/api/v1/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/api/v1/docs/" {
		t.Errorf("following /api/v1/ ends at %d %s, want the dashboard", resp.StatusCode, resp.Request.URL)
	}
	for _, p := range []string{"/api/v1/docs/", "/api/v1/extensions/docs/"} {
		resp, err := http.Get(h.URL + p + "config.json")
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"clientId": "hubauth-docs", "oauth2RedirectUrl": "https://hub.example.org" + p + "oauth2-redirect.html",
			"scopes": []any{"openid", "profile"}, "title": "hubauth API"}
		delete(got, "url")
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%sconfig.json (-want +got):\n%s", p, d)
		}
	}
}

// TestDashboardDocumentURL: each dashboard finds the document relative to
// itself, so the hub may sit under a path behind a proxy.
func TestDashboardDocumentURL(t *testing.T) {
	h := hubtest.New(t)
	for p, want := range map[string]string{"/api/v1/docs/": "../openapi.json", "/api/v1/extensions/docs/": "../../openapi.json"} {
		resp, err := http.Get(h.URL + p + "config.json")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `"url":"`+want+`"`) {
			t.Errorf("%sconfig.json = %s, want url %s", p, b, want)
		}
	}
}

// TestDocsClientFollowsTheIssuer: the built-in client hubauth-docs is
// public, first-party, allowed the code and password grants, and its
// redirect URIs are the dashboards' on the current issuer, also after the
// hub restarts with another issuer, which keeps what the operator changed.
func TestDocsClientFollowsTheIssuer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	open := func() storage.Storage {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	first := open()
	hubtest.New(t, hubtest.WithStore(first), hubtest.WithIssuer("https://old.example.org"))
	c, err := first.GetClient(context.Background(), storage.DocsClientID)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Public || !c.FirstParty || c.SecretHash != "" || !slices.Equal(c.GrantTypes, []string{storage.GrantAuthorizationCode, storage.GrantPassword}) {
		t.Errorf("hubauth-docs = %+v", c)
	}
	err = first.UpdateClient(context.Background(), storage.DocsClientID, func(c storage.Client) (storage.Client, error) {
		c.Disabled = true
		return c, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hubtest.New(t, hubtest.WithStore(first), hubtest.WithIssuer("https://new.example.org/auth"))
	c, err = first.GetClient(context.Background(), storage.DocsClientID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://new.example.org/auth/api/v1/docs/oauth2-redirect.html", "https://new.example.org/auth/api/v1/extensions/docs/oauth2-redirect.html"}
	if d := cmp.Diff(want, c.RedirectURIs); d != "" {
		t.Errorf("redirect URIs after the issuer changed (-want +got):\n%s", d)
	}
	if !c.Disabled {
		t.Error("restarting the hub enabled the client the operator disabled")
	}
}
