package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// tokenView is a personal token as listed: never the secret.
type tokenView struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Scopes      []string   `json:"scopes"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

func viewToken(t storage.PersonalToken) tokenView {
	return tokenView{ID: t.ID, Name: t.Name, Description: t.Description, Scopes: nonNil(t.Scopes), CreatedAt: t.CreatedAt,
		ExpiresAt: timeOrNil(t.ExpiresAt), LastUsedAt: timeOrNil(t.LastUsedAt)}
}

// created is the answer to a new or rotated token: the secret, shown once.
type created struct {
	tokenView
	Token string `json:"token"`
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request, c caller) error {
	ts, err := h.Store.ListPersonalTokens(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	out := make([]tokenView, 0, len(ts))
	for _, t := range ts {
		out = append(out, viewToken(t))
	}
	jsonapi.Write(w, http.StatusOK, list[tokenView]{Data: out})
	return nil
}

// newToken is the body of POST /api/v1/tokens.
type newToken struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	ExpiresIn   *int64   `json:"expires_in"` // seconds
	Scopes      []string `json:"scopes"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, c caller) error {
	in, err := readNewToken(w, r)
	if err != nil {
		return err
	}
	expiresIn := int64(-1) // none given
	if in.ExpiresIn != nil {
		expiresIn = *in.ExpiresIn
	}
	out, err := h.Issuer.Issue(r.Context(), account.TokenRequest{UserID: c.User.ID, ClientID: c.ClientID,
		Name: in.Name, Description: in.Description, ExpiresIn: expiresIn, Scopes: in.Scopes, Holds: c.may, Address: clientaddr.From(r).String()})
	if err != nil {
		return jsonapi.TokenError(err, in.Name)
	}
	jsonapi.Write(w, http.StatusCreated, created{viewToken(out.PersonalToken), out.Token})
	return nil
}

// rotateToken gives one of the caller's tokens a new secret (same name,
// scopes and lifetime) and answers it as a creation does; the old secret
// stops working at once.
func (h *Handler) rotateToken(w http.ResponseWriter, r *http.Request, c caller) error {
	id := r.PathValue("id")
	out, err := h.Issuer.Rotate(r.Context(), c.action(r), id, c.may)
	if errors.Is(err, storage.ErrNotFound) {
		return noToken(id)
	}
	if err != nil {
		return jsonapi.TokenError(err, "")
	}
	jsonapi.Write(w, http.StatusOK, created{viewToken(out.PersonalToken), out.Token})
	return nil
}

// action is the caller acting on its tokens, for the audit record.
func (c caller) action(r *http.Request) account.Action {
	return account.Action{UserID: c.User.ID, ClientID: c.ClientID, Address: clientaddr.From(r).String()}
}

func noToken(id string) error {
	return jsonapi.Errorf(http.StatusNotFound, "not_found", "you have no token with id "+strconv.Quote(names.Clip(id, 40)))
}

func readNewToken(w http.ResponseWriter, r *http.Request) (newToken, error) {
	var in newToken
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		if e := jsonapi.BodyTooLarge(err); e != nil {
			return in, e
		}
		return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body must be a JSON object {name, expires_in, scopes, description}")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body has data after the JSON object")
	}
	return in, nil
}

// revokeToken revokes one of the caller's tokens: it stops working at
// once (and stays listed by NOMAD's PAT API as revoked for a day).
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, c caller) error {
	id := r.PathValue("id")
	_, err := h.Issuer.Revoke(r.Context(), c.action(r), id)
	if errors.Is(err, storage.ErrNotFound) {
		return noToken(id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) audit(r *http.Request, e storage.AuditEvent) {
	e.Time, e.Address = h.Now().UTC(), clientaddr.From(r).String()
	if err := h.Store.AppendAudit(r.Context(), e); err != nil {
		h.Logger.ErrorContext(r.Context(), "audit", "type", e.Type, "err", err)
	}
}
