package upstream_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestBindingCookie: the cookie binding a sign-in to the browser is
// host-only on the whole site: __Host- prefixed, Path=/, when Secure.
func TestBindingCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "secure"}[secure], func(t *testing.T) {
			fx := newFixture(t)
			rg := newRig(t, func(c *upstream.Config) { c.SecureCookies = secure })
			rg.addProvider(storage.IdentityProvider{Name: "fx", Issuer: fx.URL, ClientID: fx.ClientID, ClientSecret: fx.Secret})
			req := httptest.NewRequest(http.MethodGet, rg.URL+"/begin/fx", nil)
			w := httptest.NewRecorder()
			if _, err := rg.Fed.Begin(w, req, "fx", upstream.Continuation{}); err != nil {
				t.Fatal(err)
			}
			cs := w.Result().Cookies()
			if len(cs) != 1 {
				t.Fatalf("cookies = %v", cs)
			}
			c := cs[0]
			prefix := map[bool]string{false: "hubauth_up_", true: "__Host-hubauth_up_"}[secure]
			if !strings.HasPrefix(c.Name, prefix) || c.Path != "/" || c.Domain != "" || c.Secure != secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("cookie %+v, want %s… Path=/ host-only Secure=%t HttpOnly SameSite=Lax", c, prefix, secure)
			}
		})
	}
}

// TestSigningAlgorithmsFromDiscovery: an upstream listing HS256 and none
// besides ES256 still signs in with ES256.
func TestSigningAlgorithmsFromDiscovery(t *testing.T) {
	rg, fx := fixtureRig(t, 0)
	fx.set(func(k *knobs) { k.algs = []string{"HS256", "none", "ES256"} })
	wantErr(t, rg.signIn(newBrowser(t), "fx", nil).Err, nil)
}

// TestFinishTimeLimit: one time limit bounds the whole callback
// (discovery, token, keys, userinfo), whatever each request's own.
func TestFinishTimeLimit(t *testing.T) {
	fx := newFixture(t)
	rg := newRig(t, func(c *upstream.Config) {
		c.Client = &http.Client{} // no time limit of its own
		c.FinishTimeout = 300 * time.Millisecond
	})
	rg.addProvider(storage.IdentityProvider{Name: "fx", Issuer: fx.URL, ClientID: fx.ClientID, ClientSecret: fx.Secret})
	fx.set(func(k *knobs) { k.hangJWKS = true })
	res := rg.signIn(newBrowser(t), "fx", nil)
	wantErr(t, res.Err, upstream.ErrUnreachable)
	if d := rg.lastAudit(storage.AuditUpstreamFailed); !strings.Contains(d, "keys unreachable") {
		t.Fatalf("audit = %q", d)
	}
}

// TestDiscoveryMisconfigured: an issuer that is no OpenID provider (404,
// not JSON) or whose certificate is not trusted is misconfigured, not
// unreachable; a 5xx is unreachable.
func TestDiscoveryMisconfigured(t *testing.T) {
	status := func(code int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code); w.Write([]byte(body)) }
	}
	plain := func(h http.Handler) string { s := httptest.NewServer(h); t.Cleanup(s.Close); return s.URL }
	tlsSrv := httptest.NewTLSServer(status(200, "{}"))
	t.Cleanup(tlsSrv.Close)
	tests := []struct{ name, issuer, want, audit string }{
		{"not found", plain(status(404, "no")), "misconfigured", "provider p: discovery document not found"},
		{"not JSON", plain(status(200, "<html>")), "misconfigured", "provider p: discovery document unusable"},
		{"untrusted certificate", tlsSrv.URL, "misconfigured", "provider p: TLS certificate not trusted"},
		{"server error", plain(status(503, "down")), "unreachable", "provider p: discovery failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t, func(c *upstream.Config) {
				c.Client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}
			})
			rg.addProvider(storage.IdentityProvider{Name: "p", Issuer: tt.issuer, ClientID: "c", ClientSecret: "s"})
			p := newBrowser(t).get(rg.URL + "/begin/p")
			if got := p.Header.Get("X-Error"); got != tt.want {
				t.Fatalf("Begin error = %q, want %q", got, tt.want)
			}
			if d := rg.lastAudit(storage.AuditUpstreamFailed); d != tt.audit {
				t.Fatalf("audit = %q, want %q", d, tt.audit)
			}
		})
	}
}

// TestWrongClientSecretIsMisconfigured: a token endpoint that refuses the
// hub's client (a wrong or expired client secret) is the provider's set-up,
// for an administrator, not a sign-in to retry.
func TestWrongClientSecretIsMisconfigured(t *testing.T) {
	fx := newFixture(t)
	rg := newRig(t)
	rg.addProvider(storage.IdentityProvider{Name: "fx", Issuer: fx.URL, ClientID: fx.ClientID, ClientSecret: "not-" + fx.Secret})
	res := rg.signIn(newBrowser(t), "fx", nil)
	wantErr(t, res.Err, upstream.ErrMisconfigured)
	if d := rg.lastAudit(storage.AuditUpstreamFailed); d != "provider fx: token endpoint refused the hub's client (invalid_client)" {
		t.Fatalf("audit = %q", d)
	}
}
