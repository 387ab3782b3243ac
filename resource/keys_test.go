package resource_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/resource"
)

func TestKeyRotation(t *testing.T) {
	h := newHub(t, func(c *server.Config) { c.KeyRefresh = time.Millisecond })
	m := newMiddleware(t, h, resource.Config{})
	resource.SetKeyRefetchInterval(m, 0)
	if got := call(t, m.Handler(whoami), bearer(h.accessToken(t, ""))); got.Status != http.StatusOK {
		t.Fatalf("before rotation: %+v", got)
	}
	next, err := keys.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.RotateSigningKeys(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // the hub reloads its keys
	token := h.accessToken(t, "")
	if kid := newForger(t, h).kid; kid != next.ID || kidOf(t, token) != next.ID {
		t.Fatalf("the hub did not sign with the new key %s", next.ID)
	}
	if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusOK {
		t.Fatalf("a token signed with the new key: %+v, want 200 after fetching the keys again", got)
	}
	if n := h.count("/oauth/jwks"); n != 2 {
		t.Errorf("keys fetched %d times, want 2 (first use, new key id)", n)
	}
}

// kidOf returns the key id in a JWT's header.
func kidOf(t *testing.T, token string) string {
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	return jws.Signatures[0].Header.KeyID
}

func TestUnknownKeyIDsFetchKeysAtMostOncePer10s(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	m := newMiddleware(t, h, resource.Config{})
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			token := f.sign(jose.ES256, other, "kid-"+string(rune('A'+i%26))+strings.Repeat("x", i), "JWT", f.claims(nil))
			if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusUnauthorized {
				t.Errorf("unknown key: got %+v, want 401", got)
			}
		})
	}
	wg.Wait()
	if n := h.count("/oauth/jwks"); n != 1 {
		t.Errorf("50 tokens with unknown key ids fetched the keys %d times, want 1", n)
	}
}

func TestIssuerUnreachable(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: sec})
	token, pat := h.accessToken(t, ""), h.personalToken(t, "")
	h.Close()
	for name, tok := range map[string]string{"keys": token, "introspection": pat} {
		got := call(t, m.Handler(whoami), bearer(tok))
		if got.Status != http.StatusServiceUnavailable || got.Error != "temporarily_unavailable" {
			t.Errorf("%s unreachable: got %+v, want 503 temporarily_unavailable", name, got)
		}
	}
	if _, err := m.Verify(context.Background(), token); !errors.Is(err, resource.ErrUnavailable) {
		t.Errorf("Verify: %v, want ErrUnavailable", err)
	}
	if _, err := resource.New(context.Background(), resource.Config{Issuer: h.URL, AnyAudience: true}); err == nil || !strings.HasPrefix(err.Error(), "resource: discovery") {
		t.Errorf("New with the issuer down: %v, want a discovery error", err)
	}
}

func TestKeysKeptWhenIssuerGoesDown(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{CacheSize: -1})
	token := h.accessToken(t, "")
	if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusOK {
		t.Fatalf("issuer up: %+v", got)
	}
	h.Close()
	if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusOK {
		t.Fatalf("issuer down: %+v, want 200 (JWTs are checked offline)", got)
	}
}

func TestNewRefusesBadIssuers(t *testing.T) {
	h := newHub(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"issuer":"` + h.URL + `","jwks_uri":"` + h.URL + `/oauth/jwks"}`))
	}))
	t.Cleanup(other.Close)
	for _, tc := range []struct {
		name string
		cfg  resource.Config
	}{
		{"not a URL", resource.Config{Issuer: "auth.example.org", AnyAudience: true}},
		{"query", resource.Config{Issuer: h.URL + "?x=1", AnyAudience: true}},
		{"no discovery", resource.Config{Issuer: h.URL + "/nothing", AnyAudience: true}},
		{"discovery names another issuer", resource.Config{Issuer: other.URL, AnyAudience: true}},
		{"secret without id", resource.Config{Issuer: h.URL, ClientSecret: "s", AnyAudience: true}},
		{"quote in realm", resource.Config{Issuer: h.URL, Realm: `a"b`, AnyAudience: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resource.New(context.Background(), tc.cfg)
			if err == nil || !strings.HasPrefix(err.Error(), "resource: ") {
				t.Errorf("New: %v, want an error starting with resource:", err)
			}
		})
	}
	if _, err := resource.New(context.Background(), resource.Config{Issuer: h.URL + "/", AnyAudience: true}); err != nil {
		t.Errorf("trailing slash: %v", err)
	}
}
