package compat

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/scopes"
)

// pathAppToken is NOMAD's app token endpoint.
const pathAppToken = "/api/v1/auth/app_token"

// appToken issues a personal token valid expires_in seconds to the bearer
// (NOMAD's /auth/app_token), with the bearer's scopes that the hub still
// grants but those of token management, dropped as NOMAD drops tokens:*
// (a personal token never manages tokens). The body carries it as both access_token and app_token, as
// NOMAD's clients read either.
func (h *Handler) appToken(w http.ResponseWriter, r *http.Request) {
	p, ok := jsonapi.Authenticate(h.cfg.Bearer, h.cfg.Logger, w, r)
	if !ok {
		return
	}
	seconds, err := h.expiresIn(r)
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	if err := mayCreate(p); err != nil {
		if e := (*jsonapi.Error)(nil); errors.As(err, &e) && e.Code == "insufficient_scope" {
			w.Header().Set("WWW-Authenticate", jsonapi.ScopeChallenge(scopes.TokensCreate))
		}
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	set, err := h.cfg.Scopes.Load(r.Context())
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, err)
		return
	}
	name := "app token " + h.cfg.Now().UTC().Format("2006-01-02 15:04:05") + " " + secret.ID()[:6]
	out, err := h.cfg.Issuer.Issue(r.Context(), account.TokenRequest{UserID: p.Subject, ClientID: p.ClientID, Name: name, ExpiresIn: seconds,
		Scopes: scopes.WithoutTokenManagement(set.Keep(p.Scopes)), Holds: p.HasScope, Address: clientaddr.From(r).String(), Via: pathAppToken})
	if err != nil {
		jsonapi.WriteError(w, r, h.cfg.Logger, jsonapi.TokenError(err, name))
		return
	}
	jsonapi.Write(w, http.StatusOK, map[string]any{
		"access_token": out.Token, "app_token": out.Token, "token_type": "bearer", "expires_in": seconds,
	})
}

// expiresIn reads expires_in: one integer, 1 ≤ N ≤ the configured maximum.
func (h *Handler) expiresIn(r *http.Request) (int64, error) {
	max := h.cfg.Issuer.Policy.MaxSeconds()
	vs := r.URL.Query()["expires_in"]
	if len(vs) != 1 {
		return 0, jsonapi.Errorf(http.StatusUnprocessableEntity, "invalid_request", "expires_in is required once: the lifetime in seconds, 1 to "+strconv.FormatInt(max, 10))
	}
	n, err := strconv.ParseInt(vs[0], 10, 64)
	if err != nil || n < 1 || n > max {
		return 0, jsonapi.Errorf(http.StatusUnprocessableEntity, "invalid_request", "expires_in must be an integer from 1 to "+strconv.FormatInt(max, 10)+" seconds")
	}
	return n, nil
}

// mayCreate allows app tokens to users holding an access token of a
// first-party client (the hub's own CLI and SDK, as with NOMAD) or one
// granted tokens:write (NOMAD's tokens:create). Personal tokens cannot
// mint personal tokens (account.CheckCaller).
func mayCreate(p bearer.Principal) error {
	switch {
	case account.CheckCaller(p) != nil:
		return jsonapi.Errorf(http.StatusForbidden, "access_denied", "app tokens are created with an access token, not with another personal token")
	case p.Subject == p.ClientID:
		return jsonapi.Errorf(http.StatusForbidden, "access_denied", "service accounts cannot create app tokens")
	case p.HasScope(scopes.TokensCreate), p.FirstParty:
		return nil
	}
	return jsonapi.Errorf(http.StatusForbidden, "insufficient_scope", "creating app tokens needs the tokens:write scope (or NOMAD's tokens:create)")
}
