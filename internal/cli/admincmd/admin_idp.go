package admincmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// envIssuer is the environment variable idp add reads for the hub's issuer.
const envIssuer = "HUBAUTH_ISSUER"

func newCmdAdminIDP(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("idp", "Manage upstream identity providers (OpenID Connect)",
		NewCmdIDPAdd(f, nil),
		NewCmdIDPList(f, nil),
		NewCmdIDPShow(f, nil),
		NewCmdIDPUpdate(f, nil),
		NewCmdIDPDisable(f, nil, true),
		NewCmdIDPDisable(f, nil, false),
		NewCmdIDPRemove(f, nil),
	)
}

// IDPAddOptions are the inputs of `hubauth admin idp add`.
type IDPAddOptions struct {
	adminOptions
	admin.NewIdentityProvider
	SecretStdin bool
	HubIssuer   string // the hub's own issuer: --hub-issuer, else $HUBAUTH_ISSUER
}

// NewCmdIDPAdd returns `hubauth admin idp add NAME --issuer URL
// --client-id ID --client-secret-stdin [--preset P] …`.
func NewCmdIDPAdd(f *Factory, runF func(*IDPAddOptions) error) *cobra.Command {
	opts := &IDPAddOptions{}
	cmd := &cobra.Command{
		Use:   "add NAME --issuer URL --client-id ID --client-secret-stdin [--preset P] [flags]",
		Short: "Add an upstream OpenID Connect provider users may sign in with",
		Long: "Add an upstream OpenID Connect provider. The upstream is checked by discovery\n" +
			"(" + admin.DiscoveryTimeout.String() + " at most): unreachable, not OpenID Connect or naming another\n" +
			"issuer, it is refused and nothing is saved. The client secret the upstream gave\n" +
			"the hub is read from one line of standard input; it is stored in the database\n" +
			"(the hub sends it to the upstream) and never printed.\n\n" +
			"--preset (" + strings.Join(admin.PresetNames(), ", ") + ") fills the issuer, display name,\n" +
			"scopes and username claim; flags override it (keycloak has no issuer: give --issuer\n" +
			"https://HOST/realms/REALM).\n\n" +
			"It prints the redirect URI to register at the upstream, HUB/login/NAME/callback,\n" +
			"where HUB is the hub's public URL (serve --issuer): give it with --hub-issuer or\n" +
			envIssuer + "; without either, only the path is printed.",
		Example: "  printf '%s\\n' \"$SECRET\" | hubauth admin idp add orcid --preset orcid --client-id APP-123 --client-secret-stdin --hub-issuer https://auth.example.org",
		Args:    cmdutil.ExactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Name = args[0]
			if !opts.SecretStdin {
				return cmdutil.UsageErrorf("the client secret is read from standard input: pass --client-secret-stdin and write it as one line")
			}
			if cmd.Flags().Changed("scopes") {
				opts.Scopes = strings.Fields(strings.ReplaceAll(strings.Join(opts.Scopes, " "), ",", " "))
			}
			if opts.HubIssuer == "" && f.Getenv != nil {
				opts.HubIssuer = f.Getenv(envIssuer)
			}
			if runF != nil {
				return runF(opts)
			}
			return idpAddRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Preset, "preset", "", "a known upstream: "+strings.Join(admin.PresetNames(), ", "))
	fl.StringVar(&opts.Issuer, "issuer", "", "the upstream's issuer URL (https; http only on loopback)")
	fl.StringVar(&opts.ClientID, "client-id", "", "the hub's client ID at the upstream (required)")
	fl.BoolVar(&opts.SecretStdin, "client-secret-stdin", false, "read the hub's client secret at the upstream from one line of standard input (required)")
	fl.StringVar(&opts.DisplayName, "display-name", "", `shown as "Sign in with DISPLAY-NAME" (default: the preset's, else NAME)`)
	fl.StringSliceVar(&opts.Scopes, "scopes", nil, `scopes asked of the upstream, separated by spaces or commas (default "openid profile email")`)
	fl.StringVar(&opts.UsernameClaim, "username-claim", "", "claim a new user's username comes from (default preferred_username)")
	fl.StringVar(&opts.GroupsClaim, "groups-claim", "", "claim listing the user's groups (default: none; needs --groups-prefix)")
	fl.StringVar(&opts.GroupsPrefix, "groups-prefix", "", "prefix put before the upstream's group names, ending in -, . or _ (required with --groups-claim)")
	fl.StringVar(&opts.Provision, "provision", "", "first sign-in of an unknown identity: auto (create a user, default) or off")
	fl.BoolVar(&opts.LinkVerifiedEmail, "link-verified-email", false, "link to the existing user whose e-mail the upstream asserts verified")
	fl.StringVar(&opts.HubIssuer, "hub-issuer", "", "the hub's public URL, to print the redirect URI (default $"+envIssuer+")")
	return cmd
}

func idpAddRun(opts *IDPAddOptions) error {
	sec, err := readSecret(opts.IO)
	if err != nil {
		return err
	}
	opts.ClientSecret = sec
	if err := opts.Check(); err != nil {
		return err
	}
	return opts.withAdmin(func(a *admin.Admin) error {
		p, err := a.AddIdentityProvider(opts.Ctx, opts.NewIdentityProvider)
		if err != nil {
			return err
		}
		opts.printf("Added identity provider %q (%s). Register this redirect URI at the upstream:\n", p.Name, p.Issuer)
		if opts.HubIssuer == "" {
			opts.printf("(the hub's public URL followed by this path; give --hub-issuer or %s to print it whole)\n", envIssuer)
		}
		fmt.Fprintln(opts.IO.Out, strings.TrimSuffix(opts.HubIssuer, "/")+"/login/"+p.Name+"/callback")
		return nil
	})
}

// readSecret reads the upstream client secret: one line of standard input.
func readSecret(ios *cmdutil.IOStreams) (string, error) {
	if ios.IsStdinTTY {
		fmt.Fprint(ios.ErrOut, "Client secret at the upstream (one line, shown as typed): ")
	}
	sec, err := ios.ReadLine()
	if errors.Is(err, io.EOF) || (err == nil && strings.TrimSpace(sec) == "") {
		return "", errors.New("empty client secret: write the hub's secret at the upstream as one line on standard input")
	}
	if err != nil {
		return "", fmt.Errorf("read client secret: %w", err)
	}
	return strings.TrimSpace(sec), nil
}
