package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

// discoveryDoc is the part of the discovery document the endpoints are
// checked against.
type discoveryDoc struct {
	Scopes            []string `json:"scopes_supported"`
	ResponseTypes     []string `json:"response_types_supported"`
	ResponseModes     []string `json:"response_modes_supported"`
	GrantTypes        []string `json:"grant_types_supported"`
	TokenAuth         []string `json:"token_endpoint_auth_methods_supported"`
	RevocationAuth    []string `json:"revocation_endpoint_auth_methods_supported"`
	IntrospectionAuth []string `json:"introspection_endpoint_auth_methods_supported"`
	CodeChallenge     []string `json:"code_challenge_methods_supported"`
	IDTokenAlgs       []string `json:"id_token_signing_alg_values_supported"`
	Claims            []string `json:"claims_supported"`
	UILocales         []string `json:"ui_locales_supported"`
	RequestParameter  bool     `json:"request_parameter_supported"`
	RequestURI        bool     `json:"request_uri_parameter_supported"`
}

func (h *hub) discovery(t *testing.T) (discoveryDoc, map[string]any) {
	t.Helper()
	_, raw, _ := h.getJSON(t, "/.well-known/openid-configuration", "")
	b, _ := json.Marshal(raw)
	var d discoveryDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d, raw
}

// Every value the discovery document advertises works at its endpoint,
// and the values other software commonly sends that it does not advertise
// are refused there: response types and modes, grant types, client
// authentication methods, PKCE methods, scopes, claims, ID token algorithm.
func TestDiscoveryMatchesEndpoints(t *testing.T) {
	f := newFederation(t) // idp is in the tokens of an upstream sign-in
	h := f.down
	d, raw := h.discovery(t)
	for _, key := range []string{"token_endpoint_auth_signing_alg_values_supported",
		"revocation_endpoint_auth_signing_alg_values_supported", "introspection_endpoint_auth_signing_alg_values_supported"} {
		if v, ok := raw[key]; ok {
			t.Errorf("%s = %v: the hub takes no signed client assertions", key, v)
		}
	}
	if d.RequestParameter || d.RequestURI {
		t.Errorf("request / request_uri parameters advertised: %v %v", d.RequestParameter, d.RequestURI)
	}
	t.Run("response types", func(t *testing.T) { checkResponseTypes(t, h, d) })
	t.Run("response modes", func(t *testing.T) { checkResponseModes(t, h, d) })
	t.Run("grant types", func(t *testing.T) { checkGrantTypes(t, h, d) })
	t.Run("client authentication", func(t *testing.T) { checkClientAuth(t, h, d) })
	t.Run("scopes, claims, algorithms", func(t *testing.T) { checkScopesAndClaims(t, f, d) })
}

// authorizeAs starts an authorization for the CLI client in a browser
// that is already signed in, with PKCE and extra parameters.
func authorizeAs(h *hub, b *browser, extra url.Values) page {
	_, challenge := pkce()
	v := url.Values{"client_id": {"hubauth-cli"}, "response_type": {"code"}, "scope": {"openid"},
		"redirect_uri": {"http://127.0.0.1:5000/callback"}, "state": {"st"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	for k, vs := range extra {
		v[k] = vs
	}
	return b.get(h.URL + "/authorize?" + v.Encode())
}

// answer returns the parameters of the redirect to the application, from
// its query or fragment.
func answer(t *testing.T, p page) (query, fragment url.Values) {
	t.Helper()
	if p.Location == nil {
		t.Fatalf("no redirect to the application: %d %s", p.Status, p.Body)
	}
	fragment, _ = url.ParseQuery(p.Location.Fragment)
	return p.Location.Query(), fragment
}

func signedIn(t *testing.T, h *hub) *browser {
	t.Helper()
	b := h.newBrowser(t)
	h.browserLogin(t, b, h.cliConfig())
	return b
}

// issuedClaims signs in with signIn on the login page, for every
// advertised scope, and returns the claims of the ID token and userinfo.
func issuedClaims(t *testing.T, f *federation, d discoveryDoc, signIn func(*browser, page) page) map[string]any {
	h := f.down
	cfg := h.cliConfig(d.Scopes...)
	b := f.browser()
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "s", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", "n"),
		oauth2.SetAuthURLParam("ui_locales", strings.Join(d.UILocales, " ")))
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, signIn(b, p), "s"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("every advertised scope at once: %v", err)
	}
	if got := strings.Fields(tok.Extra("scope").(string)); !cmp.Equal(sorted(got), sorted(d.Scopes)) {
		t.Errorf("granted scopes %v, want every advertised one %v", got, d.Scopes)
	}
	rawID, _ := tok.Extra("id_token").(string)
	verifierID := oidc.NewVerifier(h.URL, oidc.NewRemoteKeySet(context.Background(), h.URL+"/oauth/jwks"),
		&oidc.Config{ClientID: "hubauth-cli", SupportedSigningAlgs: d.IDTokenAlgs})
	if _, err := verifierID.Verify(context.Background(), rawID); err != nil {
		t.Errorf("ID token with the advertised algorithms %v: %v", d.IDTokenAlgs, err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(rawID, ".")[1])
	claims := map[string]any{}
	json.Unmarshal(payload, &claims)
	_, info, _ := h.getJSON(t, "/userinfo", tok.AccessToken)
	for k, v := range info {
		claims[k] = v
	}
	return claims
}

func checkResponseTypes(t *testing.T, h *hub, d discoveryDoc) {
	b := signedIn(t, h)
	for _, rt := range []string{"code", "token", "id_token", "id_token token", "code id_token", "code token", "none"} {
		q, frag := answer(t, authorizeAs(h, b, url.Values{"response_type": {rt}}))
		switch {
		case slices.Contains(d.ResponseTypes, rt) && q.Get("code") == "":
			t.Errorf("advertised response_type %q: no code (%v %v)", rt, q, frag)
		case !slices.Contains(d.ResponseTypes, rt) && (q.Get("error") != "unsupported_response_type" || q.Get("state") != "st"):
			t.Errorf("response_type %q: %v %v, want error=unsupported_response_type with the state in the query (RFC 6749 §4.1.2.1)", rt, q, frag)
		}
	}
}

func checkResponseModes(t *testing.T, h *hub, d discoveryDoc) {
	b := signedIn(t, h)
	for _, rm := range []string{"query", "fragment", "form_post", "query.jwt", "jwt"} {
		p := authorizeAs(h, b, url.Values{"response_mode": {rm}})
		if !slices.Contains(d.ResponseModes, rm) {
			if q, _ := answer(t, p); q.Get("error") != "invalid_request" {
				t.Errorf("response_mode %q: %d %v, want error=invalid_request", rm, p.Status, p.Location)
			}
			continue
		}
		q, frag := answer(t, p)
		if got := map[string]url.Values{"query": q, "fragment": frag}[rm]; got.Get("code") == "" {
			t.Errorf("advertised response_mode %q: no code there (%v)", rm, p.Location)
		}
	}
	for _, extra := range []url.Values{{"request": {"eyJhbGciOiJub25lIn0.e30."}}, {"request_uri": {"https://evil.example/r"}}} {
		if p := authorizeAs(h, b, extra); p.Location != nil && p.Location.Query().Get("code") != "" {
			t.Errorf("%v: a code, want a refusal (not advertised)", extra)
		}
	}
}

// checkScopesAndClaims signs in with every advertised scope three times,
// with a password, through the upstream and with a password and an
// authenticator code: the claims of both ID tokens and
// userinfo answers together are the advertised ones.
func checkScopesAndClaims(t *testing.T, f *federation, d discoveryDoc) {
	h := f.down
	seen := map[string]bool{}
	for _, signIn := range []func(*browser, page) page{
		func(b *browser, p page) page { return b.login(p, demoUser, demoPassword) },
		f.signIn,
		func(b *browser, p page) page { // a second factor too: acr
			key := withTOTP(t, h)
			defer h.Store.DeleteTOTP(t.Context(), demoID(t, h))
			p = b.login(p, demoUser, demoPassword)
			return b.post("/mfa", url.Values{"code": {totpCode(t, h, key)}})
		},
	} {
		for k := range issuedClaims(t, f, d, signIn) {
			seen[k] = true
		}
	}
	b := signedIn(t, h)
	var got []string
	for k := range seen {
		got = append(got, k)
	}
	if diff := cmp.Diff(sorted(d.Claims), sorted(got)); diff != "" {
		t.Errorf("claims_supported vs the claims of the ID token and userinfo with every scope (-advertised +issued):\n%s", diff)
	}
	for _, sc := range []string{"phone", "address"} {
		q, _ := answer(t, authorizeAs(h, b, url.Values{"scope": {"openid " + sc}}))
		if slices.Contains(d.Scopes, sc) || q.Get("error") != "invalid_scope" {
			t.Errorf("scope %s: %v, want unadvertised and refused with invalid_scope", sc, q)
		}
	}
	for _, m := range []string{"S256", "plain"} {
		_, challenge := pkce()
		q, _ := answer(t, authorizeAs(h, b, url.Values{"code_challenge": {challenge}, "code_challenge_method": {m}}))
		if slices.Contains(d.CodeChallenge, m) != (q.Get("code") != "") {
			t.Errorf("code_challenge_method %s: %v, advertised %v", m, q, slices.Contains(d.CodeChallenge, m))
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
