package api

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// userView is a user as the API shows it; Email only to the user and admins.
type userView struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Email    string   `json:"email,omitempty"`
	Admin    bool     `json:"is_admin,omitempty"`
	Groups   []string `json:"groups,omitempty"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request, c caller) error {
	groups, err := h.Store.ListUserGroups(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	if groups == nil {
		groups = []string{}
	}
	v := userView{ID: c.User.ID, Username: c.User.Username, Name: c.User.Name, Email: c.User.Email, Admin: c.User.Admin, Groups: groups}
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
