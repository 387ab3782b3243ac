package compat

import (
	"errors"
	"net/http"
	"time"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/routes"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// NOMAD's personal access token (PAT) API (nomad/app/v1/routers/auth.py):
// the hub's personal tokens under NOMAD's paths, fields and scopes. Each
// route needs NOMAD's scope (scopes.Holds maps tokens:write onto
// tokens:create and tokens:delete) or a first-party client's token.
const pathPATs = "/api/v1/auth/pats"

// mountPATs registers the PAT endpoints.
func (h *Handler) mountPATs(mux routes.Mux) {
	mux.HandleFunc("POST "+pathPATs, h.pat(scopes.TokensCreate, h.createPAT))
	mux.HandleFunc("GET "+pathPATs, h.pat(scopes.TokensRead, h.listPATs))
	mux.HandleFunc("GET "+pathPATs+"/{id}", h.pat(scopes.TokensRead, h.getPAT))
	mux.HandleFunc("DELETE "+pathPATs+"/{id}", h.pat(scopes.TokensDelete, h.revokePAT))
	mux.HandleFunc("POST "+pathPATs+"/{id}/rotate", h.pat(scopes.TokensCreate+" "+scopes.TokensDelete, h.rotatePAT))
}

// patCaller is NOMAD's refusal of a personal token on any PAT route
// (account.CheckCaller).
var patCaller = jsonapi.Errorf(http.StatusForbidden, "access_denied", "Personal access tokens are not allowed to operate on PATs.")

// pat authenticates the bearer (401 as FastAPI's {"detail"}, with the
// RFC 6750 challenge), refuses a personal token whatever its
// scopes (account.CheckCaller: a PAT never operates on PATs), admits it to
// an endpoint needing the scopes of need (jsonapi.Admit) and calls fn;
// errors are written in NOMAD's shape.
func (h *Handler) pat(need string, fn func(w http.ResponseWriter, r *http.Request, p bearer.Principal) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := jsonapi.Verify(h.cfg.Bearer, w, r)
		if err != nil {
			h.writeDetail(w, r, err)
			return
		}
		err = patCaller
		if account.CheckCaller(p) == nil {
			err = jsonapi.Admit(p, need)
		}
		if e := (*jsonapi.Error)(nil); errors.As(err, &e) && e.Code == "insufficient_scope" {
			w.Header().Set("WWW-Authenticate", jsonapi.ScopeChallenge(need))
		}
		if err == nil {
			err = fn(w, r, p)
		}
		if err != nil {
			h.writeDetail(w, r, err)
		}
	}
}

// patView is NOMAD's PATResponse: never the secret.
type patView struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Scopes      []string   `json:"scopes"`
	Description *string    `json:"description"`
	Revoked     bool       `json:"revoked"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiredAt   *time.Time `json:"expired_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

func viewPAT(t storage.PersonalToken) patView {
	v := patView{ID: t.ID, Name: t.Name, Scopes: t.Scopes, Revoked: !t.RevokedAt.IsZero(), CreatedAt: t.CreatedAt,
		ExpiredAt: timeOrNil(t.ExpiresAt), LastUsedAt: timeOrNil(t.LastUsedAt)}
	if v.Scopes == nil {
		v.Scopes = []string{}
	}
	if t.Description != "" {
		v.Description = &t.Description
	}
	return v
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// patCreated is NOMAD's PATCreationResponse, the answer to a creation or
// a rotation: the secret shown this once.
type patCreated struct {
	PAT      patView `json:"pat"`
	RawToken string  `json:"raw_token"`
}

// action is p acting on its tokens through the PAT API, for the audit.
func action(r *http.Request, p bearer.Principal) account.Action {
	return account.Action{UserID: p.Subject, ClientID: p.ClientID, Address: clientaddr.From(r).String(), Via: pathPATs}
}

// holds is what p may grant a token: its scopes, or any as a first-party
// client acting with the user's full rights.
func holds(p bearer.Principal) func(string) bool {
	return func(sc string) bool { return p.FirstParty || p.HasScope(sc) }
}

// notFound is NOMAD's 404 for a token unknown or another user's.
var notFound = jsonapi.Errorf(http.StatusNotFound, "not_found", "Token not found or does not belong to the user.")

func (h *Handler) getPAT(w http.ResponseWriter, r *http.Request, p bearer.Principal) error {
	t, err := h.cfg.Store.GetPersonalToken(r.Context(), p.Subject, r.PathValue("id"))
	if errors.Is(err, storage.ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	jsonapi.Write(w, http.StatusOK, viewPAT(t))
	return nil
}

// revokePAT revokes a token: 204, also for one already revoked (NOMAD's
// revoke_owned); it stays listed as revoked until collected.
func (h *Handler) revokePAT(w http.ResponseWriter, r *http.Request, p bearer.Principal) error {
	id := r.PathValue("id")
	_, err := h.cfg.Issuer.Revoke(r.Context(), action(r, p), id)
	if errors.Is(err, storage.ErrNotFound) {
		t, gerr := h.cfg.Store.GetPersonalToken(r.Context(), p.Subject, id)
		if gerr != nil || t.RevokedAt.IsZero() {
			return notFound
		}
		err = nil
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// rotatePAT gives a token a new secret with the same name, scopes and
// lifetime (account.Issuer.Rotate); the old secret stops working at once.
// The token keeps its id.
func (h *Handler) rotatePAT(w http.ResponseWriter, r *http.Request, p bearer.Principal) error {
	out, err := h.cfg.Issuer.Rotate(r.Context(), action(r, p), r.PathValue("id"), holds(p))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return notFound
	case errors.Is(err, account.ErrNotActive):
		return jsonapi.Errorf(http.StatusConflict, "conflict", "Cannot rotate an expired/revoked token.")
	case err != nil:
		return jsonapi.TokenError(err, "")
	}
	jsonapi.Write(w, http.StatusOK, patCreated{viewPAT(out.PersonalToken), out.Token})
	return nil
}

// patList is NOMAD's PATQueryResponse.
type patList struct {
	Query      patQuery   `json:"query"`
	Pagination pagination `json:"pagination"`
	Data       []patView  `json:"data"`
}

func (h *Handler) listPATs(w http.ResponseWriter, r *http.Request, p bearer.Principal) error {
	f, page, err := parsePATQuery(r.URL.Query())
	if err != nil {
		return err
	}
	all, err := h.cfg.Store.ListAllPersonalTokens(r.Context(), p.Subject)
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	ts := all[:0]
	for _, t := range all {
		if f.match(t, now) {
			ts = append(ts, t)
		}
	}
	sortPATs(ts, page.OrderBy)
	if err := page.finish(len(ts), h.cfg.PublicURL, r.URL); err != nil {
		return err
	}
	out := patList{Query: f, Pagination: page, Data: []patView{}}
	for _, t := range ts[min(page.start, len(ts)):min(page.start+page.PageSize, len(ts))] {
		out.Data = append(out.Data, viewPAT(t))
	}
	jsonapi.Write(w, http.StatusOK, out)
	return nil
}
