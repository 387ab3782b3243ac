package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/resource"
)

// protectedAPI starts a data API on resource at path under a test
// server, with its metadata, and returns its resource identifier.
func protectedAPI(t *testing.T, issuer, path string) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	id := "http://" + ts.Listener.Addr().String() + path
	auth, err := resource.New(context.Background(), resource.Config{Issuer: issuer, URL: id, Scopes: []string{"uploads:read"}, Name: "Data hub"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+auth.MetadataPath(), auth.Metadata())
	mux.Handle("/", auth.Handler(http.NotFoundHandler()))
	ts.Config.Handler = mux
	ts.Start()
	t.Cleanup(ts.Close)
	return id
}

func TestDiscoverResource(t *testing.T) {
	h := hubtest.New(t)
	for _, tc := range []struct{ name, path string }{
		{"well-known at the root", ""},
		{"well-known before the path", "/data/v1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := protectedAPI(t, h.URL, tc.path)
			m, err := client.DiscoverResource(t.Context(), id, client.DiscoverOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Resource != id || len(m.AuthorizationServers) != 1 || m.AuthorizationServers[0] != h.URL || m.ResourceName != "Data hub" ||
				strings.Join(m.ScopesSupported, " ") != "uploads:read" || strings.Join(m.BearerMethodsSupported, " ") != "header" {
				t.Errorf("metadata %+v", m)
			}
		})
	}
	t.Run("trailing slash", func(t *testing.T) {
		id := protectedAPI(t, h.URL, "")
		if m, err := client.DiscoverResource(t.Context(), id+"/", client.DiscoverOptions{}); err != nil || m.Resource != id {
			t.Errorf("%+v, %v", m, err)
		}
	})
}

// TestDiscoverResourceFrom401 is an API that publishes its metadata
// elsewhere than the well-known URL and names it in its 401 (RFC 9728 §5).
func TestDiscoverResourceFrom401(t *testing.T) {
	ts := httptest.NewServer(nil)
	t.Cleanup(ts.Close)
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api"):
			w.Header().Set("WWW-Authenticate", `Bearer realm="x", resource_metadata="`+ts.URL+`/meta"`)
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/meta":
			w.Write([]byte(`{"resource":"` + ts.URL + `/api","authorization_servers":["https://auth.example.org"]}`))
		default:
			http.NotFound(w, r)
		}
	})
	m, err := client.DiscoverResource(t.Context(), ts.URL+"/api", client.DiscoverOptions{})
	if err != nil || m.AuthorizationServers[0] != "https://auth.example.org" {
		t.Fatalf("%+v, %v", m, err)
	}
	// The same metadata asked for another resource of the server: refused.
	if _, err := client.DiscoverResource(t.Context(), ts.URL+"/api/v2", client.DiscoverOptions{}); err == nil || !strings.Contains(err.Error(), "refused (RFC 9728 §3.3)") {
		t.Errorf("metadata naming another resource: %v, want refused", err)
	}
}

// metadataServer answers the well-known URL with body and status.
func metadataServer(t *testing.T, status int, body func(url string) string) string {
	t.Helper()
	ts := httptest.NewServer(nil)
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("DiscoverResource sent credentials")
		}
		if r.URL.Path != "/.well-known/oauth-protected-resource" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(body(ts.URL)))
	})
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestDiscoverResourceRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   func(url string) string
		want   string
	}{
		{"another resource", 200, func(string) string {
			return `{"resource":"https://evil.example.org","authorization_servers":["https://auth.evil.example.org"]}`
		}, `names the resource "https://evil.example.org": refused (RFC 9728 §3.3)`},
		{"no resource", 200, func(string) string { return `{"authorization_servers":["https://auth.example.org"]}` }, "refused"},
		{"no authorization server", 200, func(u string) string { return `{"resource":"` + u + `"}` }, "names no authorization server"},
		{"authorization server not a URL", 200, func(u string) string {
			return `{"resource":"` + u + `","authorization_servers":["javascript:alert(1)"]}`
		}, "not an http(s) URL"},
		{"not JSON", 200, func(string) string { return `<html>` }, "not a JSON object"},
		{"no metadata", 404, func(string) string { return `` }, "publishes no protected-resource metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := metadataServer(t, tc.status, tc.body)
			_, err := client.DiscoverResource(t.Context(), u, client.DiscoverOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	for name, u := range map[string]string{"not absolute": "data.example.org", "fragment": "https://data.example.org#x", "user info": "https://a:b@data.example.org"} {
		if _, err := client.DiscoverResource(t.Context(), u, client.DiscoverOptions{}); err == nil || !strings.Contains(err.Error(), "not an API's URL") {
			t.Errorf("%s: %v, want not an API's URL", name, err)
		}
	}
	if _, err := client.DiscoverResource(t.Context(), "http://data.example.org", client.DiscoverOptions{}); !errors.Is(err, client.ErrInsecureHTTP) {
		t.Errorf("plain http to another host: %v, want ErrInsecureHTTP", err)
	}
	u := metadataServer(t, 404, func(string) string { return "" })
	if _, err := client.DiscoverResource(t.Context(), u, client.DiscoverOptions{}); !errors.Is(err, client.ErrNoResourceMetadata) {
		t.Errorf("no metadata: %v, want ErrNoResourceMetadata", err)
	}
}

// TestDiscoverResourceNoRedirects: a well-known URL or API that redirects
// elsewhere (another host, plain http) is not followed, and the caller's
// client is left as it was.
func TestDiscoverResourceNoRedirects(t *testing.T) {
	h := hubtest.New(t)
	elsewhere := httptest.NewServer(nil)
	t.Cleanup(elsewhere.Close)
	api := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/meta", http.StatusFound))
	t.Cleanup(api.Close)
	var asked bool
	elsewhere.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = true
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"resource":"` + api.URL + `","authorization_servers":["` + h.URL + `"]}`))
	})
	hc := &http.Client{}
	_, err := client.DiscoverResource(t.Context(), api.URL, client.DiscoverOptions{HTTPClient: hc})
	if !errors.Is(err, client.ErrNoResourceMetadata) || asked {
		t.Errorf("DiscoverResource through a redirect: %v, redirect followed %v; want ErrNoResourceMetadata and not followed", err, asked)
	}
	if hc.CheckRedirect != nil {
		t.Error("the caller's client was changed")
	}
}
