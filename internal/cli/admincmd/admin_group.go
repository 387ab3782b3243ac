package admincmd

import (
	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

func newCmdAdminGroup(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("group", "Manage groups and their members",
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
		Args:  cmdutil.ExactArgs("NAME"),
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
	return opts.withAdmin(func(a *admin.Admin) error {
		if err := a.AddGroup(opts.Ctx, opts.Group); err != nil {
			return err
		}
		opts.printf("Added group %q.\n", opts.Group)
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
		Args:  cmdutil.ExactArgs("NAME", "USER"),
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
	return opts.withAdmin(func(a *admin.Admin) error {
		if !opts.Add {
			if err := a.RemoveGroupMember(opts.Ctx, opts.Group, opts.Username); err != nil {
				return err
			}
			opts.printf("Removed user %q from group %q.\n", opts.Username, opts.Group)
			return nil
		}
		if err := a.AddGroupMember(opts.Ctx, opts.Group, opts.Username); err != nil {
			return err
		}
		opts.printf("Added user %q to group %q.\n", opts.Username, opts.Group)
		return nil
	})
}
