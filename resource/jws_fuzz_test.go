package resource

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// fuzzKeys are the keys the fuzz seeds are signed with, and valid tokens
// signed with them.
type fuzzKeys struct {
	ec           *ecdsa.PrivateKey
	rsa          *rsa.PrivateKey
	es256, rs256 string
}

var testKeys = sync.OnceValue(func() fuzzKeys {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	k := fuzzKeys{ec: ec, rsa: rk}
	k.es256 = signJWS(map[string]any{"alg": "ES256", "kid": "k1", "typ": "at+jwt"}, func(in []byte) []byte {
		sum := sha256.Sum256(in)
		r, s, err := ecdsa.Sign(rand.Reader, ec, sum[:])
		if err != nil {
			panic(err)
		}
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	})
	k.rs256 = signJWS(map[string]any{"alg": "RS256", "kid": "k2"}, func(in []byte) []byte {
		sum := sha256.Sum256(in)
		sig, err := rsa.SignPKCS1v15(rand.Reader, rk, crypto.SHA256, sum[:])
		if err != nil {
			panic(err)
		}
		return sig
	})
	return k
})

// signJWS assembles a compact JWS of an access token's claims under
// header, signed by sign.
func signJWS(header map[string]any, sign func([]byte) []byte) string {
	hb, _ := json.Marshal(header)
	cb, _ := json.Marshal(map[string]any{"iss": "https://hub.example", "sub": "u-1", "client_id": "c-1",
		"exp": 1893456000, "iat": 1767225600, "scope": "openid"})
	input := b64.EncodeToString(hb) + "." + b64.EncodeToString(cb)
	return input + "." + b64.EncodeToString(sign([]byte(input)))
}

// fuzzSeeds are real tokens and broken ones: truncated, bad base64, huge
// headers, alg none and HS256, nested dots.
func fuzzSeeds(k fuzzKeys) []string {
	parts := strings.Split(k.es256, ".")
	header, claims, sig := parts[0], parts[1], parts[2]
	mac := hmac.New(sha256.New, []byte("public key as a secret"))
	hs256 := signJWS(map[string]any{"alg": "HS256", "kid": "k1"}, func(in []byte) []byte { mac.Write(in); return mac.Sum(nil) })
	return []string{
		k.es256, k.rs256,
		k.es256[:len(k.es256)-1], k.es256[:len(k.es256)/2], header + "." + claims + ".", header + ".", "",
		header + "." + claims + "." + sig + "=", header + "." + claims + "!." + sig, "e30." + claims + "." + sig,
		strings.ReplaceAll(k.es256, "-", "+"), header + "." + claims + "." + sig[:len(sig)-1] + "B",
		signJWS(map[string]any{"alg": "ES256", "kid": strings.Repeat("k", 8<<10)}, func([]byte) []byte { return make([]byte, 64) }),
		signJWS(map[string]any{"alg": "none"}, func([]byte) []byte { return nil }),
		hs256,
		signJWS(map[string]any{"alg": "ES256", "crit": []string{"exp"}}, func([]byte) []byte { return make([]byte, 64) }),
		b64.EncodeToString([]byte("null")) + "." + claims + "." + sig,
		k.es256 + "." + sig, "a.b.c.d.e", "..", "...", header + ".." + sig, k.es256 + ".",
		// encoding/base64 skips CR and LF: a copy of a valid token with
		// one inside its signature must not verify as the same token.
		header + "." + claims + "." + sig[:10] + "\r\n" + sig[10:], header + "." + claims[:8] + "\n" + claims[8:] + "." + sig,
	}
}

// FuzzParseJWS feeds the JWS parser every kind of bearer token. It must
// not panic; a refusal is an ErrInvalidToken that does not hold the token;
// whatever parses is ES256 or RS256 without crit, is the canonical
// encoding of its parts, parses the same from the header cache, and
// verifies with the test keys exactly when go-jose verifies it, with the
// same payload.
func FuzzParseJWS(f *testing.F) {
	k := testKeys()
	for _, s := range fuzzSeeds(k) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		var hc headerCache
		j, err := hc.parseJWS(token)
		cached, cachedErr := hc.parseJWS(token)
		if (err == nil) != (cachedErr == nil) || !reflect.DeepEqual(j, cached) {
			t.Fatalf("parsed again from the header cache: %+v, %v; first %+v, %v", cached, cachedErr, j, err)
		}
		if err != nil {
			checkRefusal(t, token, err)
			return
		}
		checkParsed(t, token, j)
		for _, key := range []any{&k.ec.PublicKey, &k.rsa.PublicKey} {
			checkVerify(t, token, j, key)
		}
		if (token == k.es256 || token == k.rs256) && !j.verify(&k.ec.PublicKey) && !j.verify(&k.rsa.PublicKey) {
			t.Errorf("a valid token does not verify with its key: %s", token)
		}
	})
}

// checkRefusal checks that err refuses token as invalid without quoting it.
func checkRefusal(t *testing.T, token string, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalidToken) {
		t.Errorf("parseJWS error %v, want ErrInvalidToken", err)
	}
	if len(token) >= 48 && strings.Contains(err.Error(), token) {
		t.Errorf("parseJWS error quotes the token: %v", err)
	}
}

// checkParsed checks what parseJWS accepted.
func checkParsed(t *testing.T, token string, j *jws) {
	t.Helper()
	if a := j.header.Alg; (a != "ES256" && a != "RS256") || len(j.header.Crit) > 0 {
		t.Errorf("parsed a header with alg %q, crit %s", a, j.header.Crit)
	}
	header, _, _ := strings.Cut(j.signed, ".")
	if again := header + "." + b64.EncodeToString(j.payload) + "." + b64.EncodeToString(j.sig); again != token {
		t.Errorf("the parts encode to %q, not to the token %q", again, token)
	}
}

// checkVerify checks that j verifies with key exactly when go-jose
// verifies the token with it, with the same payload, and gives the same
// answer twice.
func checkVerify(t *testing.T, token string, j *jws, key any) {
	t.Helper()
	ok := j.verify(key)
	if again := j.verify(key); again != ok {
		t.Fatalf("verify with %T: %v, then %v", key, ok, again)
	}
	var payload []byte
	js, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err == nil {
		payload, err = js.Verify(key)
	}
	if ok != (err == nil) {
		t.Fatalf("verify with %T = %v, go-jose: %v", key, ok, err)
	}
	if ok && string(payload) != string(j.payload) {
		t.Errorf("verified payload %q, go-jose %q", j.payload, payload)
	}
}
