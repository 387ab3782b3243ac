// Package bearer turns a bearer token presented to the hub (a JWT access
// token it signed, or a personal token) into a Principal, checking
// signature, expiry and revocation. The userinfo, introspection, NOMAD and
// /api/v1 endpoints all authenticate callers through it.
package bearer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// PersonalTokenPrefix starts every personal token, so secret scanners can
// find leaked ones.
const PersonalTokenPrefix = "hubauth_pat_"

// Token kinds reported in Principal.Kind.
const (
	KindAccessToken   = "access_token"
	KindPersonalToken = "personal_token"
)

// ErrInvalidToken means the token is malformed, unknown, expired or revoked.
var ErrInvalidToken = errors.New("bearer: invalid token")

// Principal is the verified caller behind a token.
type Principal struct {
	Subject   string
	ClientID  string
	Scopes    []string
	Kind      string
	SessionID string // access tokens of a login session
	// FirstParty: an access token of a first-party client (read when the
	// token is checked), which holds the user's full rights on their own
	// account.
	FirstParty bool
	TokenID    string // jti, or the personal token's id
	// Audience is an access token's aud: its client, or the API it is for
	// (RFC 8707); empty for a personal token.
	Audience []string
	// Actor is an exchanged access token's act (RFC 8693): the client
	// acting for the user, nesting those it acts through; nil otherwise.
	Actor     *oidc.ActorClaims
	IssuedAt  time.Time
	ExpiresAt time.Time // zero: a personal token without expiry
	// User is the token's user as read when the token was checked (enabled
	// then), so the endpoints behind the check do not read it again; nil
	// for a service account's own token.
	User *storage.User
}

// HasScope reports whether the token carries scope, or a scope implying
// it (scopes.Holds: tokens:write implies NOMAD's tokens:create and
// tokens:delete).
func (p Principal) HasScope(scope string) bool { return scopes.Holds(p.Scopes, scope) }

// Claims returns which of the user's claims the token reveals
// (scopes.ClaimsOf its scopes); a personal token, which its owner made for
// themselves, also reveals the profile and email.
func (p Principal) Claims() scopes.Claims {
	c := scopes.ClaimsOf(p.Scopes)
	if p.Kind == KindPersonalToken {
		c.Profile, c.Email = true, true
	}
	return c
}

// Verifier verifies bearer tokens.
type Verifier struct {
	store    storage.Storage
	verifier *op.AccessTokenVerifier
	now      func() time.Time
	verified *verifiedCache // personal tokens
	uses     *lastUse
}

// NewVerifier returns a verifier for tokens of issuer signed by ring's keys.
func NewVerifier(issuer string, ring *keys.Keyring, store storage.Storage, now func() time.Time) *Verifier {
	return &Verifier{
		store:    store,
		verifier: op.NewAccessTokenVerifier(issuer, keys.KeySet{Ring: ring}),
		now:      now,
		verified: newVerifiedCache(),
		uses:     newLastUse(store),
	}
}

// FromRequest returns the bearer token of r's Authorization header (RFC 6750 §2.1).
func FromRequest(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != "" && len(token) <= 8192
}

// Verify checks token and returns its principal. Invalid tokens give an
// error wrapping ErrInvalidToken; a database failure is returned as is.
func (v *Verifier) Verify(ctx context.Context, token string) (Principal, error) {
	if strings.HasPrefix(token, PersonalTokenPrefix) {
		return v.personal(ctx, token)
	}
	return v.access(ctx, token)
}

func (v *Verifier) access(ctx context.Context, token string) (Principal, error) {
	claims, err := op.VerifyAccessToken[*oidc.AccessTokenClaims](ctx, token, v.verifier)
	if err != nil {
		return Principal{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	// ID tokens verify just like access tokens (same issuer, keys, typ);
	// only access tokens carry a jti and a scope claim.
	if _, hasScope := claims.Claims["scope"]; claims.JWTID == "" || claims.Subject == "" || !hasScope {
		return Principal{}, fmt.Errorf("%w: not an access token", ErrInvalidToken)
	}
	p := Principal{
		Subject: claims.Subject, ClientID: claims.ClientID, Kind: KindAccessToken, TokenID: claims.JWTID,
		IssuedAt: claims.IssuedAt.AsTime(), ExpiresAt: claims.Expiration.AsTime(), Audience: claims.Audience,
		Actor: claims.Actor,
	}
	p.Scopes, _ = stringClaim(claims.Claims, "scope")
	_, p.SessionID = stringClaim(claims.Claims, "sid")
	if err := v.checkActive(ctx, &p); err != nil {
		return Principal{}, err
	}
	return p, nil
}

func stringClaim(claims map[string]any, name string) ([]string, string) {
	s, _ := claims[name].(string)
	return strings.Fields(s), s
}

// checkActive rejects an access token the hub no longer honours: its jti or
// its session revoked, its client or its user disabled or deleted. Like
// the user, the client is read on every use, so disabling it ends its
// access tokens at once rather than when they expire; the storage answers
// all of it in one query. It sets p.FirstParty and p.User.
func (v *Verifier) checkActive(ctx context.Context, p *Principal) error {
	refs := storage.AccessTokenRefs{TokenID: p.TokenID, SessionID: p.SessionID, ClientID: p.ClientID, UserID: p.Subject}
	if p.Subject == p.ClientID { // a service account: the client's own token
		refs.UserID = ""
	}
	c, u, err := v.store.GetLiveAccessToken(ctx, refs)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: revoked, or its session ended, or its client or user disabled or deleted", ErrInvalidToken)
	}
	if err != nil {
		return err
	}
	// A token for an API (RFC 8707) is that API's to use, never the
	// user's full rights on their hub account: the API could replay it.
	p.FirstParty = actsAsUser(c) && slices.Contains(p.Audience, p.ClientID)
	if refs.UserID != "" {
		p.User = &u
	}
	return nil
}

// actsAsUser reports whether c's tokens act with their user's full rights on
// the user's own account (Principal.FirstParty): a first-party client does,
// unless the operator restricted its scopes; then its scopes bound it, as
// any client's do, so it cannot mint a personal token with a scope it may
// not ask for.
func actsAsUser(c storage.Client) bool { return c.FirstParty && !c.RestrictScopes }

// checkUser returns the token's user, or rejects the tokens of a disabled
// or deleted one.
func (v *Verifier) checkUser(ctx context.Context, subject string) (*storage.User, error) {
	u, err := v.store.GetUser(ctx, subject)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && u.Disabled) {
		return nil, fmt.Errorf("%w: user disabled or deleted", ErrInvalidToken)
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}
