package keys

import (
	"context"
	"errors"

	jose "github.com/go-jose/go-jose/v4"
)

// ErrUnknownKey means a token names a key the hub does not publish.
var ErrUnknownKey = errors.New("keys: token signed by an unknown key")

// KeySet verifies token signatures against the published keys; it
// implements zitadel's oidc.KeySet.
type KeySet struct{ Ring *Keyring }

// VerifySignature checks jws against the published key it names (ES256 only).
func (s KeySet) VerifySignature(ctx context.Context, jws *jose.JSONWebSignature) ([]byte, error) {
	if len(jws.Signatures) != 1 {
		return nil, errors.New("keys: want exactly one signature")
	}
	h := jws.Signatures[0].Header
	if h.Algorithm != Algorithm {
		return nil, errors.New("keys: unexpected algorithm " + h.Algorithm)
	}
	list, err := s.Ring.Published(ctx)
	if err != nil {
		return nil, err
	}
	if k := find(list, h.KeyID); k != nil {
		return jws.Verify(&k.Private.PublicKey)
	}
	if list, err = s.Ring.Reload(ctx); err != nil {
		return nil, err
	}
	if k := find(list, h.KeyID); k != nil {
		return jws.Verify(&k.Private.PublicKey)
	}
	return nil, ErrUnknownKey
}

func find(list []*Key, id string) *Key {
	for _, k := range list {
		if k.ID == id {
			return k
		}
	}
	return nil
}
