// Package api serves the hub's JSON API under /api/v1 for bearer callers
// (access tokens and personal tokens): the caller's user, personal tokens
// and login sessions, other users, and groups.
//
// Each endpoint needs a scope (tokens:read, tokens:write, users:read,
// groups:read). An access token of a first-party client (the hub's own CLI
// and SDK) acts with the user's full rights on their own account; personal
// tokens and third-party clients' tokens need the scope, else 403
// insufficient_scope (RFC 6750 §3.1). /users/me needs no scope and shows
// what the token's scopes reveal, as /userinfo does.
package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/routes"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// Handler serves /api/v1.
type Handler struct {
	Store  storage.Storage
	Bearer *bearer.Verifier
	// Scopes is the scopes a personal token may carry; default a catalog
	// over Store.
	Scopes *scopes.Catalog
	Logger *slog.Logger
	Now    func() time.Time
	// Issuer issues personal tokens (POST /api/v1/tokens); required.
	Issuer *account.Issuer
}

// Mount registers the endpoints.
func (h *Handler) Mount(mux routes.Mux) {
	if h.Scopes == nil {
		h.Scopes = scopes.NewCatalog(h.Store, h.Now)
	}
	mux.HandleFunc("GET /api/v1/users/me", h.with("", h.me))
	mux.HandleFunc("GET /api/v1/users", h.with("users:read", h.users))
	mux.HandleFunc("GET /api/v1/tokens", h.own(scopes.TokensRead, h.listTokens))
	mux.HandleFunc("POST /api/v1/tokens", h.own(scopes.TokensCreate, h.createToken))
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", h.own(scopes.TokensDelete, h.revokeToken))
	mux.HandleFunc("POST /api/v1/tokens/{id}/rotate", h.own(scopes.TokensCreate+" "+scopes.TokensDelete, h.rotateToken))
	mux.HandleFunc("GET /api/v1/sessions", h.own(scopes.TokensRead, h.listSessions))
	mux.HandleFunc("DELETE /api/v1/sessions/{id}", h.own(scopes.TokensDelete, h.revokeSession))
	mux.HandleFunc("GET /api/v1/groups", h.with("groups:read", h.groups))
	mux.HandleFunc("GET /api/v1/groups/{name}/members", h.with("groups:read", h.members))
	mux.HandleFunc(catchAll, func(w http.ResponseWriter, r *http.Request) {
		if allow := allowed(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			jsonapi.Write(w, http.StatusMethodNotAllowed, jsonapi.Errorf(http.StatusMethodNotAllowed, "invalid_request",
				"the endpoint "+names.Clip(r.URL.Path, 40)+" takes "+strings.Join(allow, ", ")+", not "+names.Clip(r.Method, 10)))
			return
		}
		jsonapi.Write(w, http.StatusNotFound, jsonapi.Errorf(http.StatusNotFound, "not_found", "no API endpoint "+names.Clip(r.Method, 10)+" "+names.Clip(r.URL.Path, 40)))
	})
}

// catchAll is the pattern of the API's 404.
const catchAll = "/api/"

// probeMethods are the methods an API route may take.
var probeMethods = []string{http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch, http.MethodPost, http.MethodPut}

// allowed returns, sorted, the methods another route of mux takes at r's
// path. The catch-all matches every method, so Go's mux never answers
// 405 under /api/ by itself (RFC 9110 §15.5.6 asks for one with Allow).
// Empty when mux cannot be asked (it is not an *http.ServeMux).
func allowed(mux routes.Mux, r *http.Request) []string {
	m, ok := mux.(interface {
		Handler(*http.Request) (http.Handler, string)
	})
	if !ok {
		return nil
	}
	var out []string
	for _, method := range probeMethods {
		probe := r.Clone(r.Context())
		probe.Method = method
		if _, pattern := m.Handler(probe); pattern != catchAll && pattern != "" {
			out = append(out, method)
		}
	}
	return out
}

// caller is an authenticated user of the API: a principal whose User (read
// by the bearer check) is set.
type caller struct{ bearer.Principal }

// may reports whether the caller holds scope, by the token or as a
// first-party client.
func (c caller) may(scope string) bool { return c.HasScope(scope) || c.FirstParty }

// with authenticates the bearer, requires the scopes named in need (space
// separated; none when empty) and a user subject, and calls fn; fn's error
// is written by jsonapi.WriteError.
func (h *Handler) with(need string, fn func(w http.ResponseWriter, r *http.Request, c caller) error) http.HandlerFunc {
	return h.serve(need, false, fn)
}

// own is with for the routes that manage the caller's personal tokens and
// logins: a personal token is refused them all, whatever its scopes
// (account.CheckCaller), before its scopes are looked at.
func (h *Handler) own(need string, fn func(w http.ResponseWriter, r *http.Request, c caller) error) http.HandlerFunc {
	return h.serve(need, true, fn)
}

// serve is with, refusing personal tokens when own is set.
func (h *Handler) serve(need string, own bool, fn func(w http.ResponseWriter, r *http.Request, c caller) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := jsonapi.Authenticate(h.Bearer, h.Logger, w, r)
		if !ok {
			return
		}
		c, err := newCaller(p, need, own)
		if err == nil {
			err = fn(w, r, c)
		}
		if err != nil {
			if e := (*jsonapi.Error)(nil); errors.As(err, &e) && e.Code == "insufficient_scope" {
				w.Header().Set("WWW-Authenticate", jsonapi.ScopeChallenge(need))
			}
			jsonapi.WriteError(w, r, h.Logger, err)
		}
	}
}

// newCaller admits p, a user's token, to an endpoint needing the scopes of
// need; a personal token is refused first where own is set.
func newCaller(p bearer.Principal, need string, own bool) (caller, error) {
	if own {
		if err := account.CheckCaller(p); err != nil {
			return caller{}, jsonapi.TokenError(err, "")
		}
	}
	if err := jsonapi.Admit(p, need); err != nil {
		return caller{}, err
	}
	return caller{p}, nil
}

// list is the shape of every list answer.
type list[T any] struct {
	Data []T `json:"data"`
}
