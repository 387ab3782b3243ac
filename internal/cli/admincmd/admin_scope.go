package admincmd

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

func newCmdAdminScope(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("scope", "Manage the scopes of the platform's own APIs",
		NewCmdScopeAdd(f, nil),
		NewCmdScopeList(f, nil),
		NewCmdScopeRemove(f, nil),
	)
}

// ScopeAddOptions are the inputs of `hubauth admin scope add`.
type ScopeAddOptions struct {
	adminOptions
	Name        string
	Description string
}

// NewCmdScopeAdd returns `hubauth admin scope add NAME --description D`.
func NewCmdScopeAdd(f *Factory, runF func(*ScopeAddOptions) error) *cobra.Command {
	opts := &ScopeAddOptions{}
	cmd := &cobra.Command{
		Use:   "add NAME --description D",
		Short: "Register a scope of the platform's API (e.g. uploads:write)",
		Long: "Register a scope of the platform's own API, such as uploads:write. Clients may\n" +
			"then request it at login and users may give it to personal tokens; a data API\n" +
			"requires it with resource.RequireScope. The description is what the consent\n" +
			"page shows. Running servers grant the scope within " + scopes.CacheTTL.String() + ".",
		Args: cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Name = args[0]
			if !cmd.Flags().Changed("description") {
				return cmdutil.UsageErrorf("--description is required: what the scope allows, shown on the consent page")
			}
			if runF != nil {
				return runF(opts)
			}
			return scopeAddRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Description, "description", "", `what the scope allows, e.g. "create uploads" (required)`)
	return cmd
}

func scopeAddRun(opts *ScopeAddOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		if err := a.AddScope(opts.Ctx, opts.Name, opts.Description); err != nil {
			return err
		}
		opts.printf("Added scope %q. Running servers grant it within %s.\n", opts.Name, scopes.CacheTTL)
		return nil
	})
}

// ScopeRemoveOptions are the inputs of `hubauth admin scope remove`.
type ScopeRemoveOptions struct {
	adminOptions
	Name string
}

// NewCmdScopeRemove returns `hubauth admin scope remove NAME`.
func NewCmdScopeRemove(f *Factory, runF func(*ScopeRemoveOptions) error) *cobra.Command {
	opts := &ScopeRemoveOptions{}
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Stop granting a registered scope",
		Long: "Remove a registered scope: logins and new personal tokens can no longer ask for\n" +
			"it, a login session loses it at its next refresh and a personal token at its\n" +
			"next introspection. Access tokens issued before keep it until they expire.",
		Args: cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return scopeRemoveRun(opts)
		},
	}
}

func scopeRemoveRun(opts *ScopeRemoveOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		if err := a.RemoveScope(opts.Ctx, opts.Name); err != nil {
			return err
		}
		opts.printf("Removed scope %q. Running servers stop granting it within %s; access tokens\n"+
			"issued before keep it until they expire.\n", opts.Name, scopes.CacheTTL)
		return nil
	})
}

// ScopeListOptions are the inputs of `hubauth admin scope list`.
type ScopeListOptions struct {
	adminOptions
	JSON bool
}

// NewCmdScopeList returns `hubauth admin scope list [--json]`.
func NewCmdScopeList(f *Factory, runF func(*ScopeListOptions) error) *cobra.Command {
	opts := &ScopeListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List every scope the hub grants",
		Long: "List every scope the hub grants: its built-in ones, then those registered for\n" +
			"the platform's APIs.\n\n--json prints an array of {name, description, builtin, created_at}.",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return scopeListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// ScopeJSON is a scope in `scope list --json`.
type ScopeJSON struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Builtin     bool       `json:"builtin"`
	CreatedAt   *time.Time `json:"created_at"`
}

func scopeListRun(opts *ScopeListOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		registered, err := s.ListScopes(opts.Ctx)
		if err != nil {
			return err
		}
		all := scopes.NewSet(registered).All()
		if opts.JSON {
			out := make([]ScopeJSON, 0, len(all))
			for _, sc := range all {
				out = append(out, ScopeJSON{Name: sc.Name, Description: sc.Description,
					Builtin: scopes.IsBuiltin(sc.Name), CreatedAt: cmdutil.JSONTime(sc.CreatedAt)})
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "NAME", "BUILT-IN", "DESCRIPTION", "CREATED")
		for _, sc := range all {
			t.Row(sc.Name, cmdutil.YesNo(scopes.IsBuiltin(sc.Name)), sc.Description, cmdutil.FormatTime(sc.CreatedAt))
		}
		return t.Flush()
	})
}
