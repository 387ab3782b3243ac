package admincmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// IDPUpdateOptions are the inputs of `hubauth admin idp update`.
type IDPUpdateOptions struct {
	adminOptions
	Name    string
	Changes admin.IdentityProviderChanges
	// SecretStdin reads a new client secret from standard input.
	SecretStdin bool
	// Force changes the issuer even though identities are linked.
	Force bool
}

// idpUpdateLong is the help of `hubauth admin idp update`.
const idpUpdateLong = `Change an upstream provider: only the settings given change. The result is
checked as at add; a new --issuer is checked by discovery (nothing changes when
it fails). --client-secret-stdin reads a new client secret from one line of
standard input. --groups-claim "" stops taking groups from the upstream (with
--groups-prefix ""); --link-verified-email=false stops linking by e-mail.

The identities linked to the provider stay. An upstream's subjects are unique
only at its issuer: a new --issuer is refused while identities are linked,
unless --force; give it only when the same upstream moved (its subjects
unchanged). For another upstream, add a new provider.`

// NewCmdIDPUpdate returns `hubauth admin idp update NAME [flags]`.
func NewCmdIDPUpdate(f *Factory, runF func(*IDPUpdateOptions) error) *cobra.Command {
	opts := &IDPUpdateOptions{}
	v := &idpUpdateFlags{}
	cmd := &cobra.Command{
		Use:     "update NAME [--display-name TEXT] [--scopes S] [--client-secret-stdin] [flags]",
		Short:   "Change an upstream identity provider's settings",
		Long:    idpUpdateLong,
		Example: "  hubauth admin idp update orcid --display-name 'ORCID iD' --provision off",
		Args:    cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Name = args[0]
			opts.Changes = v.changes(cmd)
			if opts.Changes.Empty() && !opts.SecretStdin {
				return cmdutil.UsageErrorf("nothing to change: give the settings to update (see --help)")
			}
			if runF != nil {
				return runF(opts)
			}
			return idpUpdateRun(opts)
		},
	}
	v.define(cmd, &opts.SecretStdin)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "change --issuer even though identities are linked through the provider")
	return cmd
}

// idpUpdateFlags hold the values of idp update's flags; only the flags
// given become changes.
type idpUpdateFlags struct {
	issuer, clientID, displayName, usernameClaim, groupsClaim, groupsPrefix, provision string
	scopes                                                                             []string
	linkVerifiedEmail                                                                  bool
}

func (v *idpUpdateFlags) define(cmd *cobra.Command, secretStdin *bool) {
	fl := cmd.Flags()
	fl.StringVar(&v.issuer, "issuer", "", "the upstream's new issuer URL, checked by discovery")
	fl.StringVar(&v.clientID, "client-id", "", "the hub's client ID at the upstream")
	fl.BoolVar(secretStdin, "client-secret-stdin", false, "read a new client secret from one line of standard input")
	fl.StringVar(&v.displayName, "display-name", "", `shown as "Sign in with DISPLAY-NAME" ("": NAME)`)
	fl.StringSliceVar(&v.scopes, "scopes", nil, "scopes asked of the upstream, separated by spaces or commas (openid among them)")
	fl.StringVar(&v.usernameClaim, "username-claim", "", "claim a new user's username comes from")
	fl.StringVar(&v.groupsClaim, "groups-claim", "", `claim listing the user's groups ("": none)`)
	fl.StringVar(&v.groupsPrefix, "groups-prefix", "", "prefix put before the upstream's group names, ending in -, . or _")
	fl.StringVar(&v.provision, "provision", "", "first sign-in of an unknown identity: auto (create a user) or off")
	fl.BoolVar(&v.linkVerifiedEmail, "link-verified-email", false, "link to the existing user whose e-mail the upstream asserts verified (=false: no longer)")
}

// changes returns the changes the given flags ask for.
func (v *idpUpdateFlags) changes(cmd *cobra.Command) admin.IdentityProviderChanges {
	fl := cmd.Flags()
	str := func(name string, val string) *string {
		if !fl.Changed(name) {
			return nil
		}
		return &val
	}
	c := admin.IdentityProviderChanges{
		Issuer: str("issuer", v.issuer), ClientID: str("client-id", v.clientID), DisplayName: str("display-name", v.displayName),
		UsernameClaim: str("username-claim", v.usernameClaim), GroupsClaim: str("groups-claim", v.groupsClaim),
		GroupsPrefix: str("groups-prefix", v.groupsPrefix), Provision: str("provision", v.provision),
	}
	if fl.Changed("scopes") {
		c.Scopes = strings.Fields(strings.ReplaceAll(strings.Join(v.scopes, " "), ",", " "))
		if c.Scopes == nil {
			c.Scopes = []string{}
		}
	}
	if fl.Changed("link-verified-email") {
		c.LinkVerifiedEmail = &v.linkVerifiedEmail
	}
	return c
}

func idpUpdateRun(opts *IDPUpdateOptions) error {
	if opts.SecretStdin {
		sec, err := readSecret(opts.IO)
		if err != nil {
			return err
		}
		opts.Changes.ClientSecret = &sec
	}
	return opts.withAdmin(func(a *admin.Admin) error {
		p, err := a.UpdateIdentityProvider(opts.Ctx, opts.Name, opts.Changes, opts.Force)
		if err != nil {
			return err
		}
		opts.printf("Updated identity provider %q (%s).\n", p.Name, p.Issuer)
		if opts.Changes.Issuer != nil {
			opts.printf("Its linked identities stay: they must be the same people at the new issuer.\n")
		}
		return nil
	})
}
