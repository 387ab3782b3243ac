package hubtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
)

// Passkey is a software WebAuthn authenticator holding one discoverable
// ES256 credential ("none" attestation): tests drive the hub's passkey
// steps with it without a browser, tamper with its answers, and give a
// browser's virtual authenticator the same credential (PKCS8).
type Passkey struct {
	Key        *ecdsa.PrivateKey
	ID         []byte // the credential id
	UserHandle []byte // the user handle the hub gave at registration
	RPID       string
	// Count is the signature counter: each assertion adds one first.
	Count uint32
	// UV sets the user-verified flag; BE the backup-eligible one.
	UV, BE bool
}

// NewPasskey returns an authenticator for relying party rpID whose
// credential has a fresh key and id.
func NewPasskey(t testing.TB, rpID string) *Passkey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	return &Passkey{Key: key, ID: id, RPID: rpID, UV: true}
}

var b64 = base64.RawURLEncoding

// COSEKey is the credential's public key as COSE_Key (RFC 9053 §7.1.1).
func (k *Passkey) COSEKey(t testing.TB) []byte {
	t.Helper()
	x, y := make([]byte, 32), make([]byte, 32)
	k.Key.X.FillBytes(x)
	k.Key.Y.FillBytes(y)
	b, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// PKCS8 is the private key as the CDP WebAuthn.addCredential takes it.
func (k *Passkey) PKCS8(t testing.TB) []byte {
	t.Helper()
	b, err := x509.MarshalPKCS8PrivateKey(k.Key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readOptions reads the challenge (and the user handle) of the hub's
// options, {"publicKey": {...}}.
func readOptions(t testing.TB, opts []byte) (challenge string, user []byte) {
	t.Helper()
	var o struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
			User      struct {
				ID string `json:"id"`
			} `json:"user"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(opts, &o); err != nil {
		t.Fatalf("passkey options %s: %v", opts, err)
	}
	user, _ = b64.DecodeString(o.PublicKey.User.ID)
	return o.PublicKey.Challenge, user
}

// authData is the authenticator data (W3C WebAuthn §6.1), with the
// attested credential when attested.
func (k *Passkey) authData(t testing.TB, attested bool) []byte {
	rp := sha256.Sum256([]byte(k.RPID))
	flags := byte(0x01) // user present
	if k.UV {
		flags |= 0x04
	}
	if k.BE {
		flags |= 0x08
	}
	if attested {
		flags |= 0x40
	}
	out := append(rp[:], flags)
	out = binary.BigEndian.AppendUint32(out, k.Count)
	if attested {
		out = append(out, make([]byte, 16)...) // AAGUID: none
		out = binary.BigEndian.AppendUint16(out, uint16(len(k.ID)))
		out = append(out, k.ID...)
		out = append(out, k.COSEKey(t)...)
	}
	return out
}

func clientData(typ, challenge, origin string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	return b
}

// Register answers the hub's creation options as a browser at origin
// would, keeping the user handle the hub gave.
func (k *Passkey) Register(t testing.TB, opts []byte, origin string) []byte {
	t.Helper()
	challenge, user := readOptions(t, opts)
	k.UserHandle = user
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": k.authData(t, true)})
	if err != nil {
		t.Fatal(err)
	}
	return k.answer(map[string]any{"clientDataJSON": b64.EncodeToString(clientData("webauthn.create", challenge, origin)),
		"attestationObject": b64.EncodeToString(att), "transports": []string{"internal"}})
}

// Assert answers the hub's request options as a browser at origin would,
// signing with the counter one up.
func (k *Passkey) Assert(t testing.TB, opts []byte, origin string) []byte {
	t.Helper()
	challenge, _ := readOptions(t, opts)
	k.Count++
	cd := clientData("webauthn.get", challenge, origin)
	ad := k.authData(t, false)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.Key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return k.answer(map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
		"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(k.UserHandle)})
}

func (k *Passkey) answer(response map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(k.ID), "rawId": b64.EncodeToString(k.ID), "type": "public-key",
		"response": response, "clientExtensionResults": map[string]any{}})
	return b
}
