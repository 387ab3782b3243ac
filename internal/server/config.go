package server

import (
	"errors"
	"fmt"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"log/slog"
	"net/netip"
	"time"

	"github.com/hubauth/hubauth/internal/issuer"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/storage"
)

// Config configures a hub. Zero values take the documented defaults.
type Config struct {
	// Issuer is the public base URL, e.g. https://auth.example.org.
	Issuer string
	Store  storage.Storage
	Logger *slog.Logger
	Now    func() time.Time

	AccessTokenTTL time.Duration // default 15m
	RefreshGrace   time.Duration // default 10s
	AppTokenMax    time.Duration // default 720h
	// AppTokenNoExpiry lets users create personal tokens that never
	// expire (the API's expires_in 0, the account page's "never").
	AppTokenNoExpiry bool
	// NomadGetToken keeps the GET form of /api/v1/auth/token.
	NomadGetToken bool
	// DisablePasswordLogin makes a federated-only hub (serve
	// --password-login=false): no password is accepted anywhere (the login
	// page, the device page, /api/v1/auth/token) and the login page shows
	// only the upstream providers' buttons.
	DisablePasswordLogin bool
	// RequireMFA says who must sign in with a second factor (serve
	// --require-mfa): mfa.PolicyOff (zero value), PolicyAdmins, PolicyAll.
	RequireMFA mfa.Policy
	// AllowInsecureIssuer accepts an http:// issuer on a non-loopback host
	// (serve --dev only).
	AllowInsecureIssuer bool
	// PasswordParams are the argon2id costs for new hashes; default
	// password.DefaultParams. Tests use cheaper ones.
	PasswordParams password.Params
	// PasswordWorkers bounds concurrent argon2id hashes; default one per core.
	PasswordWorkers int
	// GCInterval is how often expired rows are deleted; default 1m.
	GCInterval time.Duration
	// KeyRefresh is how often signing keys are re-read from the database,
	// so a rotation made elsewhere is picked up; default 5s.
	KeyRefresh time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For or
	// Forwarded header names the client (serve --trusted-proxy); from any
	// other peer these headers are ignored. See package clientaddr.
	TrustedProxies []netip.Prefix
}

func (c *Config) validate() error {
	if c.Store == nil {
		return errors.New("server: no store")
	}
	switch err := issuer.Check(c.Issuer, c.AllowInsecureIssuer); {
	case errors.Is(err, issuer.ErrMalformed):
		return fmt.Errorf("server: issuer %q must be an absolute http(s) URL without query or fragment", c.Issuer)
	case errors.Is(err, issuer.ErrInsecure):
		return fmt.Errorf("server: issuer %q uses http on a non-loopback host; use https (or --dev for a test setup)", c.Issuer)
	}
	if c.AccessTokenTTL < 0 || c.RefreshGrace < 0 || c.AppTokenMax < 0 {
		return errors.New("server: durations must not be negative")
	}
	if c.AppTokenMax != 0 && c.AppTokenMax < time.Second {
		return errors.New("server: the longest personal token lifetime (app-token-max) must be at least 1s")
	}
	for _, p := range c.TrustedProxies {
		if !p.IsValid() {
			return fmt.Errorf("server: trusted proxy %q is not a valid network", p)
		}
	}
	return nil
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.AccessTokenTTL, 15*time.Minute)
	def(&c.RefreshGrace, 10*time.Second)
	def(&c.AppTokenMax, 720*time.Hour)
	def(&c.GCInterval, time.Minute)
	def(&c.KeyRefresh, 5*time.Second)
	if c.PasswordParams == (password.Params{}) {
		c.PasswordParams = password.DefaultParams
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}
