package upstream_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// fixtureRig is a hub side with the fixture upstream registered as "fx".
func fixtureRig(t *testing.T, timeout time.Duration) (*rig, *fixture) {
	t.Helper()
	fx := newFixture(t)
	rg := newRig(t, func(c *upstream.Config) {
		if timeout != 0 {
			c.Client = &http.Client{Timeout: timeout}
		}
	})
	rg.addProvider(storage.IdentityProvider{Name: "fx", Issuer: fx.URL, ClientID: fx.ClientID, ClientSecret: fx.Secret})
	return rg, fx
}

func TestRoundTripHappyPath(t *testing.T) {
	rg, fx := fixtureRig(t, 0)
	b := newBrowser(t)
	p := b.get(rg.URL + "/begin/fx?authRequestID=ar-1")
	res := rg.resultOf(p)
	wantErr(t, res.Err, nil)
	id := res.ID
	if id.Subject != "fx-1" || id.Username != "Fixture.User" || id.Name != "Fixture User" ||
		id.Email != "fixture@example.org" || !id.EmailVerified || id.Provider.Name != "fx" {
		t.Fatalf("identity = %+v", id)
	}
	if id.Provider.ClientSecret != "" {
		t.Fatal("the identity carries the provider's client secret")
	}
	if res.C.AuthRequestID != "ar-1" {
		t.Fatalf("continuation = %+v, want the auth request ar-1", res.C)
	}
	if res.User.Username != "fixture.user" || res.User.Email != "fixture@example.org" || res.User.Name != "Fixture User" {
		t.Fatalf("user = %+v", res.User)
	}
	for _, c := range b.client.Jar.Cookies(mustURL(rg.URL + "/login/fx/callback")) {
		if strings.HasPrefix(c.Name, "hubauth_up_") {
			t.Fatalf("cookie %s not cleared", c.Name)
		}
	}
	if got := rg.lastAudit(storage.AuditUpstreamLogin); got != "fx" {
		t.Fatalf("upstream_login detail = %q", got)
	}
	if got := rg.lastAudit(storage.AuditUserProvisioned); !strings.Contains(got, "fixture.user") {
		t.Fatalf("user_provisioned detail = %q", got)
	}
	// A second sign-in is the same user: nothing provisioned again.
	again := rg.signIn(newBrowser(t), "fx", nil)
	wantErr(t, again.Err, nil)
	if again.User.ID != res.User.ID || len(rg.audits(storage.AuditUserProvisioned)) != 1 {
		t.Fatalf("second sign-in: user %s, want %s", again.User.ID, res.User.ID)
	}
	if fx.busy.Load() == 0 {
		t.Fatal("the fixture was not asked")
	}
}

// TestRoundTripRefused covers every check of the callback: each is
// refused with its sentinel and audited with its reason.
func TestRoundTripRefused(t *testing.T) {
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	wrong := "wrong-nonce"
	tests := []struct {
		name    string
		knobs   func(*knobs)
		timeout time.Duration
		deliver func(t *testing.T, rg *rig, b *browser, u *url.URL) result // nil: the browser visits u
		want    error
		reason  string
	}{
		{name: "bad signature", knobs: func(k *knobs) { k.signWith = otherKey }, want: upstream.ErrRejected, reason: "bad signature"},
		{name: "wrong nonce", knobs: func(k *knobs) { k.nonce = &wrong }, want: upstream.ErrRejected, reason: "nonce"},
		{name: "wrong audience", knobs: func(k *knobs) { k.aud = "someone-else" }, want: upstream.ErrRejected, reason: "wrong audience"},
		{name: "wrong issuer in the ID token", knobs: func(k *knobs) { k.iss = "https://evil.example" }, want: upstream.ErrRejected, reason: "wrong issuer"},
		{name: "iss parameter of another issuer", knobs: func(k *knobs) { k.issParam = "https://evil.example" }, want: upstream.ErrRejected, reason: "RFC 9207"},
		{name: "iss parameter missing though announced", knobs: func(k *knobs) { k.announceIss = true }, want: upstream.ErrRejected, reason: "iss parameter missing"},
		{name: "access denied", knobs: func(k *knobs) { k.authError = "access_denied" }, want: upstream.ErrCancelled, reason: "access_denied"},
		{name: "login required", knobs: func(k *knobs) { k.authError = "login_required" }, want: upstream.ErrCancelled, reason: "login_required"},
		{name: "server error", knobs: func(k *knobs) { k.authError = "server_error" }, want: upstream.ErrUnreachable, reason: "server_error"},
		{name: "temporarily unavailable", knobs: func(k *knobs) { k.authError = "temporarily_unavailable" }, want: upstream.ErrUnreachable, reason: "temporarily_unavailable"},
		{name: "invalid scope", knobs: func(k *knobs) { k.authError = "invalid_scope" }, want: upstream.ErrMisconfigured, reason: "invalid_scope"},
		{name: "unknown upstream error, escaped", knobs: func(k *knobs) { k.authError = "temporarily_unavailable\x1b[2J" }, want: upstream.ErrRejected, reason: `temporarily_unavailable\x1b[2J`},
		{name: "error response with a forged state", knobs: func(k *knobs) { k.authError = "access_denied" }, deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			return rg.visit(b, withParam(u, "state", "forged"))
		}, want: upstream.ErrRejected, reason: "no sign-in cookie"},
		{name: "error response of another browser", knobs: func(k *knobs) { k.authError = "access_denied" }, deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			return rg.visit(newBrowser(t), u)
		}, want: upstream.ErrRejected, reason: "no sign-in cookie"},
		{name: "error response with the iss of another issuer", knobs: func(k *knobs) { k.authError, k.issParam = "access_denied", "https://evil.example" },
			want: upstream.ErrRejected, reason: "RFC 9207"},
		{name: "several audiences without azp", knobs: func(k *knobs) { k.auds = []string{"hub", "other"} }, want: upstream.ErrRejected, reason: "wrong authorized party"},
		{name: "several audiences, azp of another client", knobs: func(k *knobs) { k.auds, k.azp = []string{"hub", "other"}, "other" }, want: upstream.ErrRejected, reason: "wrong authorized party"},
		{name: "azp of another client", knobs: func(k *knobs) { k.azp = "other" }, want: upstream.ErrRejected, reason: "wrong authorized party"},
		{name: "expired ID token", knobs: func(k *knobs) { k.expired = true }, want: upstream.ErrRejected, reason: "ID token expired"},
		{name: "userinfo of another subject", knobs: func(k *knobs) { k.email, k.userinfoSub = "", "someone-else" }, want: upstream.ErrRejected, reason: "userinfo of another subject"},
		{name: "keys unreachable", knobs: func(k *knobs) { k.jwksDown = true }, want: upstream.ErrUnreachable, reason: "keys unreachable"},
		{name: "no ID token", knobs: func(k *knobs) { k.noIDToken = true }, want: upstream.ErrRejected, reason: "no ID token"},
		{name: "malformed sub", knobs: func(k *knobs) { k.sub = "fx\n1" }, want: upstream.ErrRejected, reason: "malformed sub"},
		{name: "sign-in older than its time limit", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			rg.advance(11 * time.Minute)
			return rg.visit(b, u)
		}, want: upstream.ErrRejected, reason: "expired"},
		{name: "token endpoint down", knobs: func(k *knobs) { k.failToken = http.StatusServiceUnavailable }, want: upstream.ErrUnreachable, reason: "token endpoint failed"},
		{name: "token endpoint slower than the time limit", knobs: func(k *knobs) { k.hangToken = true }, timeout: 300 * time.Millisecond, want: upstream.ErrUnreachable, reason: "token endpoint unreachable"},
		{name: "another browser", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			return rg.visit(newBrowser(t), u)
		}, want: upstream.ErrRejected, reason: "no sign-in cookie"},
		{name: "wrong state", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			return rg.visit(b, withParam(u, "state", "forged"))
		}, want: upstream.ErrRejected, reason: "no sign-in cookie"},
		{name: "state that does not match the cookie", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			sum := sha256.Sum256([]byte("forged"))
			b.client.Jar.SetCookies(mustURL(rg.URL+"/"), []*http.Cookie{{Name: "hubauth_up_" + hex.EncodeToString(sum[:])[:16], Value: "guess", Path: "/"}})
			return rg.visit(b, withParam(u, "state", "forged"))
		}, want: upstream.ErrRejected, reason: "does not match"},
		{name: "replayed state", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			saved := b.client.Jar.Cookies(mustURL(rg.URL + "/login/fx/callback"))
			wantErr(t, rg.visit(b, u).Err, nil)
			b.client.Jar.SetCookies(mustURL(rg.URL+"/"), saved)
			return rg.visit(b, u)
		}, want: upstream.ErrRejected, reason: "replayed"},
		{name: "state of another provider", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			u.Path = "/login/other/callback"
			return rg.visit(b, u)
		}, want: upstream.ErrRejected, reason: "state of provider fx"},
		{name: "provider disabled meanwhile", deliver: func(t *testing.T, rg *rig, b *browser, u *url.URL) result {
			err := rg.Store.UpdateIdentityProvider(t.Context(), "fx", func(p storage.IdentityProvider) (storage.IdentityProvider, error) {
				p.Disabled = true
				return p, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return rg.visit(b, u)
		}, want: upstream.ErrUnknownProvider, reason: "provider disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg, fx := fixtureRig(t, tt.timeout)
			if tt.knobs != nil {
				fx.set(tt.knobs)
			}
			b := newBrowser(t)
			u := rg.toCallback(b, "fx", nil)
			var res result
			if tt.deliver != nil {
				res = tt.deliver(t, rg, b, u)
			} else {
				res = rg.visit(b, u)
			}
			wantErr(t, res.Err, tt.want)
			detail := rg.lastAudit(storage.AuditUpstreamFailed)
			if !strings.Contains(detail, tt.reason) || strings.Contains(detail, u.Query().Get("state")) ||
				strings.Contains(detail, "<script>") || strings.ContainsRune(detail, 0x1b) {
				t.Fatalf("audit detail = %q, want the reason %q and nothing of the upstream's", detail, tt.reason)
			}
			if len(rg.audits(storage.AuditUpstreamLogin)) != 0 && tt.name != "replayed state" {
				t.Fatal("a refused callback signed in")
			}
		})
	}
}

func TestBeginRefused(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + closed.Addr().String()
	closed.Close()
	rg, _ := fixtureRig(t, 0)
	rg.addProvider(storage.IdentityProvider{Name: "dead", Issuer: dead, ClientID: "c", ClientSecret: "s"})
	rg.addProvider(storage.IdentityProvider{Name: "off", Issuer: dead, ClientID: "c", ClientSecret: "s", Disabled: true})
	tests := []struct{ name, provider, want, audit string }{
		{"unreachable upstream", "dead", "unreachable", "provider dead: discovery unreachable"},
		{"disabled provider", "off", "unknown", ""},
		{"unknown provider", "nobody", "unknown", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(rg.audits(storage.AuditUpstreamFailed))
			p := newBrowser(t).get(rg.URL + "/begin/" + tt.provider)
			if got := p.Header.Get("X-Error"); got != tt.want {
				t.Fatalf("Begin error = %q, want %q", got, tt.want)
			}
			if tt.audit == "" {
				if len(rg.audits(storage.AuditUpstreamFailed)) != before {
					t.Fatal("a refused Begin of an unknown provider was audited")
				}
			} else if d := rg.lastAudit(storage.AuditUpstreamFailed); d != tt.audit {
				t.Fatalf("audit = %q, want %q", d, tt.audit)
			}
		})
	}
}

func TestEnabledHidesSecretsAndDisabled(t *testing.T) {
	rg, _ := fixtureRig(t, 0)
	rg.addProvider(storage.IdentityProvider{Name: "a-off", Issuer: "https://x.example", ClientID: "c", ClientSecret: "s", Disabled: true})
	got, err := rg.Fed.Enabled(t.Context())
	if err != nil || len(got) != 1 || got[0].Name != "fx" || got[0].ClientSecret != "" {
		t.Fatalf("Enabled = %+v, %v; want fx alone, without its secret", got, err)
	}
}

func withParam(u *url.URL, k, v string) *url.URL {
	c := *u
	q := c.Query()
	q.Set(k, v)
	c.RawQuery = q.Encode()
	return &c
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestORCIDLike: an upstream whose ID token has only sub (the ORCID iD)
// and no e-mail, with the username claim "sub" as the orcid preset sets.
func TestORCIDLike(t *testing.T) {
	fx := newFixture(t)
	fx.set(func(k *knobs) { *k = knobs{sub: "0000-0002-1825-0097"} })
	rg := newRig(t)
	rg.addProvider(storage.IdentityProvider{Name: "orcid", Issuer: fx.URL, ClientID: fx.ClientID, ClientSecret: fx.Secret,
		Scopes: []string{"openid"}, UsernameClaim: "sub"})
	res := rg.signIn(newBrowser(t), "orcid", nil)
	wantErr(t, res.Err, nil)
	if res.ID.Username != "0000-0002-1825-0097" || res.ID.Email != "" || res.User.Username != "0000-0002-1825-0097" || res.User.Email != "" {
		t.Fatalf("identity %+v, user %+v", res.ID, res.User)
	}
}
