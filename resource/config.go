package resource

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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

	// URL is the API's public URL as clients reach it, e.g.
	// https://data.example.org: its resource identifier (RFC 8707, RFC
	// 9728 §1.2), which the hub puts in the aud of the tokens meant for
	// this API once the API is registered there (hubauth admin api add ID
	// --uri URL). It is the default Audience and the resource of the
	// metadata Middleware.Metadata serves. An absolute http(s) URL without
	// query or fragment.
	URL string

	// Audience lists the aud values accepted: a JWT's aud, and an
	// introspection answer's, must name one of them. Default: URL. New
	// refuses a Config with neither, unless AnyAudience says so.
	Audience []string

	// AnyAudience accepts tokens whatever their aud: those the hub issued
	// to any of its clients and for any of its APIs. It is for an API that
	// decides by scope alone and says so (a hub whose tokens carry no API
	// audience yet); it cannot go with Audience.
	AnyAudience bool

	// AcceptJWTAudience also accepts JWTs that have neither a scope (or
	// scp) claim nor the RFC 9068 typ at+jwt when their aud names the
	// API (Audience): the access tokens of providers that mark them by
	// audience alone. What may be an ID token is still refused: one with
	// nonce, at_hash or c_hash, a payload typ "ID" (Keycloak), or an azp
	// that is one of the audiences (an ID token issued to a client that is
	// also the API's audience); and New refuses an Audience that holds
	// ClientID, since an ID token for the API's own client has that aud.
	// A provider whose access tokens cannot be told from its ID tokens
	// (Dex) cannot be trusted safely this way.
	AcceptJWTAudience bool

	// RefusePersonalTokens refuses hubauth personal tokens (hubauth_pat_…).
	// Without it they are accepted with no aud: a personal token is its
	// user's own full-power token at the hub, good at every API of it
	// (README "Data APIs: checking the audience").
	RefusePersonalTokens bool

	// Scopes are the scopes the API understands, published in its metadata
	// as scopes_supported (RFC 9728 §2). Optional.
	Scopes []string

	// Name is the API's name for people, published in its metadata as
	// resource_name (RFC 9728 §2). Optional.
	Name string

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
	return c.validateAudience()
}

// ErrNoAudience is New's error for a Config that names no audience and
// does not say AnyAudience.
var ErrNoAudience = errors.New("resource: no audience: set Config.URL (the API's public URL, which the hub puts in the aud of tokens meant for the API) or Config.Audience; Config.AnyAudience: true accepts tokens meant for any client or API of the issuer")

// validateAudience checks URL, Audience and the switches that go with
// them.
func (c *Config) validateAudience() error {
	if c.URL != "" {
		u, err := url.Parse(c.URL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("resource: URL %q must be an absolute http(s) URL without query or fragment", c.URL)
		}
	}
	switch {
	case slices.Contains(c.Audience, ""):
		return errors.New("resource: Audience has an empty value")
	case c.AnyAudience && len(c.Audience) > 0:
		return errors.New("resource: AnyAudience and Audience contradict each other: give one")
	case c.AnyAudience && c.AcceptJWTAudience:
		return errors.New("resource: AcceptJWTAudience needs an audience to check, not AnyAudience")
	case !c.AnyAudience && c.URL == "" && len(c.Audience) == 0:
		return ErrNoAudience
	case c.AcceptJWTAudience && c.ClientID != "" && slices.Contains(c.audiences(), c.ClientID):
		return fmt.Errorf("resource: AcceptJWTAudience with the API's own client %q among the audiences would take its ID tokens for access tokens", c.ClientID)
	}
	return nil
}

// audiences are the aud values accepted: Audience, else URL.
func (c *Config) audiences() []string {
	if len(c.Audience) == 0 && c.URL != "" {
		return []string{c.URL}
	}
	return c.Audience
}

// withDefaults returns c with the zero values replaced.
func (c Config) withDefaults() Config {
	c.Issuer = strings.TrimSuffix(c.Issuer, "/")
	if !c.AnyAudience {
		c.Audience = c.audiences()
	}
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
