package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// TokenExchange is RFC 8693 token exchange for a service acting for a
// user: a confidential client allowed the grant presents the user's access
// token or personal token and gets a token for one of its exchange
// audiences, with the subject's scopes or fewer, naming itself in act
// (nested for chains). With requested_token_type refresh_token or
// offline_access it gets a refresh token too, of a session exchanged from
// the subject's login session or personal token: ending that login
// (logout, revocation, the user disabled) or revoking, rotating or deleting
// that token ends it, and no token of it outlives its subject. Every
// exchange is audited here, every refusal by auditExchangeRefusals.
func (s *server) TokenExchange(ctx context.Context, r *op.ClientRequest[oidc.TokenExchangeRequest]) (*op.Response, error) {
	x, err := s.exchange(ctx, r)
	noteExchangeUser(ctx, x.userID) // a refusal is audited with it (auditExchangeRefusals)
	if err != nil {
		return nil, grantError(err)
	}
	s.storage.audit(ctx, storage.AuditEvent{Type: storage.AuditTokenExchange, ClientID: r.Client.GetID(), UserID: x.userID,
		Detail: fmt.Sprintf("token exchanged for %s (scope %s; session %s from %s; refresh token: %t)",
			x.req.target.Audience, strings.Join(x.req.target.Scopes, " "), x.req.sessionID, x.parent, x.resp.RefreshToken != "")})
	return op.NewResponse(x.resp), nil
}

// exchanged is what an exchange made, or (userID) whom a refused one was for.
type exchanged struct {
	userID string
	parent string // the subject's login session or personal token (pat:<id>), if any
	req    *exchangeRequest
	resp   *oidc.TokenExchangeResponse
}

func (s *server) exchange(ctx context.Context, r *op.ClientRequest[oidc.TokenExchangeRequest]) (exchanged, error) {
	c, ok := r.Client.(*client)
	if !ok || c.Public { // the library refused a client without the grant
		return exchanged{}, oidc.ErrUnauthorizedClient().WithDescription("the client may not exchange tokens")
	}
	if err := checkExchangeForm(r.Data); err != nil {
		return exchanged{}, err
	}
	p, err := s.subject(ctx, r.Data)
	if err != nil {
		return exchanged{}, err
	}
	x := exchanged{userID: p.Subject, parent: p.SessionID}
	if p.Kind == bearer.KindPersonalToken {
		x.parent = storage.PersonalTokenParent(p.TokenID)
	}
	apis, err := s.storage.cfg.APIs.Load(ctx)
	if err != nil {
		return x, err
	}
	uri, err := exchangeAudience(apis, c.Client, r.Data)
	if err != nil {
		return x, err
	}
	asked, err := exchangeScopes(p, r.Data.Scopes)
	if err != nil {
		return x, err
	}
	target, err := apis.Token([]string{uri}, nil, asked)
	if err != nil {
		return x, targetError(err)
	}
	// A refresh token only when asked for: the token type, or
	// offline_access in scope (not merely among the subject's scopes).
	refresh := r.Data.RequestedTokenType == oidc.RefreshTokenType || slices.Contains(r.Data.Scopes, oidc.ScopeOfflineAccess)
	x.req, x.resp, err = s.issueExchanged(ctx, c, p, asked, target, refresh)
	return x, err
}

// checkExchangeForm refuses what the hub does not take (RFC 8693 §2.2.2):
// an actor token (the acting party is the authenticated client), a
// subject token other than an access token, a token type it cannot issue.
func checkExchangeForm(d *oidc.TokenExchangeRequest) error {
	switch {
	case d.ActorToken != "" || d.ActorTokenType != "":
		return oidc.ErrInvalidRequest().WithDescription("actor_token is not accepted: the acting party is the authenticated client")
	case d.SubjectTokenType == oidc.IDTokenType:
		return oidc.ErrInvalidGrant().WithDescription("an ID token is not a subject token: present the user's access token")
	case d.SubjectTokenType != oidc.AccessTokenType:
		return oidc.ErrInvalidRequest().WithDescription("subject_token_type must be %s", oidc.AccessTokenType)
	case d.RequestedTokenType != "" && d.RequestedTokenType != oidc.AccessTokenType && d.RequestedTokenType != oidc.RefreshTokenType:
		return oidc.ErrInvalidRequest().WithDescription("requested_token_type must be %s or %s", oidc.AccessTokenType, oidc.RefreshTokenType)
	}
	return nil
}

// subject verifies the subject token: an access token or personal token of
// this hub (not an ID token, not another issuer's, live), of a user.
func (s *server) subject(ctx context.Context, d *oidc.TokenExchangeRequest) (bearer.Principal, error) {
	p, err := s.bearer.Verify(ctx, d.SubjectToken)
	if errors.Is(err, bearer.ErrInvalidToken) {
		return p, oidc.ErrInvalidGrant().WithDescription("the subject token is invalid, expired or revoked, or not an access token of this hub")
	}
	if err != nil {
		return p, err
	}
	if p.User == nil || p.Subject == p.ClientID {
		return p, oidc.ErrInvalidGrant().WithDescription("the subject token is a service account's: no user to act for")
	}
	return p, nil
}

// exchangeAudience is the one API the request names with resource (its
// URI: RFC 8707 resources are absolute URIs) or audience (its URI or its
// ID), which the client may exchange for.
func exchangeAudience(apis *audience.APIs, c storage.Client, d *oidc.TokenExchangeRequest) (string, error) {
	var named []string
	add := func(uri string) {
		if !slices.Contains(named, uri) {
			named = append(named, uri)
		}
	}
	for _, r := range d.Resource {
		add(r)
	}
	for _, n := range d.Audience {
		add(apis.URIOf(n))
	}
	if len(named) == 0 && len(c.ExchangeAudiences) == 1 {
		named = c.ExchangeAudiences
	}
	switch {
	case len(named) != 1:
		return "", oidc.ErrInvalidTarget().WithDescription("name one API with resource or audience; the client may exchange for: %s",
			strings.Join(c.ExchangeAudiences, " "))
	case !slices.Contains(c.ExchangeAudiences, named[0]):
		return "", oidc.ErrInvalidTarget().WithDescription("the client may not exchange tokens for %s; it may for: %s",
			names.Quote(named[0]), strings.Join(c.ExchangeAudiences, " "))
	}
	if _, ok := apis.Lookup(named[0]); !ok {
		return "", oidc.ErrInvalidTarget().WithDescription("%s is no longer a registered API", names.Quote(named[0]))
	}
	return named[0], nil
}

// exchangeScopes are the scopes asked for, or the subject's: never one the
// subject token does not hold.
func exchangeScopes(p bearer.Principal, asked []string) ([]string, error) {
	if len(asked) == 0 {
		return slices.Clone(p.Scopes), nil
	}
	for _, sc := range asked {
		if !slices.Contains(p.Scopes, sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %s is not in the subject token: an exchange never gains a scope", names.Quote(sc))
		}
	}
	return asked, nil
}

// exchangeRequest is the token request of an exchange: the user, for the
// API, through the acting clients.
type exchangeRequest struct {
	userID    string
	target    audience.Target
	sessionID string // the exchanged session; "" for an access token of no session
	actors    []string
	amr       []string
	notAfter  time.Time // the subject's end: its login session's, or its personal token's (zero: none)
}

func (r *exchangeRequest) GetSubject() string          { return r.userID }
func (r *exchangeRequest) GetAudience() []string       { return []string{r.target.Audience} }
func (r *exchangeRequest) GetScopes() []string         { return r.target.Scopes }
func (r *exchangeRequest) recordedAMR() []string       { return r.amr }
func (r *exchangeRequest) GetActor() *oidc.ActorClaims { return actorClaims(r.actors) }

// actorClaims nests the acting clients, the current one outermost (RFC
// 8693 §4.1); nil for none.
func actorClaims(actors []string) *oidc.ActorClaims {
	var act *oidc.ActorClaims
	for i := len(actors) - 1; i >= 0; i-- {
		act = &oidc.ActorClaims{Subject: actors[i], Actor: act}
	}
	return act
}

// GetActor names the clients acting for the user in an exchanged session.
func (r *refreshRequest) GetActor() *oidc.ActorClaims { return actorClaims(r.session.Actors) }

// clampExp bounds an access token's expiry by the end of what it came from.
func clampExp(exp, notAfter time.Time) time.Time {
	if !notAfter.IsZero() && notAfter.Before(exp) {
		return notAfter
	}
	return exp
}

// refreshScopes is the set a refresh of sess keeps its scopes in: the
// client's (what it may ask for), or the hub's for a session exchanged
// for it, whose scopes its subject bounds, not the acting client's list.
func refreshScopes(client, hub *scopes.Set, sess storage.Session) *scopes.Set {
	if sess.ParentID != "" {
		return hub
	}
	return client
}

// exchangeStillAllowed refuses the refresh of a session exchanged for c
// (sess.ParentID set) once c may no longer exchange tokens for its APIs:
// the grant or one of the session's audiences taken away since.
func exchangeStillAllowed(oc op.Client, sess storage.Session) error {
	if sess.ParentID == "" {
		return nil
	}
	c, ok := oc.(*client)
	if !ok || c.Public || !op.ValidateGrantType(c, oidc.GrantTypeTokenExchange) {
		return oidc.ErrInvalidGrant().WithDescription("the client may no longer exchange tokens: the exchanged session has ended")
	}
	for _, uri := range sess.Resources {
		if !slices.Contains(c.ExchangeAudiences, uri) {
			return oidc.ErrInvalidGrant().WithDescription("the client may no longer exchange tokens for %s", names.Quote(uri))
		}
	}
	return nil
}

// withExchangeRefresh adds the refresh grant to a client allowed token
// exchange: it refreshes the sessions it exchanged (the only ones it can
// have, as it logs no user in).
func withExchangeRefresh(grants []oidc.GrantType) []oidc.GrantType {
	if slices.Contains(grants, oidc.GrantTypeTokenExchange) && !slices.Contains(grants, oidc.GrantTypeRefreshToken) {
		return append(grants, oidc.GrantTypeRefreshToken)
	}
	return grants
}
