// Package keys generates the hub's ES256 signing keys and keeps them cached
// in memory: the newest active key signs, and every key whose tokens may
// still be valid is published at the jwks endpoint.
package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// Algorithm is the only signing algorithm the hub uses.
const Algorithm = "ES256"

// Generate makes a new P-256 signing key created at now.
func Generate(now time.Time) (storage.SigningKey, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return storage.SigningKey{}, fmt.Errorf("keys: generate: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return storage.SigningKey{}, fmt.Errorf("keys: encode: %w", err)
	}
	return storage.SigningKey{
		ID:         secret.ID(),
		Algorithm:  Algorithm,
		PrivatePEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		CreatedAt:  now.UTC(),
	}, nil
}

// parse decodes a stored key's private half.
func parse(k storage.SigningKey) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(k.PrivatePEM)
	if block == nil {
		return nil, fmt.Errorf("keys: key %s: no PEM block", k.ID)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("keys: key %s: %w", k.ID, err)
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("keys: key " + k.ID + " is not ECDSA")
	}
	return ec, nil
}
