package admincmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// ClientSetScopesOptions are the inputs of `hubauth admin client
// set-scopes`.
type ClientSetScopesOptions struct {
	adminOptions
	ID     string
	Scopes []string
	// Unrestricted lets the client ask for every scope the hub grants, as
	// clients registered before scopes were per client may.
	Unrestricted bool
}

// NewCmdClientSetScopes returns `hubauth admin client set-scopes ID a,b` and
// `client set-scopes ID --unrestricted`.
func NewCmdClientSetScopes(f *Factory, runF func(*ClientSetScopesOptions) error) *cobra.Command {
	opts := &ClientSetScopesOptions{}
	cmd := &cobra.Command{
		Use:   "set-scopes ID SCOPE[,SCOPE...] | set-scopes ID --unrestricted",
		Short: "Set the scopes a client may ask for",
		Long: "Set the scopes a client may ask for (comma-separated): a grant asking for another gets\n" +
			"invalid_scope naming these. --unrestricted lets it ask for every scope the hub grants, as\n" +
			"clients registered before scopes were per client (and hubauth-cli) may. Running servers\n" +
			"apply the change within seconds; tokens issued before keep their scopes until they expire,\n" +
			"and the client's next refresh leaves out the scopes it no longer has.",
		RunE: func(cmd *cobra.Command, args []string) error {
			want := []string{"ID", "SCOPES"}
			if opts.Unrestricted {
				want = want[:1]
			}
			if err := cmdutil.ExactArgs(want...)(cmd, args); err != nil {
				return err
			}
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.ID = args[0]
			if !opts.Unrestricted {
				opts.Scopes = splitScopes(args[1])
			}
			if runF != nil {
				return runF(opts)
			}
			return clientSetScopesRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Unrestricted, "unrestricted", false, "let the client ask for every scope the hub grants")
	return cmd
}

func clientSetScopesRun(opts *ClientSetScopesOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		what, err := a.SetClientScopes(opts.Ctx, opts.ID, opts.Scopes, opts.Unrestricted)
		if err != nil {
			return err
		}
		opts.printf("Client %q may ask for %s.\n", opts.ID, what)
		return nil
	})
}

// splitScopes splits a comma-separated list of scopes, dropping empty
// entries (admin drops repeats).
func splitScopes(s string) []string {
	var out []string
	for _, sc := range strings.Split(s, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			out = append(out, sc)
		}
	}
	return out
}

// scopesCell shows a client's scopes in `client list`.
func scopesCell(c storage.Client) string {
	if !c.RestrictScopes {
		return "any (unrestricted)"
	}
	return strings.Join(c.AllowedScopes, ",")
}
