package resource

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"
)

// FuzzCheckClaims feeds arbitrary claims to the checks after the
// signature, for an API at https://data.example.org with and without
// AcceptJWTAudience. It must not panic; a refusal is an ErrInvalidToken;
// what passes has a subject, an expiry ahead, the issuer, the API among
// its aud, and a scope, scp, typ at+jwt or (with AcceptJWTAudience) none
// of an ID token's claims, no payload typ "ID" and an azp other than the
// API.
func FuzzCheckClaims(f *testing.F) {
	const api, issuer = "https://data.example.org", "https://hub.example"
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":"https://data.example.org","exp":1893456000,"scope":"a b"}`), false, false)
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":["x","https://data.example.org"],"exp":1893456000,"scp":["a"]}`), false, false)
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":"https://data.example.org","exp":1893456000}`), true, true)
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":"https://data.example.org","exp":1893456000,"nonce":"n"}`), false, true)
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":"hubauth-cli","exp":1893456000,"scope":"openid"}`), false, false)
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":"https://data.example.org","azp":"https://data.example.org","exp":1893456000}`), false, true)
	f.Add([]byte(`{"iss":"https://hub.example","sub":"u","aud":"https://data.example.org","typ":"ID","exp":1893456000}`), false, true)
	f.Add([]byte(`{"aud":null,"scope":null,"exp":1e300}`), false, false)
	now := time.Unix(1767225600, 0)
	f.Fuzz(func(t *testing.T, payload []byte, atJWT, acceptAud bool) {
		m := &Middleware{cfg: Config{Issuer: issuer, URL: api, AcceptJWTAudience: acceptAud}.withDefaults(), issuer: issuer,
			now: func() time.Time { return now }}
		var c accessClaims
		if json.Unmarshal(payload, &c) != nil {
			return
		}
		err := m.checkClaims(&c, atJWT)
		if err != nil {
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("refusal %v is not ErrInvalidToken", err)
			}
			return
		}
		switch {
		case c.Subject == "" || c.Issuer != issuer || c.Expiry == nil || !unixTime(*c.Expiry).After(now.Add(-m.cfg.Leeway)):
			t.Fatalf("accepted claims without a subject, the issuer or an expiry ahead: %s", payload)
		case !slices.Contains(c.Audience, api):
			t.Fatalf("accepted claims for another audience: %s", payload)
		case c.scopes() == nil && !atJWT && (!acceptAud || c.Nonce != nil || c.AtHash != nil || c.CHash != nil ||
			c.Typ == "ID" || c.AuthorizedParty == api):
			t.Fatalf("accepted claims that are not an access token's: %s (at+jwt %v, AcceptJWTAudience %v)", payload, atJWT, acceptAud)
		}
	})
}
