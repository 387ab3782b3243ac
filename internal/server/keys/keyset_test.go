package keys_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/keys"
)

func parse(t *testing.T, token string) *jose.JSONWebSignature {
	t.Helper()
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256, jose.HS256})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return jws
}

func TestKeySetVerifySignature(t *testing.T) {
	store, clock := hubtest.SQLite(t), &hubtest.Clock{}
	ring := newRing(t, store, clock)
	set := keys.KeySet{Ring: ring}
	claims := map[string]any{"sub": "ada"}

	t.Run("published key", func(t *testing.T) {
		payload, err := set.VerifySignature(t.Context(), parse(t, hubtest.Sign(t, ring, claims)))
		if err != nil || !strings.Contains(string(payload), `"ada"`) {
			t.Errorf("VerifySignature = %q, %v; want the payload", payload, err)
		}
	})
	t.Run("key another node just created", func(t *testing.T) {
		clock.Advance(time.Second) // past the reload bound, within the refresh
		rotate(t, store, clock.Now())
		fresh := newRing(t, store, clock)
		if _, err := set.VerifySignature(t.Context(), parse(t, hubtest.Sign(t, fresh, claims))); err != nil {
			t.Errorf("token of a key created since the last read: %v, want verified after a reload", err)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		stranger := newRing(t, hubtest.SQLite(t), clock)
		_, err := set.VerifySignature(t.Context(), parse(t, hubtest.Sign(t, stranger, claims)))
		if !errors.Is(err, keys.ErrUnknownKey) {
			t.Errorf("token of another hub's key: %v, want ErrUnknownKey", err)
		}
	})
	t.Run("wrong algorithm", func(t *testing.T) {
		k, _ := ring.Signing(t.Context())
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")},
			(&jose.SignerOptions{}).WithHeader(jose.HeaderKey("kid"), k.ID))
		if err != nil {
			t.Fatal(err)
		}
		jws, err := signer.Sign([]byte(`{"sub":"ada"}`))
		if err != nil {
			t.Fatal(err)
		}
		token, _ := jws.CompactSerialize()
		if _, err := set.VerifySignature(t.Context(), parse(t, token)); err == nil || !strings.Contains(err.Error(), "HS256") {
			t.Errorf("HS256 token naming the hub's key: %v, want refused for its algorithm", err)
		}
	})
	t.Run("two signatures", func(t *testing.T) {
		jws := parse(t, hubtest.Sign(t, ring, claims))
		jws.Signatures = append(jws.Signatures, jws.Signatures[0])
		if _, err := set.VerifySignature(t.Context(), jws); err == nil {
			t.Error("two signatures: no error")
		}
	})
}
