package admincmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// ClientSetExchangeOptions are the inputs of `hubauth admin client set-exchange`.
type ClientSetExchangeOptions struct {
	adminOptions
	ID        string
	Audiences []string
	None      bool
}

// NewCmdClientSetExchange returns `hubauth admin client set-exchange ID
// (URI... | --none)`.
func NewCmdClientSetExchange(f *Factory, runF func(*ClientSetExchangeOptions) error) *cobra.Command {
	opts := &ClientSetExchangeOptions{}
	cmd := &cobra.Command{
		Use:   "set-exchange ID (URI... | --none)",
		Short: "Set the APIs a service may exchange users' tokens for",
		Long: "Let a confidential client exchange a user's token for a token for the registered\n" +
			"APIs at URI... (RFC 8693 token exchange), adding the token-exchange grant; --none\n" +
			"takes the grant away. Audited.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.UsageErrorf("missing ID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.ID, opts.Audiences = args[0], args[1:]
			switch {
			case opts.None && len(opts.Audiences) > 0:
				return cmdutil.UsageErrorf("give URIs or --none, not both")
			case !opts.None && len(opts.Audiences) == 0:
				return cmdutil.UsageErrorf("give at least one API URI, or --none to take token exchange away")
			}
			if runF != nil {
				return runF(opts)
			}
			return opts.withAdmin(func(a *admin.Admin) error {
				if err := a.SetClientExchange(opts.Ctx, opts.ID, opts.Audiences); err != nil {
					return err
				}
				if opts.None {
					opts.printf("Client %q may no longer exchange tokens.\n", opts.ID)
				} else {
					opts.printf("Client %q may exchange users' tokens for: %s\n", opts.ID, strings.Join(opts.Audiences, " "))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&opts.None, "none", false, "take token exchange away")
	return cmd
}
