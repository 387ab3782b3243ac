package admincmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

func newCmdAdminClient(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("client", "Manage OAuth clients",
		NewCmdClientAdd(f, nil),
		NewCmdClientList(f, nil),
		NewCmdClientSetScopes(f, nil),
		NewCmdClientSetExchange(f, nil),
		NewCmdClientDisable(f, nil, true),
		NewCmdClientDisable(f, nil, false),
	)
}

// ClientAddOptions are the inputs of `hubauth admin client add`.
type ClientAddOptions struct {
	adminOptions
	ID           string
	Name         string
	Public       bool
	RedirectURIs []string
	GrantTypes   []string // empty: the defaults for Public
	FirstParty   bool
	Scopes       []string // nil: scopes.SignIn
	// ExchangeAudiences: the APIs (URIs) it may exchange users' tokens for.
	ExchangeAudiences []string
}

// NewCmdClientAdd returns `hubauth admin client add ID --name N [--public]
// [--redirect-uri URI]… [--grant TYPE]… [--first-party]`.
func NewCmdClientAdd(f *Factory, runF func(*ClientAddOptions) error) *cobra.Command {
	opts := &ClientAddOptions{}
	cmd := &cobra.Command{
		Use:   "add ID --name N [--public] [--redirect-uri URI]... [--grant TYPE]... [--first-party] [--scopes a,b]",
		Short: "Register an OAuth client",
		Long: "Register an OAuth client. A confidential client gets a generated secret, printed\n" +
			"once on standard output and stored only as a hash; a --public client has none.\n\n" +
			"Default grants: public: " + strings.Join(admin.DefaultGrants(true), ", ") +
			"; confidential: " + strings.Join(admin.DefaultGrants(false), ", ") + ".\n" +
			"--grant password opens /api/v1/auth/token to the client: a confidential one\n" +
			"sends its secret there (form or Basic header), a public one none.\n" +
			"Redirect URIs must be absolute, without fragment, and https (http only on\n" +
			"127.0.0.1, [::1] or localhost, where a public client may use any port).\n" +
			"The client may ask only for its --scopes (default: " + strings.Join(scopes.SignIn, ",") + ");\n" +
			"change them with hubauth admin client set-scopes.\n" +
			"--grant token-exchange (confidential clients) with --exchange-audience URI...\n" +
			"lets a service exchange a user's token for a token for those registered APIs\n" +
			"(RFC 8693); change them with hubauth admin client set-exchange.",
		Args: cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.ID = args[0]
			if opts.Name == "" {
				return cmdutil.UsageErrorf("--name is required: the client's name, shown on the consent page")
			}
			if cmd.Flags().Changed("scopes") {
				opts.Scopes = splitScopes(strings.Join(opts.Scopes, ","))
				if len(opts.Scopes) == 0 {
					return cmdutil.UsageErrorf("--scopes needs at least one scope, e.g. --scopes openid,profile")
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return clientAddRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Name, "name", "", "name shown to users on the consent page (required)")
	fl.BoolVar(&opts.Public, "public", false, "a public client (native app, CLI): no secret")
	fl.StringArrayVar(&opts.RedirectURIs, "redirect-uri", nil, "allowed redirect URI (repeatable; matched exactly)")
	fl.StringArrayVar(&opts.GrantTypes, "grant", nil, "allowed grant type (repeatable): "+strings.Join(storage.GrantTypes(), ", ")+" ("+admin.GrantTokenExchangeShort+" for short)")
	fl.BoolVar(&opts.FirstParty, "first-party", false, "skip the consent page (the platform's own apps)")
	fl.StringSliceVar(&opts.Scopes, "scopes", nil, "scopes the client may ask for, comma-separated (default "+strings.Join(scopes.SignIn, ",")+")")
	fl.StringArrayVar(&opts.ExchangeAudiences, "exchange-audience", nil, "with --grant token-exchange: a registered API's URI the client may exchange users' tokens for (repeatable)")
	return cmd
}

func clientAddRun(opts *ClientAddOptions) error {
	n := admin.NewClient{ID: opts.ID, Name: opts.Name, Public: opts.Public, RedirectURIs: opts.RedirectURIs,
		GrantTypes: opts.GrantTypes, FirstParty: opts.FirstParty, Scopes: opts.Scopes, ExchangeAudiences: opts.ExchangeAudiences}
	if err := n.Check(); err != nil {
		return err
	}
	return opts.withAdmin(func(a *admin.Admin) error {
		c, sec, err := a.AddClient(opts.Ctx, n)
		if sec != "" || err == nil {
			// Stored: its secret is shown even if the audit write failed,
			// or the client would exist with a secret nobody ever saw.
			printClientAdded(opts, c, sec)
		}
		return err
	})
}

// printClientAdded reports the new client. A confidential client's secret
// goes to standard output, alone on its line when output is not a terminal
// (for scripts), with the warning that it is shown only once.
func printClientAdded(opts *ClientAddOptions, c storage.Client, sec string) {
	opts.printf("Added %s client %q.\n", map[bool]string{true: "public", false: "confidential"}[c.Public], c.ID)
	if len(c.RedirectURIs) == 0 && slices.Contains(c.GrantTypes, storage.GrantAuthorizationCode) {
		opts.printf("warning: no --redirect-uri, so the authorization code flow cannot be used yet\n")
	}
	if sec == "" {
		return
	}
	if opts.IO.IsStdoutTTY {
		fmt.Fprintf(opts.IO.Out, "Client secret (shown only once; it is stored only as a hash):\n%s\n", sec)
		return
	}
	opts.printf("The client secret is printed on standard output. It is shown only once; it is stored only as a hash.\n")
	fmt.Fprintln(opts.IO.Out, sec)
}
