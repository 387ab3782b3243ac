package admincmd

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// ClientListOptions are the inputs of `hubauth admin client list`.
type ClientListOptions struct {
	adminOptions
	JSON bool
}

// NewCmdClientList returns `hubauth admin client list [--json]`.
func NewCmdClientList(f *Factory, runF func(*ClientListOptions) error) *cobra.Command {
	opts := &ClientListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List OAuth clients (never their secrets)",
		Long: "List OAuth clients, never their secrets.\n\n--json prints an array of {id, name, public,\n" +
			"redirect_uris, grant_types, first_party, scopes, scopes_unrestricted, disabled, created_at};\n" +
			"scopes is empty for a client that may ask for any scope (scopes_unrestricted).",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return clientListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// ClientJSON is a client in `client list --json`; it has no secret field.
type ClientJSON struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Public       bool       `json:"public"`
	RedirectURIs []string   `json:"redirect_uris"`
	GrantTypes   []string   `json:"grant_types"`
	FirstParty   bool       `json:"first_party"`
	Scopes       []string   `json:"scopes"`
	Unrestricted bool       `json:"scopes_unrestricted"`
	Disabled     bool       `json:"disabled"`
	CreatedAt    *time.Time `json:"created_at"`
	// ExchangeAudiences: the APIs it may exchange users' tokens for.
	ExchangeAudiences []string `json:"exchange_audiences"`
}

func clientListRun(opts *ClientListOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		clients, err := s.ListClients(opts.Ctx)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]ClientJSON, 0, len(clients))
			for _, c := range clients {
				out = append(out, ClientJSON{
					ID: c.ID, Name: c.Name, Public: c.Public,
					RedirectURIs: nonNil(c.RedirectURIs), GrantTypes: nonNil(c.GrantTypes),
					FirstParty: c.FirstParty, Scopes: nonNil(c.AllowedScopes), Unrestricted: !c.RestrictScopes,
					Disabled: c.Disabled, CreatedAt: cmdutil.JSONTime(c.CreatedAt),
					ExchangeAudiences: nonNil(c.ExchangeAudiences),
				})
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "ID", "NAME", "PUBLIC", "FIRST-PARTY", "DISABLED", "GRANTS", "SCOPES", "REDIRECT URIS")
		for _, c := range clients {
			t.Row(c.ID, c.Name, cmdutil.YesNo(c.Public), cmdutil.YesNo(c.FirstParty), cmdutil.YesNo(c.Disabled),
				strings.Join(c.GrantTypes, ","), scopesCell(c), strings.Join(c.RedirectURIs, ","))
		}
		return t.Flush()
	})
}

// nonNil returns s, or an empty slice for nil (JSON [] rather than null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ClientDisableOptions are the inputs of `hubauth admin client disable`
// and `client enable`.
type ClientDisableOptions struct {
	adminOptions
	ID      string
	Disable bool // false: enable
}

// NewCmdClientDisable returns `hubauth admin client disable ID`, or with
// disable false `client enable ID`. The built-in client hubauth-cli may be
// disabled too.
func NewCmdClientDisable(f *Factory, runF func(*ClientDisableOptions) error, disable bool) *cobra.Command {
	opts := &ClientDisableOptions{Disable: disable}
	cmd := &cobra.Command{
		Use:   "enable ID",
		Short: "Let a disabled client be used again",
		Args:  cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.ID = args[0]
			if runF != nil {
				return runF(opts)
			}
			return clientDisableRun(opts)
		},
	}
	if disable {
		cmd.Use, cmd.Short = "disable ID", "Stop a client from logging users in and getting tokens"
	}
	return cmd
}

func clientDisableRun(opts *ClientDisableOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		if err := a.SetClientDisabled(opts.Ctx, opts.ID, opts.Disable); err != nil {
			return err
		}
		opts.printf("%s client %q.\n", pastTense(opts.Disable), opts.ID)
		return nil
	})
}
