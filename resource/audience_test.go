package resource_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/resource"
)

// apiURL is the test API's public URL: its resource identifier.
const apiURL = "https://data.example.org"

func TestAudienceChecked(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	aud := func(aud ...string) string {
		return f.hub("JWT", func(c map[string]any) { c["aud"] = aud })
	}
	for _, tc := range []struct {
		name  string
		cfg   resource.Config
		token string
		want  int
		desc  string // in error_description
	}{
		{"the API's URL", resource.Config{URL: apiURL}, aud(apiURL), http.StatusOK, ""},
		{"aud as one string", resource.Config{URL: apiURL}, f.hub("JWT", func(c map[string]any) { c["aud"] = apiURL }), http.StatusOK, ""},
		{"among others", resource.Config{URL: apiURL}, aud("https://other.example.org", apiURL), http.StatusOK, ""},
		{"a client id (hub token)", resource.Config{URL: apiURL}, h.accessToken(t, ""), http.StatusUnauthorized, "meant for 'hubauth-cli', not for this API ('" + apiURL + "')"},
		{"another API", resource.Config{URL: apiURL}, aud("https://other.example.org"), http.StatusUnauthorized, "ask the hub for a token for this API (resource=" + apiURL + ")"},
		{"a prefix of the URL", resource.Config{URL: apiURL + "/v2"}, aud(apiURL), http.StatusUnauthorized, "not for this API"},
		{"no aud", resource.Config{URL: apiURL}, f.hub("JWT", func(c map[string]any) { delete(c, "aud") }), http.StatusUnauthorized, "names no audience"},
		{"listed audiences", resource.Config{URL: apiURL, Audience: []string{"urn:a", "urn:b"}}, aud("urn:b"), http.StatusOK, ""},
		{"Audience replaces URL", resource.Config{URL: apiURL, Audience: []string{"urn:a"}}, aud(apiURL), http.StatusUnauthorized, "'urn:a'"},
		{"AnyAudience", resource.Config{AnyAudience: true}, h.accessToken(t, ""), http.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMiddleware(t, h, tc.cfg)
			got := call(t, m.Handler(whoami), bearer(tc.token))
			if got.Status != tc.want || !strings.Contains(got.Desc, tc.desc) {
				t.Errorf("got %+v, want %d with %q", got, tc.want, tc.desc)
			}
			if tc.want == http.StatusUnauthorized && (got.Error != "invalid_token" || !strings.Contains(got.Challenge, `error="invalid_token"`)) {
				t.Errorf("got %+v, want invalid_token in body and challenge", got)
			}
		})
	}
}

func TestPersonalTokensAndTheAudience(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	pat := h.personalToken(t, "")
	for _, tc := range []struct {
		name string
		cfg  resource.Config
		want int
	}{
		{"accepted by any API of the hub", resource.Config{URL: apiURL, ClientID: id, ClientSecret: sec}, http.StatusOK},
		{"refused when the API opts out", resource.Config{URL: apiURL, ClientID: id, ClientSecret: sec, RefusePersonalTokens: true}, http.StatusUnauthorized},
		{"refused with AnyAudience too", resource.Config{AnyAudience: true, ClientID: id, ClientSecret: sec, RefusePersonalTokens: true}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMiddleware(t, h, tc.cfg)
			got := call(t, m.Handler(whoami), bearer(pat))
			if got.Status != tc.want {
				t.Fatalf("got %+v, want %d", got, tc.want)
			}
			if got.Status == http.StatusOK && got.Caller.TokenKind != resource.TokenKindPersonal {
				t.Errorf("caller %+v, want a personal token", got.Caller)
			}
			if got.Status != http.StatusOK && !strings.Contains(got.Desc, "personal tokens are not accepted") {
				t.Errorf("description %q, want personal tokens are not accepted", got.Desc)
			}
		})
	}
}

func TestAcceptJWTAudience(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	bare := func(edit func(map[string]any)) string { // a provider's access token marked by its audience only
		return f.hub("JWT", func(c map[string]any) {
			c["aud"] = apiURL
			delete(c, "scope")
			if edit != nil {
				edit(c)
			}
		})
	}
	on := resource.Config{URL: apiURL, AcceptJWTAudience: true}
	for _, tc := range []struct {
		name   string
		cfg    resource.Config
		token  string
		want   int
		scopes []string
	}{
		{"aud is the API", on, bare(nil), http.StatusOK, nil},
		{"scp as a list", on, bare(func(c map[string]any) { c["scp"] = []string{"uploads:read", "uploads:write"} }), http.StatusOK, []string{"uploads:read", "uploads:write"}},
		{"scp without AcceptJWTAudience", resource.Config{URL: apiURL}, bare(func(c map[string]any) { c["scp"] = "uploads:read" }), http.StatusOK, []string{"uploads:read"}},
		{"scope wins over scp", on, bare(func(c map[string]any) { c["scope"], c["scp"] = "a", []string{"b"} }), http.StatusOK, []string{"a"}},
		{"off by default", resource.Config{URL: apiURL}, bare(nil), http.StatusUnauthorized, nil},
		{"an ID token's nonce", on, bare(func(c map[string]any) { c["nonce"] = "n" }), http.StatusUnauthorized, nil},
		{"an ID token's at_hash", on, bare(func(c map[string]any) { c["at_hash"] = "h" }), http.StatusUnauthorized, nil},
		{"another audience", on, bare(func(c map[string]any) { c["aud"] = "https://other.example.org" }), http.StatusUnauthorized, nil},
		// ID tokens from the code flow need not carry nonce or at_hash.
		{"a Keycloak ID token (typ ID)", on, bare(func(c map[string]any) { c["typ"] = "ID" }), http.StatusUnauthorized, nil},
		{"an ID token for the API's client (azp, one aud)", on, bare(func(c map[string]any) { c["azp"] = apiURL }), http.StatusUnauthorized, nil},
		{"an ID token for the API's client among others", on, bare(func(c map[string]any) { c["aud"], c["azp"] = []string{apiURL, "web"}, apiURL }), http.StatusUnauthorized, nil},
		{"issued to another client (azp)", on, bare(func(c map[string]any) { c["azp"] = "web" }), http.StatusOK, nil},
		{"a Keycloak access token (typ Bearer)", on, bare(func(c map[string]any) { c["typ"], c["azp"] = "Bearer", "web" }), http.StatusOK, nil},
		{"at+jwt for the API's client", on, f.hub("at+jwt", func(c map[string]any) { c["aud"], c["azp"] = apiURL, apiURL; delete(c, "scope") }), http.StatusOK, nil},
		{"the hub's ID token", resource.Config{Audience: []string{"hubauth-cli"}, AcceptJWTAudience: true}, h.idToken(t), http.StatusUnauthorized, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMiddleware(t, h, tc.cfg)
			got := call(t, m.Handler(whoami), bearer(tc.token))
			if got.Status != tc.want {
				t.Fatalf("got %+v, want %d", got, tc.want)
			}
			if got.Status == http.StatusOK && !slices.Equal(got.Caller.Scopes, tc.scopes) {
				t.Errorf("scopes %q, want %q", got.Caller.Scopes, tc.scopes)
			}
		})
	}
}

func TestNewRefusesAudienceConfigs(t *testing.T) {
	h := newHub(t)
	for _, tc := range []struct {
		name string
		cfg  resource.Config
		want string
	}{
		{"no audience", resource.Config{}, "resource: no audience: set Config.URL"},
		{"URL not absolute", resource.Config{URL: "data.example.org"}, "must be an absolute http(s) URL"},
		{"URL with a fragment", resource.Config{URL: apiURL + "#x"}, "must be an absolute http(s) URL"},
		{"empty audience", resource.Config{Audience: []string{""}}, "empty value"},
		{"AnyAudience and Audience", resource.Config{AnyAudience: true, Audience: []string{apiURL}}, "contradict"},
		{"AcceptJWTAudience and AnyAudience", resource.Config{AnyAudience: true, AcceptJWTAudience: true}, "needs an audience"},
		{"AcceptJWTAudience and the API's own client", resource.Config{Audience: []string{"datahub"}, ClientID: "datahub", ClientSecret: "s", AcceptJWTAudience: true}, "ID tokens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Issuer = h.URL
			_, err := resource.New(context.Background(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := resource.New(context.Background(), resource.Config{Issuer: h.URL}); !errors.Is(err, resource.ErrNoAudience) {
		t.Errorf("New without an audience: %v, want ErrNoAudience", err)
	}
}

// TestHubTokensForTheAPI: at a hub where the API is registered (hubauth
// admin api add), the hub's tokens for its scopes carry its URL as aud and
// pass; the same user's token for the hub's CLI (aud hubauth-cli) does
// not.
func TestHubTokensForTheAPI(t *testing.T) {
	h := newHub(t)
	h.AddScope(t, "uploads:read", "see your uploads")
	if _, err := admin.New(h.Store, time.Now, nil).AddAPI(t.Context(), admin.NewAPI{ID: "datahub", URI: apiURL,
		Name: "Data hub", Scopes: []string{"uploads:read"}}); err != nil {
		t.Fatal(err)
	}
	m := newMiddleware(t, h, resource.Config{URL: apiURL})
	got := call(t, m.Handler(whoami), bearer(h.accessToken(t, "openid uploads:read")))
	if got.Status != http.StatusOK || !slices.Equal(got.Caller.Scopes, []string{"openid", "uploads:read"}) {
		t.Errorf("the hub's token for the API: %+v, want 200 with openid uploads:read", got)
	}
	got = call(t, m.Handler(whoami), bearer(h.accessToken(t, "openid profile")))
	if got.Status != http.StatusUnauthorized || !strings.Contains(got.Desc, "meant for 'hubauth-cli'") {
		t.Errorf("the hub's token for its CLI: %+v, want 401 naming hubauth-cli", got)
	}
}
