// Package docs serves the hub's API dashboard: Swagger UI for the hub's
// own OpenAPI document (/api/v1/openapi.json, package openapi) at /api/v1/docs/ and at
// NOMAD's path /api/v1/extensions/docs/, with /api/v1/ redirecting there.
//
// Its Authorize button offers what the document's security schemes list:
// the password flow on /api/v1/auth/token (NOMAD's) and the authorization
// code flow with PKCE through the built-in public client hubauth-docs,
// whose redirect URIs are the two dashboards' oauth2-redirect.html
// (RedirectURIs). The Swagger UI files, the CSP, compression and caching
// are web/swaggerui's.
package docs

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/hubauth/hubauth/internal/server/openapi"
	"github.com/hubauth/hubauth/internal/server/routes"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/web/swaggerui"
)

// The dashboard's paths on the hub.
const (
	// Path is the hub's own path of the dashboard.
	Path = "/api/v1/docs/"
	// NomadPath is NOMAD's path of its API dashboard, served the same.
	NomadPath = "/api/v1/extensions/docs/"
	// apiRoot redirects to Path.
	apiRoot = "/api/v1/{$}"
)

// redirectPage is Swagger UI's page that hands the authorization code
// back to the dashboard that opened the login window.
const redirectPage = "oauth2-redirect.html"

// IsDashboard reports whether a request's path, or a route's (a ServeMux
// pattern without its method), is the dashboard's: its pages and files
// and the /api/v1/ redirect are not operations of the API, so they are not
// in the OpenAPI document.
func IsDashboard(p string) bool {
	for _, d := range []string{Path, NomadPath} {
		if strings.HasPrefix(p, d) || p == strings.TrimSuffix(d, "/") {
			return true
		}
	}
	return p == apiRoot || p == strings.TrimSuffix(apiRoot, "{$}")
}

// ticked are the scopes the Authorize dialog offers ticked: openid, which
// the authorization code flow needs, and profile, so /api/v1/users/me
// shows the username.
var ticked = []string{"openid", "profile"}

// RedirectURIs are the redirect URIs of the built-in client hubauth-docs
// on a hub with this issuer: each dashboard's oauth2-redirect.html.
func RedirectURIs(issuer string) []string {
	return []string{issuer + Path + redirectPage, issuer + NomadPath + redirectPage}
}

// Mount serves both dashboards and redirects GET /api/v1/ to the first.
func Mount(mux routes.Mux, issuer string) error {
	for _, p := range []string{Path, NomadPath} {
		h, err := swaggerui.New(swaggerui.Config{
			Path:              p,
			DocumentURL:       documentFrom(p),
			ClientID:          storage.DocsClientID,
			Scopes:            ticked,
			OAuth2RedirectURL: issuer + p + redirectPage,
			Title:             "hubauth API",
		})
		if err != nil {
			return fmt.Errorf("docs: %w", err)
		}
		mux.Handle("GET "+p, h)
		mux.Handle("GET "+p[:len(p)-1], h) // redirects to p
	}
	mux.HandleFunc("GET "+apiRoot, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "docs/") // relative, as the dashboard's own redirect
		w.WriteHeader(http.StatusFound)
	})
	return nil
}

// documentFrom is the document's URL relative to the dashboard at p
// ("../openapi.json" from /api/v1/docs/), so that it stays right behind a
// proxy that serves the hub under a path of its own.
func documentFrom(p string) string {
	dir, name := path.Split(openapi.Path)
	below := strings.TrimPrefix(p, dir) // "docs/", "extensions/docs/"
	return strings.Repeat("../", strings.Count(below, "/")) + name
}
