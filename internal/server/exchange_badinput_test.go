package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestTokenExchangeBadInput: each refusal with its RFC 8693 / RFC 6749
// error, audited; nothing exchanged.
func TestTokenExchangeBadInput(t *testing.T) {
	h := newAPIHub(t)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	svcSec := h.AddClient(t, storage.Client{ID: "svc", Name: "Service", GrantTypes: []string{"client_credentials"}})
	h.AddClient(t, storage.Client{ID: "public-app", Name: "Public", Public: true, GrantTypes: []string{storage.GrantTokenExchange}})
	h.Clock.Advance(-20 * time.Minute) // issued 20 minutes ago: expired 5 minutes ago
	expired := h.AccessToken(t, demoUser, demoPassword, "openid uploads:read")
	h.Clock.Advance(20 * time.Minute)
	login := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "offline_access", "uploads:read"))
	id, _ := login.Extra("id_token").(string)
	other := hubtest.New(t, hubtest.WithUser(demoUser, demoPassword), hubtest.WithScope("uploads:read", "x"))
	foreign := other.AccessToken(t, demoUser, demoPassword, "openid uploads:read")
	service := h.PostForm(t, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"},
		"client_secret": {svcSec}, "scope": {"uploads:read"}})["access_token"].(string)

	base := url.Values{"grant_type": {tokenExchange}, "subject_token": {login.AccessToken},
		"subject_token_type": {accessTokenType}, "resource": {dataURI}}
	with := func(edit func(url.Values)) url.Values {
		v := cloneValues(base)
		edit(v)
		return v
	}
	for _, tt := range []struct {
		name   string
		client string
		sec    string
		form   url.Values
		status int
		code   string
	}{
		{"client without the grant", "svc", svcSec, base, http.StatusBadRequest, "unauthorized_client"},
		{"public client", "public-app", "", base, http.StatusBadRequest, "unauthorized_client"},
		{"actor token", "pipeline", pipeSec, with(func(v url.Values) {
			v.Set("actor_token", login.AccessToken)
			v.Set("actor_token_type", accessTokenType)
		}), http.StatusBadRequest, "invalid_request"},
		{"ID token named as one", "pipeline", pipeSec, with(func(v url.Values) {
			v.Set("subject_token", id)
			v.Set("subject_token_type", "urn:ietf:params:oauth:token-type:id_token")
		}), http.StatusBadRequest, "invalid_grant"},
		{"ID token as an access token", "pipeline", pipeSec, with(func(v url.Values) { v.Set("subject_token", id) }), http.StatusBadRequest, "invalid_grant"},
		{"another hub's token", "pipeline", pipeSec, with(func(v url.Values) { v.Set("subject_token", foreign) }), http.StatusBadRequest, "invalid_grant"},
		{"expired", "pipeline", pipeSec, with(func(v url.Values) { v.Set("subject_token", expired) }), http.StatusBadRequest, "invalid_grant"},
		{"garbage", "pipeline", pipeSec, with(func(v url.Values) { v.Set("subject_token", "x.y.z") }), http.StatusBadRequest, "invalid_grant"},
		{"a service account's token", "pipeline", pipeSec, with(func(v url.Values) { v.Set("subject_token", service) }), http.StatusBadRequest, "invalid_grant"},
		{"API not allowed", "pipeline", pipeSec, with(func(v url.Values) { v.Set("resource", computeURI) }), http.StatusBadRequest, "invalid_target"},
		{"unknown API", "pipeline", pipeSec, with(func(v url.Values) { v.Set("resource", "https://evil.example.org") }), http.StatusBadRequest, "invalid_target"},
		{"two APIs", "pipeline", pipeSec, with(func(v url.Values) { v.Add("audience", "compute") }), http.StatusBadRequest, "invalid_target"},
		{"an API's ID as resource", "pipeline", pipeSec, with(func(v url.Values) { v.Set("resource", "datahub") }), http.StatusBadRequest, "invalid_target"},
		{"a scope the subject lacks", "pipeline", pipeSec, with(func(v url.Values) { v.Set("scope", "openid uploads:write") }), http.StatusBadRequest, "invalid_scope"},
		{"a token type it cannot issue", "pipeline", pipeSec, with(func(v url.Values) {
			v.Set("requested_token_type", "urn:ietf:params:oauth:token-type:id_token")
		}), http.StatusBadRequest, "invalid_request"},
		{"a SAML subject", "pipeline", pipeSec, with(func(v url.Values) {
			v.Set("subject_token_type", "urn:ietf:params:oauth:token-type:saml2")
		}), http.StatusBadRequest, "invalid_request"},
		{"wrong secret", "pipeline", "nope", base, http.StatusUnauthorized, "invalid_client"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := cloneValues(tt.form)
			form.Set("client_id", tt.client)
			if tt.sec != "" {
				form.Set("client_secret", tt.sec)
			}
			status, body, _ := h.postForm(t, "/oauth/token", form)
			if status != tt.status || body["error"] != tt.code {
				t.Errorf("%d %v, want %d %s", status, body, tt.status, tt.code)
			}
			// Audited whoever refused it (the library or the hub), with
			// the client and the error code.
			events, err := h.Store.ListAudit(t.Context(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || events[0].Type != storage.AuditTokenExchangeRefused || events[0].ClientID != tt.client ||
				!strings.HasPrefix(events[0].Detail, tt.code+": ") {
				t.Errorf("last audit event %+v, want %s by %s with %s", events, storage.AuditTokenExchangeRefused, tt.client, tt.code)
			}
		})
	}
	events, err := h.Store.ListAudit(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, e := range events {
		switch e.Type {
		case storage.AuditTokenExchange:
			t.Errorf("an exchange was made: %+v", e)
		case storage.AuditTokenExchangeRefused:
			refused++
		}
	}
	// Every refusal, once.
	if refused != 17 {
		t.Errorf("%d refusals audited, want 17", refused)
	}

}

// TestExchangedTokensEndWithTheUser: disabling the user, or revoking the
// exchanged session alone, ends the exchanged tokens.
func TestExchangedTokensEndWithTheUser(t *testing.T) {
	h := newAPIHub(t)
	rs := h.AddClient(t, resourceClient)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	var loginRT string // the last exchange's login's refresh token
	exchange := func() (access, refreshToken, sid string) {
		login := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "offline_access", "uploads:read"))
		loginRT = login.RefreshToken
		got, err := exchanger(h, "pipeline", pipeSec, login.AccessToken, url.Values{"scope": {"openid offline_access uploads:read"}}).Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return got.AccessToken, got.RefreshToken, claims(t, got.AccessToken)["sid"].(string)
	}
	pipeRefresh := func(rt string) string {
		status, body, _ := h.postForm(t, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {"pipeline"}, "client_secret": {pipeSec}})
		if status == http.StatusOK {
			return ""
		}
		e, _ := body["error"].(string)
		return e
	}

	t.Run("revoking the acting service's session", func(t *testing.T) {
		access, rt, sid := exchange()
		req, _ := http.NewRequest(http.MethodDelete, h.URL+"/api/v1/sessions/"+sid, nil)
		req.Header.Set("Authorization", "Bearer "+h.AccessToken(t, demoUser, demoPassword, "openid profile"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("DELETE /api/v1/sessions/%s: %v %v", sid, resp.Status, err)
		}
		resp.Body.Close()
		if got := h.introspect(t, rs, access); got["active"] != false {
			t.Errorf("introspection after the revocation: %v", got)
		}
		if e := pipeRefresh(rt); e != "invalid_grant" {
			t.Errorf("refresh after the revocation: %q, want invalid_grant", e)
		}
	})
	t.Run("the login's refresh token reused", func(t *testing.T) {
		access, rt, _ := exchange()
		if _, e := refresh(t, h, loginRT); e != "" {
			t.Fatalf("refresh of the login: %s", e)
		}
		h.Clock.Advance(11 * time.Second) // past the reuse grace window
		if _, e := refresh(t, h, loginRT); e != "invalid_grant" {
			t.Fatalf("reuse: %q, want invalid_grant", e)
		}
		if got := h.introspect(t, rs, access); got["active"] != false {
			t.Errorf("introspection after the login's reuse: %v", got)
		}
		if e := pipeRefresh(rt); e != "invalid_grant" {
			t.Errorf("refresh after the login's reuse: %q, want invalid_grant", e)
		}
	})
	t.Run("disabling the user", func(t *testing.T) {
		access, rt, _ := exchange()
		h.disableUser(t, demoUser)
		h.Clock.Advance(6 * time.Second) // past the user cache
		if got := h.introspect(t, rs, access); got["active"] != false {
			t.Errorf("introspection after disabling the user: %v", got)
		}
		if e := pipeRefresh(rt); e != "invalid_grant" {
			t.Errorf("refresh after disabling the user: %q, want invalid_grant", e)
		}
	})
}
