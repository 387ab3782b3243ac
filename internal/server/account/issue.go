package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// MaxActiveTokens bounds a user's active personal tokens (neither revoked
// nor expired): a creation beyond it is ErrTooManyTokens. It bounds what
// one user may store and what the hub's lists and caches hold for them.
const MaxActiveTokens = 100

// ErrTooManyTokens is a new personal token of a user who has
// MaxActiveTokens active ones already (TooManyTokens says so to the user).
var ErrTooManyTokens = errors.New("account: " + TooManyTokens())

// TooManyTokens is the message for ErrTooManyTokens.
func TooManyTokens() string {
	return "you have " + strconv.Itoa(MaxActiveTokens) + " active personal tokens, the most allowed: revoke one you no longer use first"
}

// TokenStore is what issuing a personal token writes: the token and its
// audit record.
type TokenStore interface {
	storage.PersonalTokens
	AppendAudit(ctx context.Context, e storage.AuditEvent) error
}

// Issuer issues, rotates and revokes personal tokens: the one path of the
// JSON API (/api/v1/tokens), the account page, NOMAD's
// /api/v1/auth/app_token and NOMAD's PAT API (/api/v1/auth/pats).
type Issuer struct {
	Store TokenStore
	// Scopes is the catalog of the scopes the hub grants.
	Scopes *scopes.Catalog
	Policy TokenPolicy
	// Logger records audit records that could not be written.
	Logger *slog.Logger
	Now    func() time.Time
	// Bearer is this node's bearer verifier: a token revoked or rotated
	// here is dropped from its verified-token cache at once. Nil: none.
	Bearer *bearer.Verifier

	// mu makes counting a user's tokens and storing a new one one step on
	// this node (MaxActiveTokens); nodes racing may pass it by a few.
	mu sync.Mutex
}

// TokenRequest is a personal token asked for.
type TokenRequest struct {
	UserID string
	// ClientID is the client of the caller's access token, for the audit
	// record; empty from the account page.
	ClientID string
	Name     string
	// Description is optional (NOMAD's PATs have one).
	Description string
	// ExpiresIn is the lifetime in seconds: 0 never expiring (where the
	// policy allows it), negative none given.
	ExpiresIn int64
	Scopes    []string
	// Holds reports whether the caller's own session holds a scope, as
	// the token would grant only those; nil for the user's own browser
	// session, which may grant any scope the hub grants.
	Holds func(scope string) bool
	// Address is the caller's address, for the audit record.
	Address string
	// Via names the endpoint in the audit record, when not the usual one.
	Via string
}

// Issued is a new personal token: the secret, shown once, and the stored
// record (which holds only its hash).
type Issued struct {
	Token string
	storage.PersonalToken
}

// NotHeldError is a scope the token would grant that the caller does not
// hold itself.
type NotHeldError struct{ Scope string }

func (e *NotHeldError) Error() string { return "account: " + e.Description() }

// Description is the message for the caller.
func (e *NotHeldError) Description() string {
	return "your token does not hold the scope " + strconv.Quote(e.Scope) + " it would grant"
}

// Issue checks req (TokenPolicy.CheckNewToken, then the caller's scopes),
// mints the token, stores its hash and audits it. Errors: *InputError for
// a refused name, lifetime or scope; *NotHeldError; storage.ErrAlreadyExists
// when the user has a token of that name; ErrTooManyTokens when the user
// has MaxActiveTokens active ones. An audit record that cannot be
// written is logged: the token stays issued.
func (i *Issuer) Issue(ctx context.Context, req TokenRequest) (Issued, error) {
	set, err := i.Scopes.Load(ctx)
	if err != nil {
		return Issued{}, fmt.Errorf("account: load scopes: %w", err)
	}
	if e := i.Policy.CheckNewToken(set, req.Name, req.ExpiresIn, req.Scopes); e != nil {
		return Issued{}, e
	}
	if e := CheckDescription(req.Description); e != nil {
		return Issued{}, e
	}
	for _, sc := range req.Scopes {
		if req.Holds != nil && !req.Holds(sc) {
			return Issued{}, &NotHeldError{Scope: sc}
		}
	}
	token, pt := NewPersonalToken(req.UserID, req.Name, set.Keep(req.Scopes), time.Duration(req.ExpiresIn)*time.Second, i.Now())
	pt.Description = req.Description
	i.mu.Lock()
	err = i.checkRoom(ctx, req.UserID, pt.CreatedAt)
	var out Issued
	if err == nil {
		out, err = i.store(ctx, token, pt)
	}
	i.mu.Unlock()
	if err != nil {
		return out, err
	}
	a := Action{UserID: req.UserID, ClientID: req.ClientID, Address: req.Address, Via: req.Via}
	i.audit(ctx, a.event(storage.AuditTokenCreated, out.ID, out.CreatedAt))
	return out, nil
}

// checkRoom returns ErrTooManyTokens when userID has MaxActiveTokens
// active personal tokens at now.
func (i *Issuer) checkRoom(ctx context.Context, userID string, now time.Time) error {
	ts, err := i.Store.ListPersonalTokens(ctx, userID)
	if err != nil {
		return fmt.Errorf("account: count personal tokens: %w", err)
	}
	active := 0
	for _, t := range ts {
		if State(t, now) == StateActive {
			active++
		}
	}
	if active >= MaxActiveTokens {
		return ErrTooManyTokens
	}
	return nil
}

// store stores the new personal token pt whose secret is token.
func (i *Issuer) store(ctx context.Context, token string, pt storage.PersonalToken) (Issued, error) {
	if err := i.Store.CreatePersonalToken(ctx, pt); err != nil {
		return Issued{}, fmt.Errorf("account: store personal token: %w", err)
	}
	return Issued{Token: token, PersonalToken: pt}, nil
}

// NewPersonalToken makes a personal token of userID: the secret
// (bearer.PersonalTokenPrefix and 32 random bytes, base62) and the record
// to store, which holds only its SHA-256 hash. A zero ttl never expires.
func NewPersonalToken(userID, name string, scopes []string, ttl time.Duration, now time.Time) (string, storage.PersonalToken) {
	token := bearer.PersonalTokenPrefix + secret.Base62()
	pt := storage.PersonalToken{
		ID: secret.ID(), UserID: userID, Name: name, Hash: secret.Hash(token),
		Scopes: scopes, CreatedAt: now.UTC(),
	}
	if ttl > 0 {
		pt.ExpiresAt = pt.CreatedAt.Add(ttl)
	}
	return token, pt
}

// audit appends e; a failure is logged, never the caller's error.
func (i *Issuer) audit(ctx context.Context, e storage.AuditEvent) {
	if err := i.Store.AppendAudit(ctx, e); err != nil {
		i.Logger.ErrorContext(ctx, "audit", "type", e.Type, "err", err)
	}
}
