package api

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// userView is a user as the API shows it; Email only to the user and admins.
type userView struct {
	ID       string   `json:"id"`
	Username string   `json:"username,omitempty"`
	Name     string   `json:"name,omitempty"`
	Email    string   `json:"email,omitempty"`
	Admin    bool     `json:"is_admin,omitempty"`
	Groups   []string `json:"groups,omitempty"`
}

// me shows the caller what their token reveals, as /userinfo does
// (scopes.ClaimsOf); a first-party client sees everything. is_admin only to
// first-party clients and personal tokens: a third-party client has no
// scope that reveals it.
func (h *Handler) me(w http.ResponseWriter, r *http.Request, c caller) error {
	show := c.Claims()
	if c.FirstParty {
		show = scopes.AllClaims
	}
	v := userView{ID: c.User.ID, Admin: c.User.Admin && (c.FirstParty || c.Kind == bearer.KindPersonalToken)}
	if show.Profile {
		v.Username, v.Name = c.User.Username, c.User.Name
	}
	if show.Email {
		v.Email = c.User.Email
	}
	if show.Groups {
		groups, err := h.Store.ListUserGroups(r.Context(), c.User.ID)
		if err != nil {
			return err
		}
		v.Groups = nonNil(groups)
	}
	jsonapi.Write(w, http.StatusOK, v)
	return nil
}

// maxLookups bounds how many users one request may ask for.
const maxLookups = 100

// users looks users up by id and username (both repeatable); unknown ones
// are left out (CAVE's get_user_information).
func (h *Handler) users(w http.ResponseWriter, r *http.Request, c caller) error {
	q := r.URL.Query()
	ids, names := q["id"], q["username"]
	if len(ids)+len(names) == 0 || len(ids)+len(names) > maxLookups {
		return jsonapi.Errorf(http.StatusUnprocessableEntity, "invalid_request", "give 1 to 100 id or username parameters")
	}
	var out []userView
	seen := map[string]bool{}
	add := func(u storage.User, err error) error {
		if errors.Is(err, storage.ErrNotFound) || (err == nil && seen[u.ID]) {
			return nil
		}
		if err != nil {
			return err
		}
		seen[u.ID] = true
		v := userView{ID: u.ID, Username: u.Username, Name: u.Name}
		if c.User.Admin || u.ID == c.User.ID {
			v.Email = u.Email
		}
		out = append(out, v)
		return nil
	}
	for _, id := range ids {
		if err := add(h.Store.GetUser(r.Context(), id)); err != nil {
			return err
		}
	}
	for _, name := range names {
		if err := add(h.Store.GetUserByUsername(r.Context(), name)); err != nil {
			return err
		}
	}
	jsonapi.Write(w, http.StatusOK, list[userView]{Data: nonNil(out)})
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
