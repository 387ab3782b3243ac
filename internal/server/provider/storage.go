package provider

import (
	"context"
	"log/slog"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// Config is what the provider needs; zero durations take the defaults below.
type Config struct {
	Issuer string
	Store  storage.Storage
	Keys   *keys.Keyring
	// Scopes is the scopes the hub grants; default a catalog over Store.
	Scopes *scopes.Catalog
	// APIs is the registered APIs (RFC 8707 audiences); default a
	// catalog over Store.
	APIs   *audience.Catalog
	Logger *slog.Logger
	Now    func() time.Time

	AccessTokenTTL  time.Duration // default 15m
	RefreshTokenTTL time.Duration // idle lifetime of a refresh token; default 30 days
	SessionTTL      time.Duration // absolute lifetime of a login session; default 90 days
	RefreshGrace    time.Duration // reuse grace window; default 10s (negative: none)
	DeviceLifetime  time.Duration // default 10m
	DeviceInterval  time.Duration // default 5s
	LoginPath       string        // default /login
	DevicePath      string        // default /device
	LogoutPath      string        // default /logout
	// Tokens revokes personal tokens at the revocation endpoint (RFC
	// 7009); default an account.Issuer over Store and the verifier New is
	// given.
	Tokens *account.Issuer
	// MFA says whether a user's sign-ins need a second factor (the user
	// has one, or the policy requires one): a refresh of a sign-in
	// without one is refused then. Nil: none is ever needed.
	MFA SecondFactors
}

// SecondFactors says whether a sign-in of u must have passed a second
// factor (mfa.Service).
type SecondFactors interface {
	Needed(ctx context.Context, u storage.User) (bool, error)
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.AccessTokenTTL, 15*time.Minute)
	def(&c.RefreshTokenTTL, 30*24*time.Hour)
	def(&c.SessionTTL, 90*24*time.Hour)
	def(&c.RefreshGrace, 10*time.Second)
	if c.RefreshGrace < 0 {
		c.RefreshGrace = 0
	}
	def(&c.DeviceLifetime, 10*time.Minute)
	def(&c.DeviceInterval, 5*time.Second)
	if c.LoginPath == "" {
		c.LoginPath = "/login"
	}
	if c.DevicePath == "" {
		c.DevicePath = "/device"
	}
	if c.LogoutPath == "" {
		c.LogoutPath = "/logout"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Scopes == nil {
		c.Scopes = scopes.NewCatalog(c.Store, c.Now)
	}
	if c.APIs == nil {
		c.APIs = audience.NewCatalog(c.Store, c.Now)
	}
}

// Storage implements op.Storage (with client credentials and device
// authorization) over storage.Storage.
type Storage struct {
	cfg     Config
	store   storage.Storage
	keys    *keys.Keyring
	log     *slog.Logger
	clients *rowCache[storage.Client]
	users   *rowCache[storage.User]
	amrs    *rowCache[[]string] // sessions' AMR, fixed when a session starts
	// mfaNeeded says, by user id, whether the user's sign-ins need a
	// second factor: read by every refresh, changed by a set-up.
	mfaNeeded *rowCache[bool]
	scopes    *scopes.Catalog
}

var (
	_ op.Storage                        = (*Storage)(nil)
	_ op.ClientCredentialsStorage       = (*Storage)(nil)
	_ op.DeviceAuthorizationStorage     = (*Storage)(nil)
	_ op.CanSetUserinfoFromRequest      = (*Storage)(nil)
	_ op.CanTerminateSessionFromRequest = (*Storage)(nil)
)

func newStorage(cfg Config) *Storage {
	s := &Storage{cfg: cfg, store: cfg.Store, keys: cfg.Keys, log: cfg.Logger,
		clients: newRowCache(cfg.Store.GetClient, cfg.Now), users: newRowCache(cfg.Store.GetUser, cfg.Now),
		amrs: newRowCache(loadAMR(cfg.Store), cfg.Now), scopes: cfg.Scopes}
	s.mfaNeeded = newRowCache(s.loadMFANeeded, cfg.Now)
	return s
}

func (s *Storage) now() time.Time { return s.cfg.Now().UTC() }

// Health reports whether the database answers.
func (s *Storage) Health(ctx context.Context) error { return s.store.Ping(ctx) }

// audit appends an event; a failure is logged, never returned, because the
// action it records has already happened.
func (s *Storage) audit(ctx context.Context, e storage.AuditEvent) {
	e.Time = s.now()
	if e.Address == "" {
		e.Address = clientaddr.FromContext(ctx).String()
	}
	if err := s.store.AppendAudit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit", "type", e.Type, "err", err)
	}
}

// GetClientByClientID loads an enabled client.
func (s *Storage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.enabledClient(ctx, id)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// enabledClient loads an enabled client with the scopes it may ask for;
// invalid_client when it is unknown or disabled.
func (s *Storage) enabledClient(ctx context.Context, id string) (*client, error) {
	c, err := s.clients.get(ctx, id)
	if isNotFound(err) || (err == nil && c.Disabled) {
		return nil, oidc.ErrInvalidClient().WithDescription("unknown client %s", names.Quote(id))
	}
	if err != nil {
		return nil, err
	}
	return s.wrapClient(ctx, c)
}

// wrapClient adapts c, with the scopes it may ask for now (the library
// asks the client which scopes it may request, without a context).
func (s *Storage) wrapClient(ctx context.Context, c storage.Client) (*client, error) {
	set, err := s.scopes.ForClient(ctx, c)
	if err != nil {
		return nil, err
	}
	return &client{Client: c, loginPath: s.cfg.LoginPath, idTokenLife: s.cfg.AccessTokenTTL, scopes: set}, nil
}

// SigningKey returns the active key.
func (s *Storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	k, err := s.keys.Signing(ctx)
	if err != nil {
		return nil, err
	}
	return signingKey{k}, nil
}

// SignatureAlgorithms lists ES256.
func (s *Storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

// KeySet returns the published public keys.
func (s *Storage) KeySet(ctx context.Context) ([]op.Key, error) {
	list, err := s.keys.Published(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]op.Key, len(list))
	for i, k := range list {
		out[i] = publicKey{k}
	}
	return out, nil
}

type signingKey struct{ k *keys.Key }

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k signingKey) Key() any                                    { return k.k.Private }
func (k signingKey) ID() string                                  { return k.k.ID }

type publicKey struct{ k *keys.Key }

func (k publicKey) ID() string                         { return k.k.ID }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.k.Private.PublicKey }

// GetKeyByIDAndClientID is for JWT client authentication, which the hub does
// not offer.
func (s *Storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, oidc.ErrInvalidClient().WithDescription("private_key_jwt is not supported")
}

// ValidateJWTProfileScopes is for the JWT profile grant, which the hub does
// not offer.
func (s *Storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}
