package admincmd

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// GroupListOptions are the inputs of `hubauth admin group list`.
type GroupListOptions struct {
	adminOptions
	JSON bool
}

// NewCmdGroupList returns `hubauth admin group list [--json]`.
func NewCmdGroupList(f *Factory, runF func(*GroupListOptions) error) *cobra.Command {
	opts := &GroupListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List groups",
		Long:  "List groups.\n\n--json prints an array of {name, created_at}.",
		Args:  cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return groupListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// GroupJSON is a group in `group list --json`.
type GroupJSON struct {
	Name      string     `json:"name"`
	CreatedAt *time.Time `json:"created_at"`
}

func groupListRun(opts *GroupListOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		groups, err := s.ListGroups(opts.Ctx)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]GroupJSON, 0, len(groups))
			for _, g := range groups {
				out = append(out, GroupJSON{Name: g.Name, CreatedAt: cmdutil.JSONTime(g.CreatedAt)})
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "NAME", "CREATED")
		for _, g := range groups {
			t.Row(g.Name, cmdutil.FormatTime(g.CreatedAt))
		}
		return t.Flush()
	})
}

// GroupMembersOptions are the inputs of `hubauth admin group members`.
type GroupMembersOptions struct {
	adminOptions
	Group string
	JSON  bool
}

// NewCmdGroupMembers returns `hubauth admin group members NAME [--json]`.
func NewCmdGroupMembers(f *Factory, runF func(*GroupMembersOptions) error) *cobra.Command {
	opts := &GroupMembersOptions{}
	cmd := &cobra.Command{
		Use:   "members NAME [--json]",
		Short: "List the members of a group",
		Long:  "List the members of a group, as `user list` does.",
		Args:  cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Group = args[0]
			if runF != nil {
				return runF(opts)
			}
			return groupMembersRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func groupMembersRun(opts *GroupMembersOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		users, err := a.GroupMembers(opts.Ctx, opts.Group)
		if err != nil {
			return err
		}
		return printUsers(opts.IO, users, opts.JSON)
	})
}
