package resource

import (
	"context"
	"strings"
	"time"
)

// Middleware verifies bearer tokens for a data API. It is safe for
// concurrent use; make one per API and wrap every route with Handler.
type Middleware struct {
	cfg     Config
	issuer  string
	disc    *discovery
	keys    *keySet
	now     func() time.Time
	jwts    *cache[Caller] // verified JWTs, until their exp
	opaque  *cache[Caller] // active introspection answers
	refused *cache[error]  // inactive ones, briefly
	flights flight[Caller] // one issuer call per token at a time
	headers headerCache    // decoded JWS headers
	params  authParams     // every challenge's realm and metadata URL
}

// Key set refresh bounds: a token with an unknown key id fetches the set
// at most once per keyRefetchInterval; a set older than keyMaxAge is
// fetched again, so that a key the issuer withdrew stops being trusted.
const (
	keyRefetchInterval = 10 * time.Second
	keyMaxAge          = time.Hour
)

// New checks cfg and reads the issuer's discovery document, so a wrong
// issuer fails here rather than on the first request. The signing keys
// are fetched on first use.
func New(ctx context.Context, cfg Config) (*Middleware, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	disc, err := discover(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	m := &Middleware{cfg: cfg, issuer: disc.Issuer, disc: disc, now: time.Now, params: authParams{realm: cfg.Realm, metadata: metadataURL(cfg.URL)}}
	m.keys = &keySet{uri: disc.JWKSURI, client: cfg.HTTPClient, now: m.now,
		minInterval: keyRefetchInterval, maxAge: keyMaxAge}
	m.jwts = newCache[Caller](cfg.CacheSize)
	m.opaque = newCache[Caller](cfg.CacheSize)
	m.refused = newCache[error](max(cfg.CacheSize/10, min(cfg.CacheSize, 100)))
	return m, nil
}

// Verify checks token as Handler does and returns its caller, for APIs
// that take tokens elsewhere than in an HTTP Authorization header. Errors
// match ErrInvalidToken (refused) or ErrUnavailable (the issuer could not
// be asked).
func (m *Middleware) Verify(ctx context.Context, token string) (Caller, error) {
	if !validToken(token) {
		return Caller{}, invalid("the token is not a valid bearer token (RFC 6750 §2.1)")
	}
	k, now := keyOf(token), m.now()
	if isJWT(token) {
		if c, ok := m.jwts.get(k, now); ok {
			return c, nil
		}
		return m.verifyJWTSlow(ctx, token, k, now)
	}
	if m.cfg.ClientID == "" {
		return Caller{}, invalid("opaque tokens are not accepted here: the API has no client credentials to introspect them")
	}
	if c, ok := m.opaque.get(k, now); ok {
		return c, nil
	}
	if err, ok := m.refused.get(k, now); ok {
		return Caller{}, err
	}
	return m.flights.do(ctx, k, func(ctx context.Context) (Caller, error) {
		return m.introspectAndCache(ctx, token, k)
	})
}

// verifyJWTSlow verifies a JWT not in the cache and caches the result
// until its exp (and, with UserInfo, at most the introspection TTL).
func (m *Middleware) verifyJWTSlow(ctx context.Context, token string, k tokenKey, now time.Time) (Caller, error) {
	c, exp, err := m.verifyJWT(ctx, token)
	if err != nil || !m.cfg.UserInfo {
		if err == nil {
			m.jwts.put(k, c, exp, now)
		}
		return c, err
	}
	return m.flights.do(ctx, k, func(ctx context.Context) (Caller, error) {
		c, err := m.userInfo(ctx, token, c)
		if err == nil {
			m.jwts.put(k, c, earliest(exp, now.Add(m.cfg.IntrospectionCacheTTL)), now)
		}
		return c, err
	})
}

// isJWT reports whether token has the shape of a JWS compact
// serialization (RFC 7515 §7.1); anything else is introspected.
func isJWT(token string) bool { return strings.Count(token, ".") == 2 }

// maxTokenLength bounds the tokens looked at.
const maxTokenLength = 8192

// validToken reports whether token has the b64token syntax of RFC 6750
// §2.1: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func validToken(token string) bool {
	if token == "" || len(token) > maxTokenLength {
		return false
	}
	body := strings.TrimRight(token, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
