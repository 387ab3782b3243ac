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
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// tokenView is a personal token as listed: never the secret.
type tokenView struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

func viewToken(t storage.PersonalToken) tokenView {
	return tokenView{ID: t.ID, Name: t.Name, Scopes: nonNil(t.Scopes), CreatedAt: t.CreatedAt,
		ExpiresAt: timeOrNil(t.ExpiresAt), LastUsedAt: timeOrNil(t.LastUsedAt)}
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
	Name      string   `json:"name"`
	ExpiresIn *int64   `json:"expires_in"` // seconds
	Scopes    []string `json:"scopes"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, c caller) error {
	if c.Kind != bearer.KindAccessToken {
		return jsonapi.Errorf(http.StatusForbidden, "access_denied", "personal tokens are created with an access token, not with another personal token")
	}
	in, err := readNewToken(w, r)
	if err != nil {
		return err
	}
	expiresIn := int64(-1) // none given
	if in.ExpiresIn != nil {
		expiresIn = *in.ExpiresIn
	}
	out, err := h.Issuer.Issue(r.Context(), account.TokenRequest{UserID: c.User.ID, ClientID: c.ClientID,
		Name: in.Name, ExpiresIn: expiresIn, Scopes: in.Scopes, Holds: c.may, Address: clientaddr.From(r).String()})
	if err != nil {
		return jsonapi.TokenError(err, in.Name)
	}
	jsonapi.Write(w, http.StatusCreated, struct {
		tokenView
		Token string `json:"token"`
	}{viewToken(out.PersonalToken), out.Token})
	return nil
}

func readNewToken(w http.ResponseWriter, r *http.Request) (newToken, error) {
	var in newToken
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body must be a JSON object {name, expires_in, scopes}")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return in, jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "the body has data after the JSON object")
	}
	return in, nil
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, c caller) error {
	id := r.PathValue("id")
	err := h.Store.DeletePersonalToken(r.Context(), c.User.ID, id)
	if errors.Is(err, storage.ErrNotFound) {
		return jsonapi.Errorf(http.StatusNotFound, "not_found", "you have no token with id "+strconv.Quote(names.Clip(id, 40)))
	}
	if err != nil {
		return err
	}
	h.audit(r, storage.AuditEvent{Type: storage.AuditRevoke, UserID: c.User.ID, ClientID: c.ClientID, Detail: "personal token " + id})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) audit(r *http.Request, e storage.AuditEvent) {
	e.Time, e.Address = h.Now().UTC(), clientaddr.From(r).String()
	if err := h.Store.AppendAudit(r.Context(), e); err != nil {
		h.Logger.ErrorContext(r.Context(), "audit", "type", e.Type, "err", err)
	}
}
