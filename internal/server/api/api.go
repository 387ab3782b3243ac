// Package api serves the hub's JSON API under /api/v1 for bearer callers
// (access tokens and personal tokens): who am I, and — as the API grows —
// tokens, sessions, users and groups.
package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// Handler serves /api/v1.
type Handler struct {
	Store  storage.Storage
	Bearer *bearer.Verifier
	Logger *slog.Logger
}

// Mount registers the endpoints.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/users/me", h.me)
}

// userView is a user as the API shows it; Email only to the user and admins.
type userView struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Email    string   `json:"email,omitempty"`
	Admin    bool     `json:"is_admin"`
	Groups   []string `json:"groups"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	p, ok := jsonapi.Authenticate(h.Bearer, h.Logger, w, r)
	if !ok {
		return
	}
	u, err := h.Store.GetUser(r.Context(), p.Subject)
	if errors.Is(err, storage.ErrNotFound) {
		err = jsonapi.Errorf(http.StatusNotFound, "not_found", "the token's subject is not a user (a service account?)")
	}
	if err != nil {
		jsonapi.WriteError(w, r, h.Logger, err)
		return
	}
	groups, err := h.Store.ListUserGroups(r.Context(), u.ID)
	if err != nil {
		jsonapi.WriteError(w, r, h.Logger, err)
		return
	}
	if groups == nil {
		groups = []string{}
	}
	jsonapi.Write(w, http.StatusOK, userView{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email, Admin: u.Admin, Groups: groups})
}
