package resource

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// keySet is the issuer's published keys (RFC 7517), fetched on first use
// and again when a token names an unknown key id or the set is older than
// maxAge, at most once per minInterval however many tokens ask.
type keySet struct {
	uri         string
	client      *http.Client
	now         func() time.Time
	minInterval time.Duration
	maxAge      time.Duration

	fetchMu sync.Mutex // one fetch at a time
	mu      sync.RWMutex
	keys    []jose.JSONWebKey
	fetched time.Time // last successful fetch
	tried   time.Time // last attempt
	lastErr error     // of the last attempt
}

// find returns the keys that may have signed a token with header kid and
// alg, fetching the set when needed and allowed.
func (s *keySet) find(ctx context.Context, kid, alg string) ([]jose.JSONWebKey, error) {
	s.mu.RLock()
	found, fresh := match(s.keys, kid, alg), s.now().Sub(s.fetched) < s.maxAge
	s.mu.RUnlock()
	if len(found) > 0 && fresh {
		return found, nil
	}
	if !s.refresh(ctx) && len(found) > 0 {
		return found, nil // stale but the issuer is unreachable: keep trusting the set we had
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if found = match(s.keys, kid, alg); len(found) > 0 {
		return found, nil
	}
	if s.fetched.IsZero() || s.lastErr != nil && s.now().Sub(s.tried) < s.minInterval {
		return nil, unavailable(s.lastErr, "the issuer's signing keys could not be fetched")
	}
	return nil, invalid("the token is signed with a key the issuer does not publish (kid %q)", clip(kid))
}

// refresh fetches the set unless it was tried less than minInterval ago,
// and reports whether it has just been fetched.
func (s *keySet) refresh(ctx context.Context) bool {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	s.mu.RLock()
	recent := !s.tried.IsZero() && s.now().Sub(s.tried) < s.minInterval
	s.mu.RUnlock()
	if recent {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callTimeout)
	defer cancel()
	keys, err := s.fetch(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tried, s.lastErr = s.now(), err
	if err != nil {
		return false
	}
	s.keys, s.fetched = keys, s.tried
	return true
}

// fetch reads the set, skipping keys it cannot use.
func (s *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.uri, nil)
	if err != nil {
		return nil, err
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := doJSON(s.client, req, &set); err != nil {
		return nil, err
	}
	var keys []jose.JSONWebKey
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(raw) == nil && k.IsPublic() && (k.Use == "" || k.Use == "sig") && usable(k.Key) != "" {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// match returns the keys with id kid (any, when kid is empty) fit for alg.
func match(keys []jose.JSONWebKey, kid, alg string) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range keys {
		if (kid == "" || k.KeyID == kid) && (k.Algorithm == "" || k.Algorithm == alg) && usable(k.Key) == alg {
			out = append(out, k)
		}
	}
	return out
}

// usable returns the algorithm a public key may verify: ES256 for P-256
// keys, RS256 for RSA keys of 2048 bits or more, "" for anything else.
func usable(key any) string {
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return string(jose.ES256)
		}
	case *rsa.PublicKey:
		if k.N.BitLen() >= 2048 {
			return string(jose.RS256)
		}
	}
	return ""
}

// clip shortens text taken from a token for an error description.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
