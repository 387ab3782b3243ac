package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

type groupView struct {
	Name string `json:"name"`
}

type memberView struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// groups lists the caller's groups.
func (h *Handler) groups(w http.ResponseWriter, r *http.Request, c caller) error {
	names, err := h.Store.ListUserGroups(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	out := make([]groupView, 0, len(names))
	for _, n := range names {
		out = append(out, groupView{Name: n})
	}
	jsonapi.Write(w, http.StatusOK, list[groupView]{Data: out})
	return nil
}

// members lists a group's members to its members and to admins; to anyone
// else the group does not exist (CAVE's get_group_users).
func (h *Handler) members(w http.ResponseWriter, r *http.Request, c caller) error {
	name := r.PathValue("name")
	mine, err := h.Store.ListUserGroups(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	notFound := jsonapi.Errorf(http.StatusNotFound, "not_found", "no group "+strconv.Quote(names.Clip(name, 40))+" of yours")
	if !c.User.Admin && !slices.Contains(mine, name) {
		return notFound
	}
	us, err := h.Store.ListGroupMembers(r.Context(), name)
	if errors.Is(err, storage.ErrNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	out := make([]memberView, 0, len(us))
	for _, u := range us {
		out = append(out, memberView{ID: u.ID, Username: u.Username, Name: u.Name})
	}
	jsonapi.Write(w, http.StatusOK, list[memberView]{Data: out})
	return nil
}
