package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/api"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/compat"
	"github.com/hubauth/hubauth/internal/server/docs"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/server/openapi"
	"github.com/hubauth/hubauth/internal/server/ops"
	"github.com/hubauth/hubauth/internal/server/pages"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/server/routes"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/server/upstream"
)

// Server is a configured hub.
type Server struct {
	cfg      Config
	handler  http.Handler
	keys     *keys.Keyring
	hasher   *password.Hasher
	holder   string // this node's name for database leases
	patterns []string
	bearer   *bearer.Verifier
	// stopUses ends the loop that writes personal-token uses; usesDone
	// is closed when it has.
	stopUses context.CancelFunc
	usesDone chan struct{}
}

// New validates cfg, seeds the database and builds the handler.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	cfg.Issuer = strings.TrimSuffix(cfg.Issuer, "/")
	if err := seed(ctx, cfg.Store, &cfg); err != nil {
		return nil, err
	}
	ring := keys.NewKeyring(cfg.Store, cfg.AccessTokenTTL+time.Minute, cfg.KeyRefresh, cfg.Now)
	if err := ring.EnsureActive(ctx); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, keys: ring, holder: secret.ID(), hasher: password.NewHasher(cfg.PasswordParams, cfg.PasswordWorkers, 0)}
	h, err := s.routes()
	if err != nil {
		s.hasher.Close()
		return nil, err
	}
	s.handler = h
	s.startUses()
	return s, nil
}

// Handler serves the whole hub.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns the patterns registered on the hub's mux, in order (the
// OpenAPI test holds those under /api/v1 against the document).
func (s *Server) Routes() []string { return slices.Clone(s.patterns) }

// Close stops the password workers and writes the personal-token uses
// held in memory; call it after the HTTP server has stopped and before
// the store is closed.
func (s *Server) Close() {
	s.hasher.Close()
	s.stopUses()
	<-s.usesDone
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.bearer.FlushAllUses(ctx); err != nil {
		s.cfg.Logger.Error("write personal tokens' last use", "err", err)
	}
}

func (s *Server) routes() (http.Handler, error) {
	cfg := s.cfg
	metrics := ops.NewMetrics()
	verifier := bearer.NewVerifier(cfg.Issuer, s.keys, cfg.Store, cfg.Now)
	s.bearer = verifier
	// Every handler writes through the verifier's watch: a revocation here
	// empties its cache of verified tokens at once.
	cfg.Store = verifier.Watch(cfg.Store)
	catalog := scopes.NewCatalog(cfg.Store, cfg.Now)
	issuer := &account.Issuer{Store: cfg.Store, Scopes: catalog, Logger: cfg.Logger, Now: cfg.Now,
		Policy: account.TokenPolicy{Max: cfg.AppTokenMax, NoExpiry: cfg.AppTokenNoExpiry}, Bearer: verifier}
	factors := mfa.New(mfa.Config{Store: cfg.Store, Policy: cfg.RequireMFA, Issuer: issuerName(cfg.Issuer), Origin: cfg.Issuer, Now: cfg.Now})
	prov, err := provider.New(provider.Config{
		Issuer: cfg.Issuer, Store: cfg.Store, Scopes: catalog, Keys: s.keys, Logger: cfg.Logger, Now: cfg.Now,
		AccessTokenTTL: cfg.AccessTokenTTL, RefreshGrace: cfg.RefreshGrace, Tokens: issuer, MFA: factors,
	}, verifier, strings.HasPrefix(cfg.Issuer, "http://"))
	if err != nil {
		return nil, err
	}
	auth := &authn.Authenticator{Store: cfg.Store, Hasher: s.hasher, FailedLogins: metrics.FailedLogins, Now: cfg.Now,
		Guard: throttle.NewLoginGuard(throttle.LoginGuardConfig{Now: cfg.Now}), PasswordOff: cfg.DisablePasswordLogin}
	secure := strings.HasPrefix(cfg.Issuer, "https://")
	fed := upstream.New(upstream.Config{Store: cfg.Store, Issuer: cfg.Issuer, PasswordOff: cfg.DisablePasswordLogin, SecureCookies: secure, Logger: cfg.Logger, Now: cfg.Now})
	pg, err := pages.New(pages.Config{
		Store: cfg.Store, Provider: prov, Scopes: catalog, Authn: auth, SecureCookies: secure,
		Issuer: issuer, Federation: fed, MFA: factors, UpstreamStarts: newUpstreamStarts(cfg.Now),
		CodeEntry:      throttle.NewKeyed(0.2, 10, 100_000, cfg.Now),
		CodeEntryTotal: throttle.NewKeyed(20, 100, 1, cfg.Now),
		WrongCodes:     newWrongCodes(cfg.Now),
		Logger:         cfg.Logger, Now: cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	doc, err := openapi.New(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	mux := routes.NewRecorder()
	pg.Mount(mux)
	compat.New(compat.Config{Store: cfg.Store, Provider: prov, Scopes: catalog, Authn: auth, MFA: factors, Bearer: verifier, Issuer: issuer,
		AllowGET: cfg.NomadGetToken, PublicURL: cfg.Issuer, Logger: cfg.Logger, Now: cfg.Now}).Mount(mux)
	(&api.Handler{Store: cfg.Store, Bearer: verifier, Scopes: catalog, Logger: cfg.Logger, Now: cfg.Now, Issuer: issuer}).Mount(mux)
	doc.Mount(mux)
	metrics.Mount(mux, cfg.Store.Ping)
	if err := docs.Mount(mux, cfg.Issuer); err != nil {
		return nil, err
	}
	// The request limits come before anything reads the request or the
	// database; at /authorize, AuthorizeStep only renders their errors.
	oidcHandler := newRequestLimits(cfg.Now).Handler(pages.WithSession(cfg.Store, cfg.Now, noStore(provider.Guard(prov.Handler))))
	mux.Handle(provider.PathAuthorize, pg.AuthorizeStep(oidcHandler))
	mux.Handle("/", oidcHandler)
	s.patterns = mux.Patterns()
	addrs := clientaddr.NewResolver(cfg.TrustedProxies)
	return addrs.Handler(metrics.Instrument(cfg.Logger, provider.PathToken, provider.Paths, mux)), nil
}

// noStore forbids caching of every protocol answer but discovery and keys
// (RFC 6749 §5.1).
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != provider.PathJWKS && r.URL.Path != "/.well-known/openid-configuration" {
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Pragma", "no-cache")
		}
		h.ServeHTTP(w, r)
	})
}

// newRequestLimits are the per-address rates of /authorize (30 at once,
// then one every 2 s) and of device authorization (20, then one every 5 s):
// more than people and their devices need, and each address may store at
// most a few MB of pending requests.
func newRequestLimits(now func() time.Time) provider.RequestLimits {
	return provider.RequestLimits{Authorize: throttle.NewKeyed(0.5, 30, 0, now), Device: throttle.NewKeyed(0.2, 20, 0, now)}
}

// newUpstreamStarts is the per-address rate of sign-ins started at an
// upstream provider (20 at once, then one every 3 s): each stores a pending
// login, and each sends the browser to someone else's server.
func newUpstreamStarts(now func() time.Time) *throttle.Keyed {
	return throttle.NewKeyed(1.0/3, 20, 0, now)
}

// newWrongCodes slows down user-code guessing (RFC 8628 §5.1): after 5 wrong
// codes from one address each next entry waits twice as long, from 5 s (the
// steady rate code entry allows anyway) up to 5 min. That leaves one address
// about a dozen guesses in 10 minutes (TestDeviceCodeGuessing measures it),
// while a person who mistypes a few times is not slowed.
func newWrongCodes(now func() time.Time) *throttle.Backoff {
	return throttle.NewBackoff(throttle.BackoffConfig{FreeFailures: 5, BaseDelay: 5 * time.Second, MaxDelay: 5 * time.Minute, Now: now})
}

// issuerName is how authenticator apps name the hub: the issuer's host.
func issuerName(issuer string) string {
	if u, err := url.Parse(issuer); err == nil && u.Host != "" {
		return u.Host
	}
	return issuer
}
