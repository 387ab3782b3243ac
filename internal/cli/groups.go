package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// NewCmdGroups returns `hubauth groups`.
func NewCmdGroups(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("groups", "List your groups and their members",
		NewCmdGroupsList(f, nil), NewCmdGroupsMembers(f, nil))
}

// GroupsListOptions are the inputs of `hubauth groups list`.
type GroupsListOptions struct {
	userOptions
	JSON bool
}

// myGroupJSON is one group of `hubauth groups list --json` (an array), a
// stable format:
//
//	name  string  the group's name
type myGroupJSON struct {
	Name string `json:"name"`
}

// NewCmdGroupsList returns `hubauth groups list`.
func NewCmdGroupsList(f *Factory, runF func(*GroupsListOptions) error) *cobra.Command {
	opts := &GroupsListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the groups you belong to",
		Args:  cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			return runOrF(opts, runF, groupsListRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the groups")
	return cmd
}

func groupsListRun(o *GroupsListOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	groups, err := c.Groups(o.Ctx)
	if err != nil {
		return c.apiError(err)
	}
	if o.JSON {
		out := make([]myGroupJSON, 0, len(groups))
		for _, g := range groups {
			out = append(out, myGroupJSON{Name: g})
		}
		return cmdutil.WriteJSON(o.IO.Out, out)
	}
	if len(groups) == 0 {
		fmt.Fprintln(o.IO.ErrOut, "You belong to no group.")
	}
	for _, g := range groups {
		fmt.Fprintln(o.IO.Out, names.Escape(g))
	}
	return nil
}

// GroupsMembersOptions are the inputs of `hubauth groups members`.
type GroupsMembersOptions struct {
	userOptions
	Group string
	JSON  bool
}

// NewCmdGroupsMembers returns `hubauth groups members`, CAVE's
// get_group_users.
func NewCmdGroupsMembers(f *Factory, runF func(*GroupsMembersOptions) error) *cobra.Command {
	opts := &GroupsMembersOptions{}
	cmd := &cobra.Command{
		Use:   "members GROUP [--json]",
		Short: "List the members of one of your groups",
		Long: `List the members of GROUP: id, username and name. GROUP must be one of
yours (admins: any); any other group is "not found" (exit 1).`,
		Args: cmdutil.ExactArgs("GROUP"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Group = args[0]
			return runOrF(opts, runF, groupsMembersRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the members")
	return cmd
}

func groupsMembersRun(o *GroupsMembersOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	members, err := c.GroupMembers(o.Ctx, o.Group)
	if err != nil {
		return c.apiError(err)
	}
	return writeUsers(o.IO.Out, members, o.JSON, false)
}
