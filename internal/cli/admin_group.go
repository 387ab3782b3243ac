package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

func newCmdAdminGroup(f *Factory) *cobra.Command {
	return newGroup("group", "Manage groups and their members",
		NewCmdGroupAdd(f, nil),
		NewCmdGroupMember(f, nil, true),
		NewCmdGroupMember(f, nil, false),
		NewCmdGroupList(f, nil),
		NewCmdGroupMembers(f, nil),
	)
}

// GroupAddOptions are the inputs of `hubauth admin group add`.
type GroupAddOptions struct {
	adminOptions
	Group string
}

// NewCmdGroupAdd returns `hubauth admin group add NAME`.
func NewCmdGroupAdd(f *Factory, runF func(*GroupAddOptions) error) *cobra.Command {
	opts := &GroupAddOptions{}
	return &cobra.Command{
		Use:   "add NAME",
		Short: "Add a group",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Group = args[0]
			if runF != nil {
				return runF(opts)
			}
			return groupAddRun(opts)
		},
	}
}

func groupAddRun(opts *GroupAddOptions) error {
	if err := names.CheckID("group name", opts.Group); err != nil {
		return err
	}
	return opts.withStore(func(s storage.Storage) error {
		g := storage.Group{Name: opts.Group, CreatedAt: opts.Now().UTC()}
		if err := s.CreateGroup(opts.Ctx, g); err != nil {
			return describe(err, "group", g.Name)
		}
		if err := opts.audit(s, storage.AuditEvent{Detail: "add group " + g.Name}); err != nil {
			return err
		}
		opts.printf("Added group %q.\n", g.Name)
		return nil
	})
}

// GroupMemberOptions are the inputs of `hubauth admin group add-member`
// and `group remove-member`.
type GroupMemberOptions struct {
	adminOptions
	Group    string
	Username string
	Add      bool // false: remove
}

// NewCmdGroupMember returns `hubauth admin group add-member NAME USER`, or
// with add false `group remove-member NAME USER`.
func NewCmdGroupMember(f *Factory, runF func(*GroupMemberOptions) error, add bool) *cobra.Command {
	opts := &GroupMemberOptions{Add: add}
	cmd := &cobra.Command{
		Use:   "remove-member NAME USER",
		Short: "Remove a user from a group",
		Args:  exactArgs("NAME", "USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Group, opts.Username = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return groupMemberRun(opts)
		},
	}
	if add {
		cmd.Use, cmd.Short = "add-member NAME USER", "Add a user to a group"
	}
	return cmd
}

func groupMemberRun(opts *GroupMemberOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		u, err := s.GetUserByUsername(opts.Ctx, opts.Username)
		if err != nil {
			return describe(err, "user", opts.Username)
		}
		verb, prep := "add", "to"
		if opts.Add {
			err = addMember(opts, s, u)
		} else {
			verb, prep = "remove", "from"
			err = removeMember(opts, s, u)
		}
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%s user %s %s group %s", verb, u.Username, prep, opts.Group)
		if err := opts.audit(s, storage.AuditEvent{UserID: u.ID, Detail: detail}); err != nil {
			return err
		}
		opts.printf("%sed user %q %s group %q.\n", capitalize(strings.TrimSuffix(verb, "e")), u.Username, prep, opts.Group)
		return nil
	})
}

func addMember(opts *GroupMemberOptions, s storage.Storage, u storage.User) error {
	err := s.AddGroupMember(opts.Ctx, opts.Group, u.ID)
	switch {
	case errors.Is(err, storage.ErrNotFound): // the user exists: the group does not
		return describe(err, "group", opts.Group)
	case errors.Is(err, storage.ErrAlreadyExists):
		return fmt.Errorf("user %q is already a member of group %q", u.Username, opts.Group)
	}
	return err
}

func removeMember(opts *GroupMemberOptions, s storage.Storage, u storage.User) error {
	err := s.RemoveGroupMember(opts.Ctx, opts.Group, u.ID)
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	groups, lerr := s.ListGroups(opts.Ctx)
	if lerr != nil {
		return lerr
	}
	if !slices.ContainsFunc(groups, func(g storage.Group) bool { return g.Name == opts.Group }) {
		return describe(err, "group", opts.Group)
	}
	return fmt.Errorf("user %q is not a member of group %q", u.Username, opts.Group)
}
