package upstream

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// Config is what a Federation needs. Zero values mean the defaults said.
type Config struct {
	Store storage.Storage
	// Issuer is the hub's; the callback URL registered at each upstream is
	// Issuer + "/login/" + NAME + "/callback".
	Issuer string
	// Client reaches the upstreams; nil: one with a 10 s time limit.
	Client *http.Client
	// CacheTTL bounds how long Enabled and the upstreams' discovery
	// documents are kept before they are read again; 0: 5 s.
	CacheTTL time.Duration
	// FinishTimeout bounds a callback as a whole (discovery, token, keys,
	// userinfo); 0: 20 s.
	FinishTimeout time.Duration
	// PasswordOff: password sign-in is off (serve --password-login=false),
	// so a password is no way to sign in when an identity is unlinked.
	PasswordOff bool
	// SecureCookies marks the browser-binding cookie Secure (https issuers).
	SecureCookies bool
	// Logger receives diagnostics (never a secret); nil: discarded.
	Logger *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// Default values of Config's zero fields.
const (
	defaultTimeout       = 10 * time.Second
	defaultCacheTTL      = 5 * time.Second
	defaultFinishTimeout = 20 * time.Second
)

// Federation signs users in through the upstream providers stored in
// Config.Store. It is safe for concurrent use.
type Federation struct {
	cfg    Config
	client *http.Client
	ttl    time.Duration
	// finishTimeout bounds Finish.
	finishTimeout time.Duration
	log           *slog.Logger
	now           func() time.Time

	mu        sync.Mutex
	enabled   []storage.IdentityProvider
	enabledAt time.Time
	upstreams map[string]*upstream // by provider name
}

// New returns a Federation over cfg.
func New(cfg Config) *Federation {
	f := &Federation{cfg: cfg, client: cfg.Client, ttl: cfg.CacheTTL, finishTimeout: cfg.FinishTimeout, log: cfg.Logger,
		now: cfg.Now, upstreams: map[string]*upstream{}}
	if f.finishTimeout <= 0 {
		f.finishTimeout = defaultFinishTimeout
	}
	if f.client == nil {
		f.client = &http.Client{Timeout: defaultTimeout}
	}
	if f.ttl <= 0 {
		f.ttl = defaultCacheTTL
	}
	if f.log == nil {
		f.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if f.now == nil {
		f.now = time.Now
	}
	return f
}

// Enabled lists the enabled providers, sorted by name, read again after
// CacheTTL: the login page's buttons. Their ClientSecret is blanked.
func (f *Federation) Enabled(ctx context.Context) ([]storage.IdentityProvider, error) {
	now := f.now()
	f.mu.Lock()
	if f.enabled != nil && now.Sub(f.enabledAt) < f.ttl {
		defer f.mu.Unlock()
		return append([]storage.IdentityProvider(nil), f.enabled...), nil
	}
	f.mu.Unlock()
	all, err := f.cfg.Store.ListIdentityProviders(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]storage.IdentityProvider, 0, len(all))
	for _, p := range all {
		if !p.Disabled {
			out = append(out, public(p))
		}
	}
	f.mu.Lock()
	f.enabled, f.enabledAt = out, now
	f.mu.Unlock()
	return append([]storage.IdentityProvider(nil), out...), nil
}

// public returns p without its client secret, for what leaves the package.
func public(p storage.IdentityProvider) storage.IdentityProvider {
	p.ClientSecret = ""
	return p
}

// callbackURL is the redirect URI of provider name at its upstream.
func (f *Federation) callbackURL(name string) string {
	return f.cfg.Issuer + "/login/" + name + "/callback"
}

// audit appends an event; a failure to write it is logged, not returned:
// the sign-in's outcome does not depend on it.
func (f *Federation) audit(ctx context.Context, typ, userID, addr, detail string) {
	e := storage.AuditEvent{Time: f.now().UTC(), Type: typ, UserID: userID, Address: addr, Detail: detail}
	if err := f.cfg.Store.AppendAudit(ctx, e); err != nil {
		f.log.ErrorContext(ctx, "upstream: write audit event", "type", typ, "err", err)
	}
}
