package provider_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/provider"
)

func TestDiscovery(t *testing.T) {
	o := newServer(t)
	req, _ := http.NewRequest("GET", o.url+"/.well-known/openid-configuration", nil)
	status, _, doc := o.send(t, req)
	if status != http.StatusOK || doc["issuer"] != o.url || doc["token_endpoint"] != o.url+provider.PathToken ||
		doc["device_authorization_endpoint"] != o.url+provider.PathDevice {
		t.Errorf("discovery = %d %v", status, doc)
	}
}

func TestClientCredentials(t *testing.T) {
	o := newServer(t)
	cc := clientcredentials.Config{ClientID: "svc", ClientSecret: svcSecret, TokenURL: o.url + provider.PathToken, Scopes: []string{"users:read"}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatalf("client credentials: %v", err)
	}
	p, err := o.bearer.Verify(t.Context(), tok.AccessToken)
	if err != nil || p.Subject != "svc" || p.ClientID != "svc" || p.User != nil || !p.HasScope("users:read") {
		t.Fatalf("service token = %+v, %v; want svc's own token with users:read", p, err)
	}

	introspect := func() map[string]any {
		_, _, body := o.post(t, provider.PathIntrospect, url.Values{"token": {tok.AccessToken}}, "svc", svcSecret)
		return body
	}
	if got := introspect(); got["active"] != true || got["client_id"] != "svc" {
		t.Errorf("introspection = %v, want active", got)
	}
	if status, _, body := o.post(t, provider.PathRevoke, url.Values{"token": {tok.AccessToken}}, "svc", svcSecret); status != http.StatusOK {
		t.Fatalf("revoke = %d %v", status, body)
	}
	if got := introspect(); got["active"] != false {
		t.Errorf("introspection after revocation = %v, want inactive", got)
	}
	if _, err := o.bearer.Verify(t.Context(), tok.AccessToken); !errors.Is(err, bearer.ErrInvalidToken) {
		t.Errorf("revoked token verifies: %v", err)
	}
}

func TestClientAuthenticationRefused(t *testing.T) {
	o := newServer(t)
	form := url.Values{"grant_type": {"client_credentials"}}
	for _, tc := range []struct {
		name, user, pass string
		status           int
		code             string
	}{
		{"wrong secret", "svc", "nope", http.StatusUnauthorized, "invalid_client"},
		{"unknown client", "ghost", svcSecret, http.StatusUnauthorized, "invalid_client"},
		{"public client", "cli", "", http.StatusUnauthorized, "invalid_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, header, body := o.post(t, provider.PathToken, form, tc.user, tc.pass)
			if status != tc.status || body["error"] != tc.code {
				t.Errorf("token = %d %v, want %d %s", status, body, tc.status, tc.code)
			}
			if got := header.Get("WWW-Authenticate"); got != `Basic realm="hubauth"` {
				t.Errorf("WWW-Authenticate = %q, want the Basic challenge (RFC 6749 §5.2)", got)
			}
		})
	}
	if status, _, body := o.post(t, provider.PathToken, url.Values{"grant_type": {"client_credentials"}, "scope": {"nope:nope"}}, "svc", svcSecret); status != http.StatusBadRequest || body["error"] != "invalid_scope" {
		t.Errorf("unknown scope = %d %v, want 400 invalid_scope", status, body)
	}
}
