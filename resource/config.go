package resource

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config configures a Middleware. Zero values take the documented
// defaults; a negative duration or size switches the feature off.
type Config struct {
	// Issuer is the hub's issuer URL, e.g. https://auth.example.org. Its
	// discovery document is read from Issuer +
	// "/.well-known/openid-configuration" and must name the same issuer.
	Issuer string

	// Audience, when set, must be among a JWT's aud values (hubauth puts
	// the client id the token was issued to there) and an introspection
	// answer's aud when it has one. Empty: aud is not checked.
	Audience string

	// ClientID and ClientSecret are the API's confidential client at the
	// hub, used with HTTP basic authentication to introspect opaque tokens
	// (personal tokens). Without them opaque tokens are refused.
	ClientID     string
	ClientSecret string

	// IntrospectionCacheTTL bounds how long an introspection answer (and
	// with UserInfo a userinfo answer) is reused, so a revoked personal
	// token stops working within it. Default 30 s; negative: never reused.
	// Refusals are reused for at most min(5 s, this).
	IntrospectionCacheTTL time.Duration

	// Leeway is the clock skew allowed on exp and nbf. Default 30 s;
	// negative: none.
	Leeway time.Duration

	// AllowAnonymous lets requests without an Authorization header through
	// with no Caller (public data). A header that is present must still be
	// valid.
	AllowAnonymous bool

	// UserInfo completes Caller.Username and Caller.Groups from the
	// issuer's userinfo endpoint, called with the caller's token and cached
	// like an introspection answer. Off by default: every check is then
	// offline for JWTs.
	UserInfo bool

	// Realm is the realm of the WWW-Authenticate challenges (RFC 6750 §3).
	// Default "hubauth".
	Realm string

	// HTTPClient makes the requests to the issuer. Default: a client with a
	// 10 s timeout.
	HTTPClient *http.Client

	// CacheSize bounds the number of verified JWTs and of introspection
	// answers kept (each). Default 10,000; negative: no cache (every
	// request verifies its token, and introspects an opaque one).
	CacheSize int
}

// Defaults.
const (
	DefaultIntrospectionCacheTTL = 30 * time.Second
	DefaultLeeway                = 30 * time.Second
	DefaultCacheSize             = 10_000
	DefaultRealm                 = "hubauth"

	// negativeTTL bounds how long a refused opaque token is remembered.
	negativeTTL = 5 * time.Second
)

func (c *Config) validate() error {
	u, err := url.Parse(c.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("resource: issuer %q must be an absolute http(s) URL without query or fragment", c.Issuer)
	}
	if (c.ClientID == "") != (c.ClientSecret == "") {
		return errors.New("resource: ClientID and ClientSecret go together (introspection needs both)")
	}
	if strings.ContainsAny(c.Realm, "\"\\") {
		return errors.New("resource: Realm must not contain quotes or backslashes")
	}
	return nil
}

// withDefaults returns c with the zero values replaced.
func (c Config) withDefaults() Config {
	c.Issuer = strings.TrimSuffix(c.Issuer, "/")
	def := func(d *time.Duration, v time.Duration) {
		switch {
		case *d == 0:
			*d = v
		case *d < 0:
			*d = 0
		}
	}
	def(&c.IntrospectionCacheTTL, DefaultIntrospectionCacheTTL)
	def(&c.Leeway, DefaultLeeway)
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.Realm == "" {
		c.Realm = DefaultRealm
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return c
}
