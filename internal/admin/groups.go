package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// AddGroup adds a group and audits it.
func (a *Admin) AddGroup(ctx context.Context, name string) error {
	if err := names.CheckID("group name", name); err != nil {
		return invalid(err)
	}
	g := storage.Group{Name: name, CreatedAt: a.now().UTC()}
	if err := a.store.CreateGroup(ctx, g); err != nil {
		return describe(err, "group", g.Name)
	}
	return a.audit(ctx, storage.AuditEvent{Detail: "add group " + g.Name})
}

// AddGroupMember adds the user with this username to a group and audits it.
func (a *Admin) AddGroupMember(ctx context.Context, group, username string) error {
	u, err := a.user(ctx, username)
	if err != nil {
		return err
	}
	err = a.store.AddGroupMember(ctx, group, u.ID)
	switch {
	case errors.Is(err, storage.ErrNotFound): // the user exists: the group does not
		return describe(err, "group", group)
	case errors.Is(err, storage.ErrAlreadyExists):
		return &adminError{msg: fmt.Sprintf("user %q is already a member of group %q", u.Username, group), causes: []error{err}}
	case err != nil:
		return err
	}
	return a.audit(ctx, storage.AuditEvent{UserID: u.ID, Detail: fmt.Sprintf("add user %s to group %s", u.Username, group)})
}

// RemoveGroupMember removes the user with this username from a group and
// audits it.
func (a *Admin) RemoveGroupMember(ctx context.Context, group, username string) error {
	u, err := a.user(ctx, username)
	if err != nil {
		return err
	}
	err = a.store.RemoveGroupMember(ctx, group, u.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return a.whyNotMember(ctx, err, group, u.Username)
	}
	if err != nil {
		return err
	}
	return a.audit(ctx, storage.AuditEvent{UserID: u.ID, Detail: fmt.Sprintf("remove user %s from group %s", u.Username, group)})
}

// whyNotMember says why removing a member found nothing: no such group, or
// the user is not in it.
func (a *Admin) whyNotMember(ctx context.Context, err error, group, username string) error {
	groups, lerr := a.store.ListGroups(ctx)
	if lerr != nil {
		return lerr
	}
	if !slices.ContainsFunc(groups, func(g storage.Group) bool { return g.Name == group }) {
		return describe(err, "group", group)
	}
	return &adminError{msg: fmt.Sprintf("user %q is not a member of group %q", username, group), causes: []error{err}}
}

// user returns the user with this username.
func (a *Admin) user(ctx context.Context, username string) (storage.User, error) {
	u, err := a.store.GetUserByUsername(ctx, username)
	return u, describe(err, "user", username)
}

// GroupMembers returns the members of a group.
func (a *Admin) GroupMembers(ctx context.Context, group string) ([]storage.User, error) {
	users, err := a.store.ListGroupMembers(ctx, group)
	return users, describe(err, "group", group)
}
