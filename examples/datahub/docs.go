package main

import (
	_ "embed"
	"fmt"
	"net/http"
	"strings"

	"github.com/hubauth/hubauth/resource"
)

// docsPath is where the API dashboard is served.
const docsPath = "/api/v1/docs/"

// openAPI is the data hub's OpenAPI document; the dashboard serves it at
// /api/v1/docs/openapi.json with the hub's endpoints filled in.
//
//go:embed openapi.json
var openAPI []byte

// dashboard builds the API dashboard (resource.Middleware.Dashboard): the
// document above, the public client o.docsClientID with the scopes the
// data hub requires ticked. It returns nil without a client.
func dashboard(auth *resource.Middleware, o options) (http.Handler, error) {
	if o.docsClientID == "" {
		return nil, nil
	}
	cfg := resource.DashboardConfig{Path: docsPath, Document: openAPI, ClientID: o.docsClientID, Scopes: o.required(), Title: "datahub API"}
	if o.publicURL != "" {
		cfg.OAuth2RedirectURL = strings.TrimSuffix(o.publicURL, "/") + docsPath + "oauth2-redirect.html"
	}
	h, err := auth.Dashboard(cfg)
	if err != nil {
		return nil, fmt.Errorf("datahub: %w", err)
	}
	return h, nil
}
