package keys

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// jwsHeader is the protected header of every JWT the hub signs, as the
// OIDC library's signer writes it.
type jwsHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

// SignJWT returns the JWT (RFC 7519) whose claims are claims marshalled to
// JSON, signed with k in JWS compact serialization (RFC 7515 §7.1): ES256,
// the signature being R and S of 32 bytes each (RFC 7518 §3.4). It marshals
// the claims once and signs directly, where the library's path marshals
// them up to three times and builds a signer per token.
func (k *Key) SignJWT(claims any) (string, error) {
	header, err := json.Marshal(jwsHeader{Alg: Algorithm, Kid: k.ID, Typ: "JWT"})
	if err != nil {
		return "", fmt.Errorf("keys: header: %w", err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("keys: claims: %w", err)
	}
	enc := base64.RawURLEncoding
	hl, pl := enc.EncodedLen(len(header)), enc.EncodedLen(len(payload))
	const sigLen = 64
	out := make([]byte, hl+1+pl+1+enc.EncodedLen(sigLen))
	enc.Encode(out, header)
	out[hl] = '.'
	enc.Encode(out[hl+1:], payload)
	digest := sha256.Sum256(out[:hl+1+pl])
	r, s, err := ecdsa.Sign(rand.Reader, k.Private, digest[:])
	if err != nil {
		return "", fmt.Errorf("keys: sign: %w", err)
	}
	var sig [sigLen]byte
	r.FillBytes(sig[:sigLen/2])
	s.FillBytes(sig[sigLen/2:])
	out[hl+1+pl] = '.'
	enc.Encode(out[hl+1+pl+1:], sig[:])
	return string(out), nil
}
