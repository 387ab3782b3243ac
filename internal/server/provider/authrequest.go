package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
)

// Lifetimes of the browser flow's steps.
const (
	authRequestLifetime = 10 * time.Minute // time to log in
	authCodeLifetime    = 60 * time.Second
)

// authRequest adapts storage.AuthRequest to op.AuthRequest.
type authRequest struct {
	storage.AuthRequest
	sessionID string // set when the exchange creates a session
	// target is what the access token is for, set at the code exchange
	// (nil: the client, with every scope of the request).
	target *audience.Target
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string          { return a.ID }
func (a *authRequest) GetACR() string         { return storage.ACR(methods(a.AMR)) }
func (a *authRequest) GetAMR() []string       { return methods(a.AMR) }
func (a *authRequest) GetAudience() []string  { return audienceOr(a.target, a.ClientID) }
func (a *authRequest) GetAuthTime() time.Time { return a.AuthTime }
func (a *authRequest) GetClientID() string    { return a.ClientID }
func (a *authRequest) GetNonce() string       { return a.Nonce }
func (a *authRequest) GetRedirectURI() string { return a.RedirectURI }
func (a *authRequest) GetScopes() []string    { return scopesOr(a.target, a.Scopes) }
func (a *authRequest) GetState() string       { return a.State }
func (a *authRequest) GetSubject() string     { return a.UserID }
func (a *authRequest) Done() bool             { return a.AuthRequest.Done }
func (a *authRequest) GetResponseType() oidc.ResponseType {
	return oidc.ResponseType(a.ResponseType)
}
func (a *authRequest) GetResponseMode() oidc.ResponseMode {
	return oidc.ResponseMode(a.ResponseMode)
}
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.CodeChallenge, Method: oidc.CodeChallengeMethod(a.CodeChallengeMethod)}
}

// CreateAuthRequest stores a validated authorization request without a
// session label; the hub's /authorize (Server.Authorize) stores it with
// its token_name.
func (s *Storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	a, err := s.createAuthRequest(ctx, req, "", nil)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return a, nil
}

// createAuthRequest stores a validated authorization request whose login
// session will be labelled name, covering the APIs at resources.
func (s *Storage) createAuthRequest(ctx context.Context, req *oidc.AuthRequest, name string, resources []string) (*authRequest, error) {
	now := s.now()
	maxAge := int64(-1)
	if req.MaxAge != nil {
		maxAge = int64(*req.MaxAge)
	}
	a := storage.AuthRequest{
		ID:                  secret.ID(),
		ClientID:            req.ClientID,
		RedirectURI:         req.RedirectURI,
		Scopes:              req.Scopes,
		State:               req.State,
		Nonce:               req.Nonce,
		ResponseType:        string(req.ResponseType),
		ResponseMode:        string(req.ResponseMode),
		CodeChallenge:       req.CodeChallenge,
		CodeChallengeMethod: string(req.CodeChallengeMethod),
		Prompt:              req.Prompt,
		MaxAgeSeconds:       maxAge,
		LoginHint:           req.LoginHint,
		ACRValues:           req.ACRValues,
		SessionName:         name,
		Resources:           resources,
		CreatedAt:           now,
		ExpiresAt:           now.Add(authRequestLifetime),
	}
	if err := s.store.CreateAuthRequest(ctx, a); err != nil {
		return nil, fmt.Errorf("provider: save auth request: %w", err)
	}
	return &authRequest{AuthRequest: a}, nil
}

// AuthRequestByID loads an authorization request that has not expired.
func (s *Storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	a, err := s.store.GetAuthRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.now().Before(a.ExpiresAt) || a.CodeHash != "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("the authorization request has expired or was used; start again")
	}
	return &authRequest{AuthRequest: a}, nil
}

// AuthRequestByCode consumes an authorization code. A code is single use: a
// second presentation revokes what the first one issued (RFC 6749 §4.1.2).
func (s *Storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	return s.redeemCode(ctx, code, nil)
}

// redeemCode consumes an authorization code if check accepts its request;
// a code check refuses stays usable (a wrong client or verifier must not
// spend another client's code).
func (s *Storage) redeemCode(ctx context.Context, code string, check func(*authRequest) error) (*authRequest, error) {
	var inTx func(storage.AuthRequest) error
	if check != nil {
		inTx = func(a storage.AuthRequest) error { return check(&authRequest{AuthRequest: a}) }
	}
	a, replay, err := s.store.ConsumeAuthCode(ctx, secret.Hash(code), s.now(), inTx)
	if err != nil {
		return nil, err
	}
	if replay {
		s.revokeReplayed(ctx, a)
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code was already used; what it issued is revoked")
	}
	if !s.now().Before(a.ExpiresAt) {
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code has expired")
	}
	return &authRequest{AuthRequest: a}, nil
}

func (s *Storage) revokeReplayed(ctx context.Context, a storage.AuthRequest) {
	now := s.now()
	if a.IssuedSessionID != "" {
		if err := s.store.RevokeSession(ctx, a.IssuedSessionID, now); err != nil && !errors.Is(err, storage.ErrNotFound) {
			s.log.ErrorContext(ctx, "revoke session of replayed code", "err", err)
		}
	}
	if a.IssuedTokenID != "" {
		if err := s.store.RevokeAccessToken(ctx, a.IssuedTokenID, now.Add(s.cfg.AccessTokenTTL)); err != nil {
			s.log.ErrorContext(ctx, "revoke access token of replayed code", "err", err)
		}
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditCodeReplay, UserID: a.UserID, ClientID: a.ClientID,
		Detail: "authorization code presented twice; its tokens are revoked"})
}

// SaveAuthCode records the hash of the code issued for a request.
func (s *Storage) SaveAuthCode(ctx context.Context, id, code string) error {
	now := s.now()
	return s.store.UpdateAuthRequest(ctx, id, func(a storage.AuthRequest) (storage.AuthRequest, error) {
		if a.CodeHash != "" {
			return a, oidc.ErrInvalidRequest().WithDescription("a code was already issued for this request")
		}
		a.CodeHash = secret.Hash(code)
		a.ExpiresAt = now.Add(authCodeLifetime)
		return a, nil
	})
}

// DeleteAuthRequest keeps exchanged requests until they expire, so that a
// replayed code is recognised; others are deleted.
func (s *Storage) DeleteAuthRequest(ctx context.Context, id string) error {
	a, err := s.store.GetAuthRequest(ctx, id)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && !a.CodeUsedAt.IsZero()) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.store.DeleteAuthRequest(ctx, id)
}

// recordIssued notes on an exchanged request what it issued.
func (s *Storage) recordIssued(ctx context.Context, id, sessionID, tokenID string) error {
	return s.store.UpdateAuthRequest(ctx, id, func(a storage.AuthRequest) (storage.AuthRequest, error) {
		if sessionID != "" {
			a.IssuedSessionID = sessionID
		}
		if tokenID != "" {
			a.IssuedTokenID = tokenID
		}
		return a, nil
	})
}
