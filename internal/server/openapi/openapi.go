// Package openapi serves the OpenAPI 3.1 document of the hub's /api/v1
// (GET /api/v1/openapi.json) and gives it to the API dashboard.
//
// The document is written by hand in openapi.json, embedded in the binary;
// at start it gets the hub's issuer as its server, the OAuth 2.0 flows'
// URLs absolute on the issuer and the scopes the hub grants. Tests hold it
// against the routes of the hub's mux and validate every request and
// response of the API tests against it (internal/hubtest), so it cannot
// drift from what the hub serves.
package openapi

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hubauth/hubauth/internal/server/scopes"
)

// Path is where the hub serves the document.
const Path = "/api/v1/openapi.json"

//go:embed openapi.json
var source []byte

// document is the top level of openapi.json, its fields in the order the
// document is served; decoding refuses any other field, so that nothing in
// the file is silently dropped.
type document struct {
	OpenAPI    string          `json:"openapi"`
	Info       json.RawMessage `json:"info"`
	Servers    []server        `json:"servers"`
	Tags       json.RawMessage `json:"tags,omitempty"`
	Paths      json.RawMessage `json:"paths"`
	Components components      `json:"components"`
}

type server struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

type components struct {
	Schemas         json.RawMessage            `json:"schemas,omitempty"`
	Responses       json.RawMessage            `json:"responses,omitempty"`
	SecuritySchemes map[string]*securityScheme `json:"securitySchemes"`
}

type securityScheme struct {
	Type        string           `json:"type"`
	Description string           `json:"description,omitempty"`
	Scheme      string           `json:"scheme,omitempty"`
	Flows       map[string]*flow `json:"flows,omitempty"`
}

// flow is an OAuth 2.0 flow: its URLs are written relative to the issuer.
type flow struct {
	AuthorizationURL string            `json:"authorizationUrl,omitempty"`
	TokenURL         string            `json:"tokenUrl,omitempty"`
	RefreshURL       string            `json:"refreshUrl,omitempty"`
	Scopes           map[string]string `json:"scopes"`
}

// Document returns the document for a hub at issuer (its public base URL,
// e.g. https://hub.example.org): the issuer as the only server, the OAuth
// 2.0 URLs absolute on it, and the hub's own scopes in each flow.
func Document(issuer string) ([]byte, error) {
	issuer = strings.TrimSuffix(issuer, "/")
	var doc document
	dec := json.NewDecoder(bytes.NewReader(source))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("openapi: read openapi.json: %w", err)
	}
	doc.Servers = []server{{URL: issuer, Description: "this hub"}}
	granted := map[string]string{}
	for _, s := range scopes.NewSet(nil).All() {
		granted[s.Name] = s.Description
	}
	for _, s := range doc.Components.SecuritySchemes {
		for _, f := range s.Flows {
			f.AuthorizationURL, f.TokenURL, f.RefreshURL = absolute(issuer, f.AuthorizationURL), absolute(issuer, f.TokenURL), absolute(issuer, f.RefreshURL)
			f.Scopes = granted
		}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: write the document: %w", err)
	}
	return append(out, '\n'), nil
}

// absolute puts a path of the hub on issuer; empty stays empty.
func absolute(issuer, path string) string {
	if path == "" {
		return ""
	}
	return issuer + path
}

// etag is a strong entity tag of body.
func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}
