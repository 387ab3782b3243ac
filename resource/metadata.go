package resource

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// WellKnownMetadataPath is where a protected resource publishes its
// metadata, before the resource identifier's path (RFC 9728 §3).
const WellKnownMetadataPath = "/.well-known/oauth-protected-resource"

// metadataDocument is the API's protected-resource metadata (RFC 9728 §2).
type metadataDocument struct {
	Resource               string   `json:"resource"`
	AuthorizationServers   []string `json:"authorization_servers"`
	ScopesSupported        []string `json:"scopes_supported,omitempty"`
	BearerMethodsSupported []string `json:"bearer_methods_supported"`
	ResourceName           string   `json:"resource_name,omitempty"`
}

// MetadataPath is the path at which Metadata is mounted on the API's
// host: WellKnownMetadataPath followed by Config.URL's path (RFC 9728
// §3.1), "/.well-known/oauth-protected-resource" for an API at the root
// of its host. Empty without Config.URL.
func (m *Middleware) MetadataPath() string {
	if m.cfg.URL == "" {
		return ""
	}
	u, _ := url.Parse(m.cfg.URL) // checked by New
	return metadataPath(u)
}

// metadataPath is the well-known path for the resource identifier u. A
// path of "/" counts as none.
func metadataPath(u *url.URL) string {
	if u.EscapedPath() == "/" {
		return WellKnownMetadataPath
	}
	return WellKnownMetadataPath + u.EscapedPath()
}

// MetadataURL is the absolute URL of the API's metadata, named in the
// resource_metadata parameter of its challenges. Empty without Config.URL.
func (m *Middleware) MetadataURL() string { return metadataURL(m.cfg.URL) }

// metadataURL is the metadata's URL for the resource identifier resource
// (RFC 9728 §3.1); empty for none.
func metadataURL(resource string) string {
	if resource == "" {
		return ""
	}
	u, _ := url.Parse(resource) // checked by New
	return u.Scheme + "://" + u.Host + metadataPath(u)
}

// Metadata returns the handler of the API's protected-resource metadata
// (RFC 9728 §2): its resource (Config.URL), the issuer as its one
// authorization server, Config.Scopes as scopes_supported, the
// Authorization header as its one bearer method, and Config.Name as
// resource_name. Clients find it at MetadataURL, which every 401 names
// (resource_metadata); `hubauth login --for URL` reads it to find the hub.
// Mount it where anonymous requests reach it, outside Handler:
//
//	mux.Handle("GET "+auth.MetadataPath(), auth.Metadata())
//	mux.Handle("/", auth.Handler(api))
//
// It panics without Config.URL: metadata without a resource means nothing.
func (m *Middleware) Metadata() http.Handler {
	if m.cfg.URL == "" {
		panic("resource: Metadata needs Config.URL, the API's public URL")
	}
	doc, _ := json.Marshal(metadataDocument{
		Resource: m.cfg.URL, AuthorizationServers: []string{m.issuer}, ScopesSupported: m.cfg.Scopes,
		BearerMethodsSupported: []string{"header"}, ResourceName: m.cfg.Name,
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeBody(w, http.StatusMethodNotAllowed, "invalid_request", "the metadata is read with GET")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("Access-Control-Allow-Origin", "*") // public, and read by browser clients too
		w.Write(doc)
	})
}

// authParams are what every Bearer challenge of a Middleware names: its
// realm (RFC 6750 §3) and, when the API has a URL, the URL of its
// metadata (RFC 9728 §5.1).
type authParams struct{ realm, metadata string }
