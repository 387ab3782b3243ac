package client

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hubauth/hubauth/client/internal/store"
)

// Login methods, as recorded in a session and reported by Session.
const (
	MethodBrowser  = "browser"
	MethodDevice   = "device"
	MethodToken    = "token"
	MethodPassword = "password"
)

// Where a Client's credentials come from, as SessionInfo.Source reports
// when they are not in a file.
const (
	SourceEnv    = "HUBAUTH_TOKEN" // Config.Token
	SourceMemory = "memory"        // NoStore, or a data directory that cannot be written
)

// A Client logs in to one server as one profile, keeps that session and
// authenticates requests with it. Its methods are safe for concurrent use.
type Client struct {
	cfg    Config
	store  *store.Store
	vault  *vault      // Config.Keyring, bounded
	static staticToken // Config.Token, read once

	mu     sync.RWMutex // guards sess, has and bearer
	sess   store.Session
	has    bool
	bearer string // "Bearer " + sess.AccessToken, built once per token

	refreshMu sync.Mutex   // one refresh at a time in this process
	refreshed atomic.Int64 // when this process last refreshed, in Unix nanoseconds

	inMemory atomic.Bool // the store could not write its file and keeps sessions in memory

	discMu sync.Mutex
	meta   *providerMetadata
}

// New returns a Client for cfg with the session stored for cfg.Server and
// cfg.Profile, if there is one. It makes no network request; ctx is
// accepted for symmetry with the methods that do.
//
// New fails when cfg is invalid or the sessions file cannot be trusted
// (ErrInsecureFile) or read (ErrCorruptStore); a missing file is not an
// error. With cfg.Token set the sessions file is not read.
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, vault: &vault{kr: cfg.Keyring}}
	// The store warns only when it cannot write its file and switches to
	// memory: Session then reports SourceMemory.
	c.store = store.Open(cfg.DataDir, cfg.NoStore, func(msg string) {
		c.inMemory.Store(true)
		cfg.Warn(msg)
	})
	if cfg.Token != "" {
		c.static = newStaticToken(cfg.Token)
		return c, nil
	}
	sess, ok, err := c.store.Load(cfg.Server, cfg.Profile)
	if err != nil {
		return nil, err
	}
	c.setSession(sess, ok)
	return c, nil
}

// SessionInfo describes a Client's credentials without any secret.
type SessionInfo struct {
	Server   string
	Profile  string
	ClientID string
	Method   string // MethodBrowser, MethodDevice, MethodToken or MethodPassword
	Subject  string // the user's stable id (OIDC sub), if known
	Username string // the user's login name, if known
	Scopes   []string
	// Expiry is when the access token expires; zero when unknown.
	Expiry time.Time
	// Expired reports a session the server refused to refresh: the user
	// must log in again.
	Expired bool
	// Refreshable reports whether the session can renew its access token.
	Refreshable bool
	CreatedAt   time.Time
	// Source is where the credentials are kept: the sessions file's path,
	// SourceMemory or SourceEnv.
	Source string
	// Keyring is the account of the keyring entry (service
	// KeyringService) that holds the refresh token; empty when the
	// sessions file holds it.
	Keyring string
	// APITokens are the access tokens kept for APIs (RFC 8707 resources,
	// `hubauth token --resource`), oldest first: which API and until when,
	// never the token.
	APITokens []APITokenInfo
	// Default reports, in StoredSessions, the profile used for Server
	// when none is named: the one SetDefaultProfile chose, else
	// DefaultProfile. Session leaves it false.
	Default bool
}

// APITokenInfo describes an access token kept for an API.
type APITokenInfo struct {
	Resource string // the API's resource indicator (RFC 8707)
	Expiry   time.Time
}

// Session describes the current credentials; ok is false when there are
// none. It makes no request and reads no file.
func (c *Client) Session() (info SessionInfo, ok bool) {
	if c.cfg.Token != "" {
		return c.static.info(c.cfg), true
	}
	c.mu.RLock()
	s, has := c.sess, c.has
	c.mu.RUnlock()
	if !has {
		return SessionInfo{}, false
	}
	return describe(s, c.source()), true
}

// source names where the stored session lives.
func (c *Client) source() string {
	if c.cfg.NoStore || c.inMemory.Load() {
		return SourceMemory
	}
	if p := c.store.Path(); p != "" {
		return p
	}
	return SourceMemory
}

// setSession replaces the session held in memory.
func (c *Client) setSession(s store.Session, ok bool) {
	c.mu.Lock()
	c.sess, c.has, c.bearer = s, ok, "Bearer "+s.AccessToken
	c.mu.Unlock()
}

// session returns the session held in memory.
func (c *Client) session() (store.Session, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.sess, c.has
}

// now is the Client's clock.
func (c *Client) now() time.Time { return c.cfg.Now() }

// fresh reports whether s's access token stays valid for MinValid. A
// token of unknown expiry counts as fresh: the server's 401 will tell.
func (c *Client) fresh(s *store.Session) bool {
	return s.AccessToken != "" && (s.Expiry.IsZero() || s.Expiry.Add(-c.cfg.MinValid).After(c.now()))
}

// live reports whether s can still authenticate, now or after a refresh:
// such a session is never replaced without Force.
func (c *Client) live(s store.Session) bool {
	return !s.Expired && (s.Refreshable() || s.Expiry.IsZero() || s.Expiry.After(c.now()))
}
