package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/storage"
)

const (
	tokenExchange   = "urn:ietf:params:oauth:grant-type:token-exchange"
	accessTokenType = "urn:ietf:params:oauth:token-type:access_token"
)

// pipelineClient is a workflow service allowed to act for users at the
// data hub (hubauth admin client add pipeline --grant token-exchange
// --exchange-audience https://data.example.org).
func pipelineClient(id string, audiences ...string) storage.Client {
	return storage.Client{ID: id, Name: "Pipeline " + id, GrantTypes: []string{storage.GrantTokenExchange},
		RestrictScopes: true, AllowedScopes: []string{"openid"}, ExchangeAudiences: audiences}
}

// exchanger is x/oauth2 as an independent client of token exchange: its
// client credentials flow with grant_type overridden (RFC 8693 §2.1), then
// its refresh of what it got.
func exchanger(h *hub, id, sec, subject string, params url.Values) *clientcredentials.Config {
	p := url.Values{"grant_type": {tokenExchange}, "subject_token": {subject}, "subject_token_type": {accessTokenType}}
	for k, v := range params {
		p[k] = v
	}
	return &clientcredentials.Config{ClientID: id, ClientSecret: sec, TokenURL: h.URL + "/oauth/token", EndpointParams: p}
}

// exchangeOnce exchanges a fresh login's token at a hub set up for it.
func exchangeOnce(t *testing.T, h *hub) error {
	h.AddScope(t, "uploads:x", "use uploads")
	if err := h.Store.CreateAPI(t.Context(), storage.API{ID: "dh", URI: "https://dh.example.org", Scopes: []string{"uploads:x"}}); err != nil {
		t.Fatal(err)
	}
	sec := h.AddClient(t, pipelineClient("pipe-once", "https://dh.example.org"))
	h.Clock.Advance(3 * time.Second) // past the scope and API caches
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "uploads:x"))
	cc := exchanger(h, "pipe-once", sec, tok.AccessToken, nil)
	_, err := cc.Token(context.Background())
	return err
}

// sessionList lists the user's sessions at /api/v1/sessions.
func sessionList(t *testing.T, h *hub, token string) []map[string]any {
	t.Helper()
	status, body, _ := h.getJSON(t, "/api/v1/sessions", token)
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/sessions: %d %v", status, body)
	}
	var out []map[string]any
	for _, s := range body["data"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

// act returns a JWT's act claim chain: the acting subjects, outermost first.
func act(c map[string]any) []string {
	var out []string
	for a, _ := c["act"].(map[string]any); a != nil; a, _ = a["act"].(map[string]any) {
		s, _ := a["sub"].(string)
		out = append(out, s)
	}
	return out
}

// TestPipelineActsForAUser: a pipeline exchanges the user's token for one
// for the data hub naming it in act, refreshes it for hours, hands it on
// to a transfer service (act nested), and all of it ends when the user
// logs out: introspection inactive, refresh refused.
func TestPipelineActsForAUser(t *testing.T) {
	h := newAPIHub(t)
	rs := h.AddClient(t, resourceClient)
	pipeSec := h.AddClient(t, pipelineClient("pipeline", dataURI))
	transferSec := h.AddClient(t, pipelineClient("transfer", dataURI))
	user, _ := h.Store.GetUserByUsername(t.Context(), demoUser)
	b := h.newBrowser(t)
	login := h.browserLogin(t, b, h.cliConfig("openid", "offline_access", "uploads:read", "uploads:write"))
	loginSID := claims(t, login.AccessToken)["sid"].(string)

	cc := exchanger(h, "pipeline", pipeSec, login.AccessToken, url.Values{"resource": {dataURI},
		"scope": {"openid uploads:read"}, "requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}})
	got, err := cc.Token(context.Background())
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if got.Extra("issued_token_type") != accessTokenType || got.RefreshToken == "" {
		t.Errorf("issued_token_type %v, refresh token %t; want %s and one", got.Extra("issued_token_type"), got.RefreshToken != "", accessTokenType)
	}
	c := claims(t, got.AccessToken)
	if audOf(c) != dataURI || c["sub"] != user.ID || c["client_id"] != "pipeline" || c["scope"] != "openid uploads:read" ||
		strings.Join(act(c), " ") != "pipeline" || c["sid"] == loginSID {
		t.Errorf("exchanged token claims = %v; want aud %s, sub %s, client pipeline, scope openid uploads:read, act pipeline, its own sid", c, dataURI, user.ID)
	}

	// Without asking, no refresh token, though the subject has offline_access.
	plain, err := exchanger(h, "pipeline", pipeSec, login.AccessToken, url.Values{"resource": {dataURI}}).Token(context.Background())
	if err != nil || plain.RefreshToken != "" {
		t.Errorf("exchange asking no refresh token: %v, refresh token %q; want none", err, plain.RefreshToken)
	}

	// x/oauth2 refreshes it as the pipeline (hours later: many refreshes).
	pipeCfg := &oauth2.Config{ClientID: "pipeline", ClientSecret: pipeSec, Endpoint: oauth2.Endpoint{TokenURL: h.URL + "/oauth/token"}}
	got.Expiry = time.Now().Add(-time.Minute)
	next, err := pipeCfg.TokenSource(context.Background(), got).Token()
	if err != nil {
		t.Fatalf("refresh of the exchanged token: %v", err)
	}
	if c := claims(t, next.AccessToken); audOf(c) != dataURI || strings.Join(act(c), " ") != "pipeline" || c["scope"] != "openid uploads:read" {
		t.Errorf("refreshed exchanged token claims = %v", c)
	}

	if in := h.introspect(t, rs, next.AccessToken); fmt.Sprint(in["act"]) != "map[sub:pipeline]" || in["active"] != true {
		t.Errorf("introspection of the exchanged token: %v, want active with act {sub: pipeline}", in)
	}

	// The pipeline hands on to a transfer service: act nests.
	chain, err := exchanger(h, "transfer", transferSec, next.AccessToken, url.Values{"audience": {"datahub"}}).Token(context.Background())
	if err != nil {
		t.Fatalf("chained exchange: %v", err)
	}
	if c := claims(t, chain.AccessToken); strings.Join(act(c), " ") != "transfer pipeline" || c["scope"] != "openid uploads:read" {
		t.Errorf("chained token claims = %v; want act transfer, then pipeline, no new scope", c)
	}

	// The user's sessions list shows the services acting for them (with
	// a token for the hub: the login's is the data hub's).
	hubToken := h.AccessToken(t, demoUser, demoPassword, "openid profile")
	pipeSID, chainSID := claims(t, next.AccessToken)["sid"], claims(t, chain.AccessToken)["sid"]
	acting := map[any]string{}
	for _, s := range sessionList(t, h, hubToken) {
		if s["acting_for"] != nil {
			acting[s["id"]] = fmt.Sprintf("%v %v %v", s["acting_for"], s["actors"], s["method"])
		}
	}
	want := map[any]string{pipeSID: fmt.Sprintf("%s [pipeline] exchange", loginSID), chainSID: fmt.Sprintf("%s [transfer pipeline] exchange", pipeSID),
		claims(t, plain.AccessToken)["sid"]: fmt.Sprintf("%s [pipeline] exchange", loginSID)}
	if !reflect.DeepEqual(acting, want) {
		t.Errorf("services acting for the user = %v, want %v", acting, want)
	}
	page := b.get(h.URL + "/account")
	for _, s := range []string{"Pipeline pipeline", "acting for you from your hubauth CLI login", "Pipeline transfer",
		"acting for you from your Pipeline pipeline login"} {
		if !strings.Contains(page.Body, s) {
			t.Errorf("account page lacks %q", s)
		}
	}

	// The user logs out (hubauth logout revokes the login's refresh token).
	if s, b, _ := h.postForm(t, "/oauth/revoke", url.Values{"token": {login.RefreshToken}, "client_id": {storage.CLIClientID}}); s != http.StatusOK {
		t.Fatalf("logout: %d %v", s, b)
	}
	for name, tk := range map[string]string{"pipeline's": next.AccessToken, "transfer's": chain.AccessToken} {
		if got := h.introspect(t, rs, tk); got["active"] != false {
			t.Errorf("%s exchanged token after logout: %v, want inactive", name, got)
		}
	}
	next.Expiry = time.Now().Add(-time.Minute)
	if _, err := pipeCfg.TokenSource(context.Background(), next).Token(); retrieveError(err) != "invalid_grant" {
		t.Errorf("pipeline refresh after logout: %v, want invalid_grant", err)
	}
}
