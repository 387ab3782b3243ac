package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/storage"
)

// refreshRequest is a refresh grant: the session the token belongs to.
type refreshRequest struct {
	session storage.Session
	scopes  []string
	user    storage.User // read once, for the ID token too
	next    string       // the rotated refresh token to hand out
	target  *audience.Target
}

var _ op.RefreshTokenRequest = (*refreshRequest)(nil)

func (r *refreshRequest) GetAMR() []string             { return methods(r.session.AMR) }
func (r *refreshRequest) GetAudience() []string        { return audienceOr(r.target, r.session.ClientID) }
func (r *refreshRequest) GetAuthTime() time.Time       { return r.session.AuthTime }
func (r *refreshRequest) GetClientID() string          { return r.session.ClientID }
func (r *refreshRequest) GetScopes() []string          { return scopesOr(r.target, r.scopes) }
func (r *refreshRequest) GetSubject() string           { return r.session.UserID }
func (r *refreshRequest) SetCurrentScopes(sc []string) { r.scopes = sc }

// TokenRequestByRefreshToken rotates a refresh token without checking the
// client; the hub's token endpoint uses rotateRefresh with its checks
// (Server.RefreshToken), this serves the library's own refresh path.
func (s *Storage) TokenRequestByRefreshToken(ctx context.Context, token string) (op.RefreshTokenRequest, error) {
	return s.rotateRefresh(ctx, token, nil)
}

// rotateRefresh rotates the refresh token (RFC 9700 §4.14.2) in one storage
// call and returns its session with the next token, which
// CreateAccessAndRefreshTokens hands out. check sees the session before
// anything changes: a request it refuses leaves the token as it was.
func (s *Storage) rotateRefresh(ctx context.Context, token string, check func(storage.Session) error) (*refreshRequest, error) {
	next, res, err := s.rotate(ctx, token, check)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, oidc.ErrInvalidGrant().WithDescription("the refresh token is invalid, expired or revoked")
	}
	if err != nil {
		return nil, err
	}
	sess := res.Session
	if res.Outcome == storage.ReuseDetected {
		s.log.WarnContext(ctx, "refresh token reuse: session revoked", "session", sess.ID, "user", sess.UserID, "client", sess.ClientID)
		return nil, oidc.ErrInvalidGrant().WithDescription("the refresh token was already used; the session is revoked, log in again")
	}
	u, err := s.activeUser(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.secondFactorKept(ctx, sess, u); err != nil {
		return nil, err
	}
	return &refreshRequest{session: sess, scopes: sess.Scopes, user: u, next: next}, nil
}

// activeUser returns the user behind a grant; a deleted or disabled user is
// invalid_grant.
func (s *Storage) activeUser(ctx context.Context, id string) (storage.User, error) {
	u, err := s.users.get(ctx, id)
	if isNotFound(err) || (err == nil && u.Disabled) {
		return u, oidc.ErrInvalidGrant().WithDescription("the user is disabled or deleted")
	}
	return u, err
}

// CreateAccessToken issues an access token without a refresh token.
func (s *Storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	id := secret.ID()
	if x, ok := req.(*exchangeRequest); ok {
		return id, s.exchangeExpiry(x), nil
	}
	if a, ok := req.(*authRequest); ok {
		if err := s.recordIssued(ctx, a.ID, "", id); err != nil {
			return "", time.Time{}, err
		}
	}
	return id, s.now().Add(s.cfg.AccessTokenTTL), nil
}

// CreateAccessAndRefreshTokens starts a session (code, device and password
// grants), or hands out the token TokenRequestByRefreshToken rotated in.
func (s *Storage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, _ string) (string, string, time.Time, error) {
	if r, ok := req.(*refreshRequest); ok { // never past the session's end (an exchanged one's: its login's)
		return secret.ID(), r.next, clampExp(s.now().Add(s.cfg.AccessTokenTTL), r.session.ExpiresAt), nil
	}
	token, next := s.newRefreshToken(secret.ID(), s.now())
	var err error
	switch r := req.(type) {
	case *authRequest:
		r.sessionID, err = s.startSession(ctx, r, storage.MethodBrowser, r.BrowserSessionID, r.SessionName, next)
		if err == nil {
			err = s.recordIssued(ctx, r.ID, r.sessionID, "")
		}
	case deviceRefreshGrant:
		r.sessionID, err = s.startSession(ctx, r, storage.MethodDevice, "", r.sessionName, next)
	case *PasswordRequest:
		r.sessionID, err = s.startSession(ctx, r, storage.MethodPassword, "", r.SessionName, next)
	default:
		err = fmt.Errorf("provider: no refresh tokens for %T", req)
	}
	if err != nil {
		return "", "", time.Time{}, err
	}
	return secret.ID(), token, s.now().Add(s.cfg.AccessTokenTTL), nil
}

// idRequest is what every request that starts a session offers; the
// session keeps the recorded AMR, provider included.
type idRequest interface {
	op.TokenRequest
	recorder
	GetClientID() string
	GetAuthTime() time.Time
}

// startSession stores the session of first, the refresh token it starts
// with, and returns its id.
func (s *Storage) startSession(ctx context.Context, r idRequest, method, browserSession, name string, first storage.RefreshToken) (string, error) {
	now := s.now()
	scopes, resources := grantOf(r)
	sess := storage.Session{
		ID: first.SessionID, UserID: r.GetSubject(), ClientID: r.GetClientID(), Method: method,
		Name: name, Address: clientaddr.FromContext(ctx).String(), BrowserSessionID: browserSession,
		Scopes: scopes, Resources: resources, AuthTime: r.GetAuthTime(), AMR: r.recordedAMR(),
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL),
	}
	if err := s.store.CreateSession(ctx, sess, first); err != nil {
		return "", fmt.Errorf("provider: start session: %w", err)
	}
	return sess.ID, nil
}

// GetRefreshTokenInfo identifies a refresh token (or a personal token) for
// revocation: the returned token id is "rt:<session id>" or "pat:<token id>".
func (s *Storage) GetRefreshTokenInfo(ctx context.Context, clientID, token string) (string, string, error) {
	if strings.HasPrefix(token, bearer.PersonalTokenPrefix) {
		pt, err := s.store.GetPersonalTokenByHash(ctx, secret.Hash(token), s.now())
		if errors.Is(err, storage.ErrUnavailable) {
			return "", "", err
		}
		if err != nil {
			return "", "", op.ErrInvalidRefreshToken
		}
		return pt.UserID, "pat:" + pt.ID, nil
	}
	_, sess, err := s.store.GetRefreshToken(ctx, refreshKey(token))
	if errors.Is(err, storage.ErrUnavailable) {
		return "", "", err
	}
	if err != nil {
		return "", "", op.ErrInvalidRefreshToken
	}
	return sess.UserID, "rt:" + sess.ID, nil
}

// RevokeToken revokes a session (refresh token), a personal token or an
// access token id (RFC 7009). Unknown tokens are not an error.
func (s *Storage) RevokeToken(ctx context.Context, tokenOrID, userID, clientID string) *oidc.Error {
	now := s.now()
	var err error
	switch {
	case strings.HasPrefix(tokenOrID, "rt:"):
		err = s.revokeSessionOfClient(ctx, strings.TrimPrefix(tokenOrID, "rt:"), clientID)
	case strings.HasPrefix(tokenOrID, "pat:"):
		// The issuer audits it, and drops it from this node's cache.
		a := account.Action{UserID: userID, ClientID: clientID, Address: clientaddr.FromContext(ctx).String()}
		_, err = s.cfg.Tokens.Revoke(ctx, a, strings.TrimPrefix(tokenOrID, "pat:"))
		if err == nil {
			return nil
		}
	case userID != "":
		err = s.store.RevokeAccessToken(ctx, tokenOrID, now.Add(s.cfg.AccessTokenTTL))
	default:
		return nil // not a token of ours: RFC 7009 §2.2 answers 200
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	var oerr *oidc.Error
	if errors.As(err, &oerr) {
		return oerr
	}
	if err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditRevoke, UserID: userID, ClientID: clientID, Detail: kindOf(tokenOrID)})
	return nil
}

func (s *Storage) revokeSessionOfClient(ctx context.Context, sessionID, clientID string) error {
	sess, err := s.store.GetSession(ctx, sessionID)
	if err != nil {
		return err
	}
	if sess.ClientID != clientID {
		return oidc.ErrUnauthorizedClient().WithDescription("the token was issued to another client")
	}
	return s.store.RevokeSession(ctx, sessionID, s.now())
}

func kindOf(tokenOrID string) string {
	switch {
	case strings.HasPrefix(tokenOrID, "rt:"):
		return "refresh token (session " + strings.TrimPrefix(tokenOrID, "rt:") + ")"
	case strings.HasPrefix(tokenOrID, "pat:"):
		return "personal token " + strings.TrimPrefix(tokenOrID, "pat:")
	}
	return "access token " + tokenOrID
}

// secondFactorKept refuses the refresh of a sign-in without a second
// factor once its user needs one (set one up since, or the policy came
// to require one): the user signs in again, with both. What the user
// needs is cached as users are (cacheTTL): a set-up takes effect on
// refreshes within that bound.
func (s *Storage) secondFactorKept(ctx context.Context, sess storage.Session, u storage.User) error {
	if s.cfg.MFA == nil || storage.HasMFA(sess.AMR) {
		return nil
	}
	need, err := s.mfaNeeded.get(ctx, u.ID)
	if err != nil {
		return err
	}
	if need {
		return oidc.ErrInvalidGrant().WithDescription("a second factor is now needed: sign in again")
	}
	return nil
}

// loadMFANeeded is mfaNeeded's read: whether user id's sign-ins need a
// second factor.
func (s *Storage) loadMFANeeded(ctx context.Context, id string) (bool, error) {
	u, err := s.users.get(ctx, id)
	if err != nil {
		return false, err
	}
	return s.cfg.MFA.Needed(ctx, u)
}
