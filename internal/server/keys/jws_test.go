package keys_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/hubauth/hubauth/internal/server/keys"
)

func newKey(t testing.TB) *keys.Key {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &keys.Key{ID: "k1", Private: priv}
}

// TestSignJWT: go-jose, which the OIDC libraries verify with, accepts the
// token with the key's public half only, reads the header the library's
// own signer writes, and refuses the token once any part is changed.
func TestSignJWT(t *testing.T) {
	k := newKey(t)
	claims := map[string]any{"sub": "u1", "aud": []string{"cli"}, "exp": 2000000000}
	token, err := k.SignJWT(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	h := jws.Signatures[0].Protected
	if h.KeyID != "k1" || h.Algorithm != "ES256" || h.ExtraHeaders[jose.HeaderType] != "JWT" {
		t.Errorf("header = kid %q alg %q typ %v, want k1 ES256 JWT", h.KeyID, h.Algorithm, h.ExtraHeaders[jose.HeaderType])
	}
	payload, err := jws.Verify(&k.Private.PublicKey)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(payload, &got); err != nil || got["sub"] != "u1" {
		t.Errorf("claims = %v (%v), want sub u1", got, err)
	}
	other := newKey(t)
	if _, err := jws.Verify(&other.Private.PublicKey); err == nil {
		t.Error("another key verified the token")
	}
	parts := strings.Split(token, ".")
	for i := range parts {
		t.Run("part "+string(rune('0'+i))+" changed", func(t *testing.T) {
			changed := append([]string(nil), parts...)
			b := []byte(changed[i])
			b[len(b)/2] ^= 1
			changed[i] = string(b)
			jws, err := jose.ParseSigned(strings.Join(changed, "."), []jose.SignatureAlgorithm{jose.ES256})
			if err != nil {
				return // no longer a JWS at all
			}
			if _, err := jws.Verify(&k.Private.PublicKey); err == nil {
				t.Error("a changed token verified")
			}
		})
	}
}

// TestSignJWTRefusesClaimsThatAreNotJSON: an error, not a token.
func TestSignJWTRefusesClaimsThatAreNotJSON(t *testing.T) {
	if token, err := newKey(t).SignJWT(map[string]any{"x": make(chan int)}); err == nil {
		t.Errorf("SignJWT = %q, want an error", token)
	}
}

// BenchmarkSignJWT is the cost of one access token's signature.
func BenchmarkSignJWT(b *testing.B) {
	k := newKey(b)
	claims := map[string]any{"sub": "u1", "aud": []string{"cli"}, "exp": 2000000000, "scope": "openid"}
	for b.Loop() {
		if _, err := k.SignJWT(claims); err != nil {
			b.Fatal(err)
		}
	}
}
