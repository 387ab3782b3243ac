package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/server/scopes"
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
			if err := exactArgs(want...)(cmd, args); err != nil {
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
	return opts.withStore(func(s storage.Storage) error {
		if !opts.Unrestricted {
			if err := checkClientScopes(opts.Ctx, s, opts.Scopes); err != nil {
				return err
			}
		}
		err := s.UpdateClient(opts.Ctx, opts.ID, func(c storage.Client) (storage.Client, error) {
			c.RestrictScopes, c.AllowedScopes = !opts.Unrestricted, opts.Scopes
			return c, nil
		})
		if err != nil {
			return describe(err, "client", opts.ID)
		}
		what := "any scope"
		if !opts.Unrestricted {
			what = strings.Join(opts.Scopes, " ")
		}
		if err := opts.audit(s, storage.AuditEvent{ClientID: opts.ID, Detail: "set scopes of client " + opts.ID + ": " + what}); err != nil {
			return err
		}
		opts.printf("Client %q may ask for %s.\n", opts.ID, what)
		return nil
	})
}

// splitScopes splits a comma-separated list of scopes, dropping empty
// entries and repeats.
func splitScopes(s string) []string {
	var out []string
	for _, sc := range strings.Split(s, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			out = append(out, sc)
		}
	}
	return dedupe(out)
}

// checkClientScopes refuses an empty list and scopes the hub does not
// grant (built-in or registered), naming the valid ones.
func checkClientScopes(ctx context.Context, s storage.Storage, names []string) error {
	if len(names) == 0 {
		return errors.New("no scopes given: name at least one (e.g. openid), or use --unrestricted")
	}
	registered, err := s.ListScopes(ctx)
	if err != nil {
		return err
	}
	if err := scopes.NewSet(registered).Check(names); err != nil {
		return fmt.Errorf("%w (register a platform scope with hubauth admin scope add)", err)
	}
	return nil
}

// scopesCell shows a client's scopes in `client list`.
func scopesCell(c storage.Client) string {
	if !c.RestrictScopes {
		return "any (unrestricted)"
	}
	return strings.Join(c.AllowedScopes, ",")
}
