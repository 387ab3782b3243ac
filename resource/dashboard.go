package resource

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/hubauth/hubauth/web/swaggerui"
)

// DashboardConfig describes a data API's dashboard (Middleware.Dashboard).
// Path, Document and ClientID are required.
type DashboardConfig struct {
	// Path is where the dashboard is mounted, starting and ending with
	// "/", e.g. "/api/v1/docs/". The page is Path, the document
	// Path+"openapi.json", Swagger UI's login return page
	// Path+"oauth2-redirect.html".
	Path string
	// Document is the API's OpenAPI document (JSON). Its OAuth 2.0 and
	// OpenID Connect security schemes get the issuer's endpoints where
	// their URLs are empty: authorizationUrl and tokenUrl of the
	// authorizationCode flow, tokenUrl of clientCredentials, and
	// openIdConnectUrl. (The password flow is left alone: the issuer's
	// token endpoint has no password grant.)
	Document []byte
	// ClientID is the API dashboard's public client at the issuer. Its
	// redirect URI is the dashboard's oauth2-redirect.html as browsers
	// reach it, e.g. https://data.example.org/api/v1/docs/oauth2-redirect.html;
	// on hubauth: hubauth admin client add ID --public --redirect-uri URI.
	// The Authorize button uses the authorization code flow with PKCE.
	ClientID string
	// Scopes are ticked in the Authorize dialog when it opens.
	Scopes []string
	// OAuth2RedirectURL is the client's redirect URI above. Empty means:
	// the page works it out from its own address (right unless a proxy
	// rewrites paths).
	OAuth2RedirectURL string
	// Title is the page's title; empty keeps "API dashboard".
	Title string
}

// Dashboard returns a handler that serves Swagger UI for the API's
// OpenAPI document at cfg.Path, with the issuer's endpoints and the
// dashboard's public client filled in, so that its Authorize button logs
// the user in at the issuer (authorization code with PKCE) and "Try it
// out" sends the token to the API. Swagger UI's files are embedded in the
// binary (package web/swaggerui), served compressed with ETags, under a
// Content-Security-Policy that runs the page's own scripts only and lets
// it call its own origin and the issuer's token endpoint.
//
// The page needs no token: mount it where anonymous requests reach it,
// such as beside the Middleware's Handler or behind it with
// Config.AllowAnonymous:
//
//	docs, err := auth.Dashboard(resource.DashboardConfig{Path: "/api/v1/docs/", Document: doc, ClientID: "datahub-docs"})
//	mux.Handle("GET /api/v1/docs/", docs)
func (m *Middleware) Dashboard(cfg DashboardConfig) (http.Handler, error) {
	if cfg.ClientID == "" || cfg.Document == nil {
		return nil, errors.New("resource: DashboardConfig needs Document and ClientID")
	}
	doc, err := fillSecuritySchemes(cfg.Document, m.disc)
	if err != nil {
		return nil, err
	}
	var connect []string
	if u, err := url.Parse(m.disc.TokenEndpoint); err == nil && u.Host != "" {
		connect = append(connect, u.Scheme+"://"+u.Host)
	}
	h, err := swaggerui.New(swaggerui.Config{Path: cfg.Path, Document: doc, ClientID: cfg.ClientID, Scopes: cfg.Scopes,
		OAuth2RedirectURL: cfg.OAuth2RedirectURL, Title: cfg.Title, ConnectSources: connect})
	if err != nil {
		return nil, fmt.Errorf("resource: dashboard: %w", err)
	}
	return h, nil
}

// fillSecuritySchemes puts the issuer's endpoints into the document's
// security schemes where their URLs are empty. The rest of the document
// is kept as written (paths in their order, which Swagger UI shows).
func fillSecuritySchemes(doc []byte, d *discovery) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, fmt.Errorf("resource: dashboard: the document is not a JSON object: %w", err)
	}
	var components map[string]json.RawMessage
	if err := unmarshalIf(top["components"], &components); err != nil {
		return nil, fmt.Errorf("resource: dashboard: components: %w", err)
	}
	var schemes map[string]map[string]any
	if err := unmarshalIf(components["securitySchemes"], &schemes); err != nil {
		return nil, fmt.Errorf("resource: dashboard: components.securitySchemes: %w", err)
	}
	if len(schemes) == 0 {
		return doc, nil
	}
	for name, s := range schemes {
		if err := fillScheme(s, d); err != nil {
			return nil, fmt.Errorf("resource: dashboard: security scheme %q: %w", name, err)
		}
	}
	var err error
	if components["securitySchemes"], err = json.Marshal(schemes); err == nil {
		if top["components"], err = json.Marshal(components); err == nil {
			return json.Marshal(top)
		}
	}
	return nil, fmt.Errorf("resource: dashboard: %w", err)
}

func unmarshalIf(raw json.RawMessage, v any) error {
	if raw == nil {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// fillScheme fills one security scheme (OpenAPI 3.1 §4.8.27).
func fillScheme(s map[string]any, d *discovery) error {
	switch s["type"] {
	case "openIdConnect":
		setIfEmpty(s, "openIdConnectUrl", d.Issuer+"/.well-known/openid-configuration")
	case "oauth2":
		flows, _ := s["flows"].(map[string]any)
		if code, ok := flows["authorizationCode"].(map[string]any); ok {
			setIfEmpty(code, "authorizationUrl", d.AuthorizationEndpoint)
			setIfEmpty(code, "tokenUrl", d.TokenEndpoint)
			if code["authorizationUrl"] == "" || code["tokenUrl"] == "" {
				return errors.New("the issuer's discovery document names no authorization or token endpoint")
			}
		}
		if cc, ok := flows["clientCredentials"].(map[string]any); ok {
			setIfEmpty(cc, "tokenUrl", d.TokenEndpoint)
		}
	}
	return nil
}

func setIfEmpty(m map[string]any, key, value string) {
	if v, _ := m[key].(string); v == "" {
		m[key] = value
	}
}
