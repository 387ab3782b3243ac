package provider

import (
	"context"
	"net/url"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
)

// AuthorizeClientIDSecret checks a confidential client's secret in constant time.
func (s *Storage) AuthorizeClientIDSecret(ctx context.Context, id, sec string) error {
	_, err := s.confidentialClient(ctx, id, sec)
	return err
}

func (s *Storage) confidentialClient(ctx context.Context, id, sec string) (storage.Client, error) {
	c, err := s.clients.get(ctx, id)
	if err != nil && !isNotFound(err) {
		return c, err
	}
	// Compare even for unknown clients so timing does not reveal which exist.
	ok := secret.Matches(sec, c.SecretHash) && err == nil && !c.Public && !c.Disabled && sec != ""
	if !ok {
		return c, oidc.ErrInvalidClient().WithDescription("client authentication failed")
	}
	return c, nil
}

// ClientCredentials authenticates a service account (RFC 6749 §4.4).
func (s *Storage) ClientCredentials(ctx context.Context, id, sec string) (op.Client, error) {
	c, err := s.confidentialClient(ctx, id, sec)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(c.GrantTypes, storage.GrantClientCredentials) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("client_credentials is not allowed for this client")
	}
	return s.wrapClient(ctx, c)
}

// ClientCredentialsTokenRequest: the service account is its own subject,
// with the scopes it asked for (RFC 6749 §4.4.2), which
// server.ClientCredentialsExchange checked first.
func (s *Storage) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	return &serviceRequest{clientID: id, scopes: scopes}, nil
}

// ClientCredentialsExchange is the library's, after refusing scopes the
// client may not ask for, as every grant does: against the set the client
// was loaded with (checkRequested).
// The token is for the API resource names, or the one API the scopes
// belong to (RFC 8707), as for a user's grant.
func (s *server) ClientCredentialsExchange(ctx context.Context, r *op.ClientRequest[oidc.ClientCredentialsRequest]) (*op.Response, error) {
	if err := s.checkRequested(ctx, r.Client, r.Data.Scope); err != nil {
		return nil, err
	}
	_, target, err := s.storage.grantAndTarget(ctx, r.Form, r.Data.Scope)
	if err != nil {
		return nil, err
	}
	req := &serviceRequest{clientID: r.Client.GetID(), scopes: r.Data.Scope, target: target}
	access, _, validity, err := s.storage.createAccessToken(ctx, req, r.Client, "")
	if err != nil {
		return nil, err
	}
	return op.NewResponse(&oidc.AccessTokenResponse{AccessToken: access, TokenType: oidc.BearerToken,
		ExpiresIn: uint64(validity.Seconds()), Scope: req.GetScopes()}), nil
}

type serviceRequest struct {
	clientID string
	scopes   []string
	target   *audience.Target
}

func (r *serviceRequest) GetSubject() string    { return r.clientID }
func (r *serviceRequest) GetAudience() []string { return audienceOr(r.target, r.clientID) }
func (r *serviceRequest) GetScopes() []string   { return scopesOr(r.target, r.scopes) }

// PasswordRequest is a login with username and password at the hub's
// NOMAD-compatible endpoint; it starts a session like any other login.
type PasswordRequest struct {
	UserID   string
	ClientID string
	Scopes   []string
	AuthTime time.Time
	// SessionName labels the login session (token_name).
	SessionName string
	// AMR is how the user signed in: ["pwd"] when empty, ["pwd", "otp",
	// "mfa"] with an authenticator's code.
	AMR []string
	// Resource is the RFC 8707 resource the request names, if any.
	Resource string

	sessionID string
	covered   []string         // the APIs the login covers
	target    *audience.Target // what the access token is for
}

func (r *PasswordRequest) GetAMR() []string             { return r.recordedAMR() }
func (r *PasswordRequest) GetAudience() []string        { return audienceOr(r.target, r.ClientID) }
func (r *PasswordRequest) GetAuthTime() time.Time       { return r.AuthTime }
func (r *PasswordRequest) GetClientID() string          { return r.ClientID }
func (r *PasswordRequest) GetScopes() []string          { return scopesOr(r.target, r.Scopes) }
func (r *PasswordRequest) GetSubject() string           { return r.UserID }
func (r *PasswordRequest) SetCurrentScopes(sc []string) { r.Scopes = sc }

// aim decides what the password login's token is for, as every grant
// does (audience.APIs): the API resource names, or the one API its scopes
// belong to.
func (r *PasswordRequest) aim(ctx context.Context, s *Storage) error {
	var form url.Values
	if r.Resource != "" {
		form = url.Values{"resource": {r.Resource}}
	}
	var err error
	r.covered, r.target, err = s.grantAndTarget(ctx, form, r.Scopes)
	return err
}
