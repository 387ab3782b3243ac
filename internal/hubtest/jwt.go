package hubtest

import (
	"encoding/json"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/hubauth/hubauth/internal/server/keys"
)

// Sign signs claims with ring's signing key as the hub signs its tokens
// (ES256, kid of the key, typ JWT), so an area package can test what it
// does with a token without starting a hub.
func Sign(t testing.TB, ring *keys.Keyring, claims map[string]any) string {
	t.Helper()
	k, err := ring.Signing(t.Context())
	if err != nil {
		t.Fatalf("signing key: %v", err)
	}
	return SignWith(t, k, claims)
}

// SignWith signs claims with key k.
func SignWith(t testing.TB, k *keys.Key, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), k.ID)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k.Private}, opts)
	if err != nil {
		t.Fatalf("signer: %v", err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("claims: %v", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	token, err := jws.CompactSerialize()
	if err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return token
}
