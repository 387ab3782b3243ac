package admin_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestAddClient(t *testing.T) {
	ctx := context.Background()
	a, s := newAdmin(t)
	c, sec, err := a.AddClient(ctx, admin.NewClient{ID: "web", Name: "Web",
		RedirectURIs: []string{"https://web.example.org/cb", "https://web.example.org/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.GetClient(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if sec == "" || stored.SecretHash != secret.Hash(sec) {
		t.Errorf("secret %q, stored hash %q: want a secret stored as its hash", sec, stored.SecretHash)
	}
	want := storage.Client{ID: "web", Name: "Web", RedirectURIs: []string{"https://web.example.org/cb"},
		GrantTypes:     []string{storage.GrantAuthorizationCode, storage.GrantRefreshToken, storage.GrantClientCredentials},
		RestrictScopes: true, AllowedScopes: scopes.SignIn,
		SecretHash: stored.SecretHash, CreatedAt: now}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("AddClient (-want +got):\n%s", diff)
	}
	e := lastAudit(t, s)
	if e.Type != storage.AuditAdmin || e.ClientID != "web" || !e.Time.Equal(now) {
		t.Errorf("audit = %+v, want an admin event for web at %v", e, now)
	}
	_, _, err = a.AddClient(ctx, admin.NewClient{ID: "web", Name: "Again"})
	wantErr(t, "again", err, `client "web" already exists`, storage.ErrAlreadyExists)
}

func TestAddClientRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    admin.NewClient
		msg  string
	}{
		{"bad id", admin.NewClient{ID: "a b", Name: "A"}, "client ID"},
		{"control character in name", admin.NewClient{ID: "a", Name: "A\x1b]52"}, "--name must not contain control characters"},
		{"http redirect", admin.NewClient{ID: "a", Name: "A", RedirectURIs: []string{"http://app.example.org/cb"}}, "http is allowed only on"},
		{"unknown grant", admin.NewClient{ID: "a", Name: "A", GrantTypes: []string{"implicit"}}, `unknown grant type "implicit"`},
		{"public client credentials", admin.NewClient{ID: "a", Name: "A", Public: true, GrantTypes: []string{storage.GrantClientCredentials}}, "a public client cannot use client_credentials"},
		{"unknown scope", admin.NewClient{ID: "a", Name: "A", Scopes: []string{"uploads:write"}}, "uploads:write"},
		{"no scopes", admin.NewClient{ID: "a", Name: "A", Scopes: []string{}}, "no scopes given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, s := newAdmin(t)
			_, _, err := a.AddClient(context.Background(), tc.c)
			wantErr(t, "AddClient", err, tc.msg, admin.ErrInvalid)
			if _, err := s.GetClient(context.Background(), "a"); err == nil {
				t.Error("the refused client was stored")
			}
			if n := auditCount(t, s); n != 0 {
				t.Errorf("%d audit events, want none", n)
			}
		})
	}
}

func TestCheckRedirectURI(t *testing.T) {
	for _, ok := range []string{
		"https://app.example.org/callback", "https://app.example.org:8443/cb?x=1",
		"http://127.0.0.1/callback", "http://127.0.0.1:9000/cb", "http://[::1]:9000/cb", "http://localhost:3000/cb",
		"http://LocalHost:3000/cb",
	} {
		if err := admin.CheckRedirectURI(ok); err != nil {
			t.Errorf("CheckRedirectURI(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "callback", "https:///cb", "http://127.0.0.2/cb", "http://[::2]/cb", "com.example.app:/cb", "https://a.example.org/#"} {
		if err := admin.CheckRedirectURI(bad); err == nil {
			t.Errorf("CheckRedirectURI(%q) = nil, want an error", bad)
		}
	}
}

func TestSetClientScopesAndDisabled(t *testing.T) {
	ctx := context.Background()
	a, s := newAdmin(t)
	if _, _, err := a.AddClient(ctx, admin.NewClient{ID: "etl", Name: "ETL"}); err != nil {
		t.Fatal(err)
	}
	what, err := a.SetClientScopes(ctx, "etl", []string{"openid", "openid", "email"}, false)
	if err != nil || what != "openid email" {
		t.Errorf("SetClientScopes = %q, %v; want openid email", what, err)
	}
	if what, err = a.SetClientScopes(ctx, "etl", nil, true); err != nil || what != "any scope" {
		t.Errorf("SetClientScopes(unrestricted) = %q, %v; want any scope", what, err)
	}
	if err := a.SetClientDisabled(ctx, "etl", true); err != nil {
		t.Fatal(err)
	}
	c, err := s.GetClient(ctx, "etl")
	if err != nil || !c.Disabled || c.RestrictScopes {
		t.Errorf("client = %+v, %v; want disabled and unrestricted", c, err)
	}
	if e := lastAudit(t, s); e.Detail != "disable client etl" {
		t.Errorf("audit detail = %q, want disable client etl", e.Detail)
	}
	_, err = a.SetClientScopes(ctx, "nope", []string{"openid"}, false)
	wantErr(t, "unknown client", err, `no client "nope"`, storage.ErrNotFound)
	err = a.SetClientDisabled(ctx, storage.CLIClientID, true)
	wantErr(t, "no built-in client", err, "hubauth serve creates it", storage.ErrNotFound)
}
