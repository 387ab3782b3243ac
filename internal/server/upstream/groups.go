package upstream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// refresh makes u's name and e-mail the upstream's (when it sends them)
// and, when the provider has a groups claim, u's groups under its prefix
// the claim's. A new address is as verified as the upstream says; the
// same address stays verified when it was.
func (f *Federation) refresh(ctx context.Context, u storage.User, id Identity) (storage.User, error) {
	if (id.Name != "" && id.Name != u.Name) || (id.Email != "" && (id.Email != u.Email || id.EmailVerified && !u.EmailVerified)) {
		err := f.cfg.Store.UpdateUser(ctx, u.ID, func(old storage.User) (storage.User, error) {
			if id.Name != "" {
				old.Name = id.Name
			}
			if id.Email != "" {
				old.EmailVerified = id.EmailVerified || old.EmailVerified && strings.EqualFold(id.Email, old.Email)
				old.Email = id.Email
			}
			u = old
			return old, nil
		})
		if err != nil {
			return u, fmt.Errorf("upstream: refresh user: %w", err)
		}
	}
	if id.Provider.GroupsClaim == "" {
		return u, nil
	}
	return u, f.syncGroups(ctx, u.ID, id.Provider.GroupsPrefix, id.Groups)
}

// syncGroups makes userID a member of prefix+g for each claimed g that is
// a valid group name (created when missing), and takes it out of the
// other groups under prefix. With an empty prefix nothing is taken away:
// the hub cannot tell the upstream's groups from its own.
func (f *Federation) syncGroups(ctx context.Context, userID, prefix string, claimed []string) error {
	want := map[string]bool{}
	for _, g := range claimed {
		if names.CheckID("group name", prefix+g) == nil {
			want[prefix+g] = true
		}
	}
	have, err := f.cfg.Store.ListUserGroups(ctx, userID)
	if err != nil {
		return fmt.Errorf("upstream: list groups: %w", err)
	}
	for g := range want {
		if !slices.Contains(have, g) {
			if err := f.join(ctx, g, userID); err != nil {
				return err
			}
		}
	}
	for _, g := range have {
		if prefix != "" && strings.HasPrefix(g, prefix) && !want[g] {
			err := f.cfg.Store.RemoveGroupMember(ctx, g, userID)
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				return fmt.Errorf("upstream: leave group: %w", err)
			}
		}
	}
	return nil
}

// join adds userID to group g, creating g when missing; concurrent
// sign-ins doing the same are not errors.
func (f *Federation) join(ctx context.Context, g, userID string) error {
	err := f.cfg.Store.CreateGroup(ctx, storage.Group{Name: g, CreatedAt: f.now().UTC()})
	if err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
		return fmt.Errorf("upstream: create group: %w", err)
	}
	err = f.cfg.Store.AddGroupMember(ctx, g, userID)
	if err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
		return fmt.Errorf("upstream: join group: %w", err)
	}
	return nil
}
