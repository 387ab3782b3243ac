package admincmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// IDPListOptions are the inputs of `hubauth admin idp list` and `idp show`.
type IDPListOptions struct {
	adminOptions
	Name string // show: the provider; list: ""
	JSON bool
}

// NewCmdIDPList returns `hubauth admin idp list [--json]`.
func NewCmdIDPList(f *Factory, runF func(*IDPListOptions) error) *cobra.Command {
	return newCmdIDPRead(f, runF, "list [--json]", "List upstream identity providers (never their secrets)", cmdutil.ExactArgs())
}

// NewCmdIDPShow returns `hubauth admin idp show NAME [--json]`.
func NewCmdIDPShow(f *Factory, runF func(*IDPListOptions) error) *cobra.Command {
	return newCmdIDPRead(f, runF, "show NAME [--json]", "Show an upstream identity provider (never its secret)", cmdutil.ExactArgs("NAME"))
}

func newCmdIDPRead(f *Factory, runF func(*IDPListOptions) error, use, short string, args cobra.PositionalArgs) *cobra.Command {
	opts := &IDPListOptions{}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + ".\n\n--json prints {name, issuer, client_id, display_name, scopes, username_claim,\n" +
			"groups_claim, groups_prefix, provision, link_verified_email, disabled, created_at}\n" +
			"(an array for list); the client secret is never printed.",
		Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return idpListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// IDPJSON is a provider in `idp list --json` and `idp show --json`; it has
// no secret field.
type IDPJSON struct {
	Name              string     `json:"name"`
	Issuer            string     `json:"issuer"`
	ClientID          string     `json:"client_id"`
	DisplayName       string     `json:"display_name"`
	Scopes            []string   `json:"scopes"`
	UsernameClaim     string     `json:"username_claim"`
	GroupsClaim       string     `json:"groups_claim"`
	GroupsPrefix      string     `json:"groups_prefix"`
	Provision         string     `json:"provision"`
	LinkVerifiedEmail bool       `json:"link_verified_email"`
	Disabled          bool       `json:"disabled"`
	CreatedAt         *time.Time `json:"created_at"`
}

func idpJSON(p storage.IdentityProvider) IDPJSON {
	return IDPJSON{Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, DisplayName: p.DisplayName,
		Scopes: nonNil(p.Scopes), UsernameClaim: p.UsernameClaim, GroupsClaim: p.GroupsClaim,
		GroupsPrefix: p.GroupsPrefix, Provision: p.Provision, LinkVerifiedEmail: p.LinkVerifiedEmail,
		Disabled: p.Disabled, CreatedAt: cmdutil.JSONTime(p.CreatedAt)}
}

func idpListRun(opts *IDPListOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		if opts.Name != "" {
			p, err := admin.GetIdentityProvider(opts.Ctx, s, opts.Name)
			if err != nil {
				return err
			}
			return printIDP(opts, p)
		}
		ps, err := s.ListIdentityProviders(opts.Ctx)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]IDPJSON, 0, len(ps))
			for _, p := range ps {
				out = append(out, idpJSON(p))
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "NAME", "DISPLAY NAME", "ISSUER", "CLIENT ID", "PROVISION", "DISABLED")
		for _, p := range ps {
			t.Row(p.Name, p.DisplayName, p.Issuer, p.ClientID, p.Provision, cmdutil.YesNo(p.Disabled))
		}
		return t.Flush()
	})
}

// printIDP prints one provider for idp show, without its secret.
func printIDP(opts *IDPListOptions, p storage.IdentityProvider) error {
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, idpJSON(p))
	}
	for _, kv := range [][2]string{
		{"Name:", p.Name}, {"Display name:", p.DisplayName}, {"Issuer:", p.Issuer}, {"Client ID:", p.ClientID},
		{"Client secret:", "(stored, not shown)"}, {"Scopes:", strings.Join(p.Scopes, " ")},
		{"Username claim:", p.UsernameClaim}, {"Groups claim:", p.GroupsClaim}, {"Groups prefix:", p.GroupsPrefix},
		{"Provision:", p.Provision}, {"Link verified e-mail:", cmdutil.YesNo(p.LinkVerifiedEmail)},
		{"Disabled:", cmdutil.YesNo(p.Disabled)}, {"Created:", cmdutil.FormatTime(p.CreatedAt)},
	} {
		if kv[1] == "" {
			kv[1] = "-"
		}
		if _, err := fmt.Fprintf(opts.IO.Out, "%-22s%s\n", kv[0], names.Escape(kv[1])); err != nil {
			return err
		}
	}
	return nil
}

// IDPChangeOptions are the inputs of `hubauth admin idp disable`, `idp
// enable` and `idp remove`.
type IDPChangeOptions struct {
	adminOptions
	Name    string
	Disable bool // disable or enable
	Remove  bool
	// Force removes a provider through which identities are linked
	// (unlinking them).
	Force bool
}

// NewCmdIDPDisable returns `hubauth admin idp disable NAME`, or with
// disable false `idp enable NAME`.
func NewCmdIDPDisable(f *Factory, runF func(*IDPChangeOptions) error, disable bool) *cobra.Command {
	if disable {
		return newCmdIDPChange(f, runF, &IDPChangeOptions{Disable: true}, "disable NAME", "Refuse sign-ins through an upstream provider")
	}
	return newCmdIDPChange(f, runF, &IDPChangeOptions{}, "enable NAME", "Let a disabled upstream provider be used again")
}

// NewCmdIDPRemove returns `hubauth admin idp remove NAME [--force]`.
func NewCmdIDPRemove(f *Factory, runF func(*IDPChangeOptions) error) *cobra.Command {
	opts := &IDPChangeOptions{Remove: true}
	cmd := newCmdIDPChange(f, runF, opts, "remove NAME [--force]", "Remove an upstream provider and its stored secret")
	cmd.Long = "Remove an upstream provider and its stored secret. Its sign-ins stop at once;\n" +
		"sessions already started stay until they end (disable the users, or have them\n" +
		"revoke their sessions, to end them sooner).\n\n" +
		"While identities are linked through the provider it is refused, with their\n" +
		"number: removing it unlinks them, and users who have no other way to sign in\n" +
		"can no longer sign in. --force removes it anyway and says how many identities\n" +
		"it unlinked; `idp disable NAME` stops its sign-ins and keeps the links."
	cmd.Flags().BoolVar(&opts.Force, "force", false, "remove it even though identities are linked through it (they are unlinked)")
	return cmd
}

// unlinked tells how many identities a removal unlinked: "" for none.
func unlinked(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " and unlinked 1 identity"
	}
	return fmt.Sprintf(" and unlinked %d identities", n)
}

func newCmdIDPChange(f *Factory, runF func(*IDPChangeOptions) error, opts *IDPChangeOptions, use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return idpChangeRun(opts)
		},
	}
}

func idpChangeRun(opts *IDPChangeOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		if opts.Remove {
			n, err := a.RemoveIdentityProvider(opts.Ctx, opts.Name, opts.Force)
			if err != nil {
				return err
			}
			opts.printf("Removed identity provider %q%s.\n", opts.Name, unlinked(n))
			return nil
		}
		if err := a.SetIdentityProviderDisabled(opts.Ctx, opts.Name, opts.Disable); err != nil {
			return err
		}
		opts.printf("%s identity provider %q.\n", pastTense(opts.Disable), opts.Name)
		return nil
	})
}
