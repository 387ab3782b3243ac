package admincmd

import (
	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/server/scopes"
)

func newCmdAdminAPI(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("api", "Manage the APIs (resource servers) tokens are for",
		NewCmdAPIAdd(f, nil),
		NewCmdAPIList(f, nil),
		NewCmdAPIShow(f, nil),
		NewCmdAPIRemove(f, nil),
	)
}

// APIAddOptions are the inputs of `hubauth admin api add`.
type APIAddOptions struct {
	adminOptions
	admin.NewAPI
}

// NewCmdAPIAdd returns `hubauth admin api add ID --uri URI --scopes a,b [--name TEXT]`.
func NewCmdAPIAdd(f *Factory, runF func(*APIAddOptions) error) *cobra.Command {
	opts := &APIAddOptions{}
	cmd := &cobra.Command{
		Use:   "add ID --uri URI --scopes a,b [--name TEXT]",
		Short: "Register an API, the audience of the tokens for it",
		Long: "Register a data API (a resource server) owning registered scopes. A token asking\n" +
			"for its scopes, or naming its URI with resource (RFC 8707), carries the URI as\n" +
			"its audience (aud) and, besides the sign-in scopes (openid, profile, email,\n" +
			"groups, offline_access), only the API's scopes; the API's resource package\n" +
			"checks that audience. A scope belongs to at most one API: register it first\n" +
			"with `hubauth admin scope add`. The URI is https (http only on a loopback host),\n" +
			"without a fragment or query. Running servers follow within " + scopes.CacheTTL.String() + ".",
		Args: cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.ID = args[0]
			if !cmd.Flags().Changed("uri") {
				return cmdutil.UsageErrorf("--uri is required: the API's public URL, the audience of its tokens")
			}
			if runF != nil {
				return runF(opts)
			}
			return apiAddRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.URI, "uri", "", "the API's public URL, e.g. https://data.example.org (required)")
	fl.StringSliceVar(&opts.Scopes, "scopes", nil, "registered scopes the API owns, comma-separated")
	fl.StringVar(&opts.Name, "name", "", "a name for people (default the ID)")
	return cmd
}

func apiAddRun(opts *APIAddOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		api, err := a.AddAPI(opts.Ctx, opts.NewAPI)
		if err != nil {
			return err
		}
		opts.printf("Added API %q at %s owning %d scope(s). Running servers follow within %s.\n",
			api.ID, api.URI, len(api.Scopes), scopes.CacheTTL)
		return nil
	})
}

// APIRemoveOptions are the inputs of `hubauth admin api remove`.
type APIRemoveOptions struct {
	adminOptions
	ID string
}

// NewCmdAPIRemove returns `hubauth admin api remove ID`.
func NewCmdAPIRemove(f *Factory, runF func(*APIRemoveOptions) error) *cobra.Command {
	opts := &APIRemoveOptions{}
	return &cobra.Command{
		Use:   "remove ID",
		Short: "Stop issuing tokens for an API",
		Long: "Remove a registered API: no new token is for it (asking for it is invalid_target),\n" +
			"and a login whose grant covers it gets invalid_target at its next refresh. Its\n" +
			"scopes stay registered, owned by no API. Access tokens issued before keep their\n" +
			"audience until they expire.",
		Args: cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.ID = args[0]
			if runF != nil {
				return runF(opts)
			}
			return opts.withAdmin(func(a *admin.Admin) error {
				if err := a.RemoveAPI(opts.Ctx, opts.ID); err != nil {
					return err
				}
				opts.printf("Removed API %q. Running servers follow within %s.\n", opts.ID, scopes.CacheTTL)
				return nil
			})
		},
	}
}
