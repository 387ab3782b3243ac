package client

import (
	"net/url"
	"testing"
)

// FuzzParseResourceMetadata feeds arbitrary documents to the metadata
// parser: it never panics, and what it accepts names the resource asked
// for and only absolute http(s) authorization servers.
func FuzzParseResourceMetadata(f *testing.F) {
	f.Add([]byte(`{"resource":"https://data.example.org","authorization_servers":["https://auth.example.org"]}`), "https://data.example.org")
	f.Add([]byte(`{"resource":"https://data.example.org/","authorization_servers":["http://127.0.0.1:8080"],"scopes_supported":["a"]}`), "https://data.example.org")
	f.Add([]byte(`{"resource":"https://evil.example.org","authorization_servers":["https://auth.example.org"]}`), "https://data.example.org")
	f.Add([]byte(`{"resource":"x","authorization_servers":[]}`), "x")
	f.Add([]byte(`[]`), "")
	f.Fuzz(func(t *testing.T, body []byte, resource string) {
		m, err := parseResourceMetadata(body, resource)
		if err != nil {
			return
		}
		if !sameResource(m.Resource, resource) || len(m.AuthorizationServers) == 0 {
			t.Fatalf("accepted %+v for %q", m, resource)
		}
		for _, as := range m.AuthorizationServers {
			if u, err := url.Parse(as); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("accepted authorization server %q", as)
			}
		}
	})
}
