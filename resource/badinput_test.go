package resource_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/resource"
)

func TestMalformedAuthorizationHeaders(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{AllowAnonymous: true})
	valid := h.accessToken(t, "")
	for _, tc := range []struct {
		name    string
		headers []string
	}{
		{"empty header", []string{""}},
		{"scheme only", []string{"Bearer"}},
		{"scheme and space", []string{"Bearer "}},
		{"basic", []string{"Basic dXNlcjpwYXNz"}},
		{"other scheme", []string{"Token " + valid}},
		{"scheme glued", []string{"Bearer" + valid}},
		{"two words", []string{"Bearer abc def"}},
		{"quote", []string{`Bearer abc"def`}},
		{"non-ASCII", []string{"Bearer abcé"}},
		{"only padding", []string{"Bearer ===="}},
		{"padding inside", []string{"Bearer ab=cd"}},
		{"too long", []string{"Bearer " + strings.Repeat("a", 9000)}},
		{"two headers", []string{bearer(valid), bearer(valid)}},
		{"three dots, not a JWT", []string{"Bearer a.b.c"}},
		{"opaque, no introspection", []string{"Bearer abc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, m.Handler(whoami), tc.headers...)
			if got.Status != http.StatusUnauthorized || got.Error != "invalid_token" || !strings.Contains(got.Challenge, `error="invalid_token"`) {
				t.Errorf("got %+v, want 401 invalid_token", got)
			}
		})
	}
	for _, header := range []string{"bearer " + valid, "BEARER " + valid, "Bearer  " + valid} {
		if got := call(t, m.Handler(whoami), header); got.Status != http.StatusOK {
			t.Errorf("%.12q…: got %+v, want 200 (the scheme is case-insensitive, 1*SP)", header, got)
		}
	}
}

// forger signs JWTs for the hub's issuer.
type forger struct {
	t      testing.TB
	h      *hub
	hubKey *ecdsa.PrivateKey
	kid    string
}

func newForger(t testing.TB, h *hub) *forger {
	keys, err := h.Store.ListSigningKeys(context.Background())
	if err != nil || len(keys) == 0 {
		t.Fatalf("signing keys: %v %v", keys, err)
	}
	block, _ := pem.Decode(keys[0].PrivatePEM)
	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return &forger{t: t, h: h, hubKey: priv.(*ecdsa.PrivateKey), kid: keys[0].ID}
}

// claims are those of a valid hubauth access token, changed by edit.
func (f *forger) claims(edit func(map[string]any)) map[string]any {
	now := time.Now()
	c := map[string]any{"iss": f.h.URL, "sub": f.h.UserID, "aud": []string{"hubauth-cli"}, "client_id": "hubauth-cli",
		"exp": now.Add(10 * time.Minute).Unix(), "iat": now.Unix(), "nbf": now.Unix(), "jti": "j1", "scope": "openid"}
	if edit != nil {
		edit(c)
	}
	return c
}

// sign makes a JWS with alg, key and header typ.
func (f *forger) sign(alg jose.SignatureAlgorithm, key any, kid, typ string, claims map[string]any) string {
	opts := (&jose.SignerOptions{}).WithHeader("kid", kid)
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		f.t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		f.t.Fatal(err)
	}
	s, _ := jws.CompactSerialize()
	return s
}

// hub signs with the hub's own key, as a token of the hub would be.
func (f *forger) hub(typ string, edit func(map[string]any)) string {
	return f.sign(jose.ES256, f.hubKey, f.kid, typ, f.claims(edit))
}

// raw assembles a JWS by hand, for algorithms go-jose will not sign with.
func (f *forger) raw(header map[string]any, sign func(input string) []byte) string {
	enc := base64.RawURLEncoding
	hb, _ := json.Marshal(header)
	cb, _ := json.Marshal(f.claims(nil))
	input := enc.EncodeToString(hb) + "." + enc.EncodeToString(cb)
	return input + "." + enc.EncodeToString(sign(input))
}

// hmacWith signs input with HS256 and secret.
func hmacWith(secret []byte) func(string) []byte {
	return func(input string) []byte {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(input))
		return mac.Sum(nil)
	}
}

func TestForgedAndInvalidTokens(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	otherEC, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherRSA, _ := rsa.GenerateKey(rand.Reader, 2048)
	pubDER, _ := x509.MarshalPKIXPublicKey(&f.hubKey.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	pubJWK, _ := jose.JSONWebKey{Key: &f.hubKey.PublicKey, KeyID: f.kid, Algorithm: "ES256", Use: "sig"}.MarshalJSON()
	none := func(string) []byte { return nil }
	hs := map[string]any{"alg": "HS256", "kid": f.kid, "typ": "JWT"}
	valid := h.accessToken(t, "")
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(f.claimsJSON("scope", "openid tokens:write")) + "." + parts[2]
	h.Clock.Advance(-time.Hour)
	expired := h.accessToken(t, "")
	h.Clock.Advance(time.Hour)

	for name, token := range map[string]string{
		"unknown key, unknown kid": f.sign(jose.ES256, otherEC, "not-a-hub-key", "JWT", f.claims(nil)),
		"unknown key, hub's kid":   f.sign(jose.ES256, otherEC, f.kid, "JWT", f.claims(nil)),
		"RSA key, hub's kid":       f.sign(jose.RS256, otherRSA, f.kid, "JWT", f.claims(nil)),
		"alg none":                 f.raw(map[string]any{"alg": "none", "kid": f.kid}, none),
		"alg None, no kid":         f.raw(map[string]any{"alg": "None"}, none),
		"HS256, public key DER":    f.raw(hs, hmacWith(pubDER)),
		"HS256, public key PEM":    f.raw(hs, hmacWith(pubPEM)),
		"HS256, public key JWK":    f.raw(hs, hmacWith(pubJWK)),
		"ES384 header":             f.raw(map[string]any{"alg": "ES384", "kid": f.kid}, none),
		"tampered claims":          tampered,
		"expired (hub)":            expired,
		"expired":                  f.hub("JWT", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }),
		"not yet valid":            f.hub("JWT", func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() }),
		"issued in the future":     f.hub("JWT", func(c map[string]any) { c["iat"] = time.Now().Add(time.Hour).Unix() }),
		"no expiry":                f.hub("JWT", func(c map[string]any) { delete(c, "exp") }),
		"wrong issuer":             f.hub("JWT", func(c map[string]any) { c["iss"] = "https://evil.example" }),
		"no subject":               f.hub("JWT", func(c map[string]any) { delete(c, "sub") }),
		"no scope (ID token-like)": f.hub("JWT", func(c map[string]any) { delete(c, "scope"); delete(c, "jti") }),
		"ID token (hub)":           h.idToken(t),
		"logout token type":        f.hub("logout+jwt", nil),
		"ID token type":            f.hub("id_token+jwt", nil),
	} {
		t.Run(name, func(t *testing.T) {
			m := newMiddleware(t, h, resource.Config{})
			got := call(t, m.Handler(whoami), bearer(token))
			if got.Status != http.StatusUnauthorized || got.Error != "invalid_token" || got.Desc == "" {
				t.Errorf("got %+v, want 401 invalid_token with a description", got)
			}
		})
	}
}

// claimsJSON is a valid token's claims with one changed.
func (f *forger) claimsJSON(name string, value any) []byte {
	b, _ := json.Marshal(f.claims(func(c map[string]any) { c[name] = value }))
	return b
}

func TestAccessTokenShapes(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	for _, tc := range []struct {
		name  string
		token string
		cfg   resource.Config
		want  int
	}{
		{"typ at+jwt without scope (RFC 9068)", f.hub("at+jwt", func(c map[string]any) { delete(c, "scope") }), resource.Config{}, http.StatusOK},
		{"typ application/at+jwt", f.hub("application/at+jwt", nil), resource.Config{}, http.StatusOK},
		{"scope as an array", f.hub("", func(c map[string]any) { c["scope"] = []string{"a", "b"} }), resource.Config{}, http.StatusOK},
		{"expired 10 s ago, default leeway", f.hub("JWT", func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Second).Unix() }), resource.Config{}, http.StatusOK},
		{"expired 10 s ago, no leeway", f.hub("JWT", func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Second).Unix() }), resource.Config{Leeway: -1}, http.StatusUnauthorized},
		{"nbf in 10 s, default leeway", f.hub("JWT", func(c map[string]any) { c["nbf"] = time.Now().Add(10 * time.Second).Unix() }), resource.Config{}, http.StatusOK},
		{"nbf in 10 s, no leeway", f.hub("JWT", func(c map[string]any) { c["nbf"] = time.Now().Add(10 * time.Second).Unix() }), resource.Config{Leeway: -1}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMiddleware(t, h, tc.cfg)
			if got := call(t, m.Handler(whoami), bearer(tc.token)); got.Status != tc.want {
				t.Errorf("got %+v, want %d", got, tc.want)
			}
		})
	}
}

func TestClaimsFillCaller(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	m := newMiddleware(t, h, resource.Config{})
	token := f.hub("JWT", func(c map[string]any) {
		c["preferred_username"], c["groups"] = "ada", []string{"lab", "staff"}
		delete(c, "client_id")
		c["azp"] = "notebook"
	})
	got := call(t, m.Handler(whoami), bearer(token))
	want := &resource.Caller{Subject: h.UserID, Username: "ada", Groups: []string{"lab", "staff"}, Scopes: []string{"openid"},
		ClientID: "notebook", TokenKind: resource.TokenKindAccess}
	if got.Status != http.StatusOK || !cmp.Equal(got.Caller, want) {
		t.Errorf("got %+v, want the caller from the token's claims %+v", got.Caller, want)
	}
}
