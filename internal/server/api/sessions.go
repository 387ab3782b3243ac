package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// sessionView is a login as listed: which client, how, when, from where.
type sessionView struct {
	ID         string    `json:"id"`
	ClientID   string    `json:"client_id"`
	ClientName string    `json:"client_name"`
	Method     string    `json:"method"`
	Name       string    `json:"name,omitempty"`
	Address    string    `json:"address,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	Current    bool      `json:"current"`
	// ActingFor and Actors describe a service acting for the user (RFC
	// 8693 token exchange): the login it acts from, and the clients
	// acting, the current one first. PersonalToken is, for one acting
	// from a personal token, that token's id (ActingFor is pat:<id>; Name
	// is the token's name).
	ActingFor     string   `json:"acting_for,omitempty"`
	Actors        []string `json:"actors,omitempty"`
	PersonalToken string   `json:"personal_token,omitempty"`
}

func (h *Handler) listSessions(w http.ResponseWriter, r *http.Request, c caller) error {
	ss, err := h.Store.ListUserSessions(r.Context(), c.User.ID, h.Now().UTC())
	if err != nil {
		return err
	}
	out := make([]sessionView, 0, len(ss))
	for _, s := range ss {
		pat, _ := storage.ParentPersonalToken(s.ParentID)
		out = append(out, sessionView{ID: s.ID, ClientID: s.ClientID, ClientName: h.clientName(r, s.ClientID),
			Method: s.Method, Name: s.Name, Address: s.Address, CreatedAt: s.CreatedAt, LastUsedAt: s.LastUsedAt,
			Current: s.ID == c.SessionID, ActingFor: s.ParentID, Actors: s.Actors, PersonalToken: pat})
	}
	jsonapi.Write(w, http.StatusOK, list[sessionView]{Data: out})
	return nil
}

func (h *Handler) clientName(r *http.Request, id string) string {
	cl, err := h.Store.GetClient(r.Context(), id)
	if err != nil || cl.Name == "" {
		return id
	}
	return cl.Name
}

// revokeSession ends one of the caller's logins (its refresh family); a
// session of someone else is 404, as if it did not exist.
func (h *Handler) revokeSession(w http.ResponseWriter, r *http.Request, c caller) error {
	id := r.PathValue("id")
	s, err := account.RevokeSession(r.Context(), h.Store, c.User.ID, id, h.Now().UTC())
	if errors.Is(err, storage.ErrNotFound) {
		return jsonapi.Errorf(http.StatusNotFound, "not_found", "you have no session with id "+strconv.Quote(names.Clip(id, 40)))
	}
	if err != nil {
		return err
	}
	h.audit(r, storage.AuditEvent{Type: storage.AuditRevoke, UserID: c.User.ID, ClientID: s.ClientID, Detail: "session " + id})
	w.WriteHeader(http.StatusNoContent)
	return nil
}
