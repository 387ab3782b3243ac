package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// TokensNewOptions are the inputs of `hubauth tokens new --web`.
type TokensNewOptions struct {
	userOptions
	Web bool
	// GOOS and OpenBrowser decide whether a browser can be used, as for
	// hubauth login.
	GOOS        string
	OpenBrowser func(url string) error
}

// NewCmdTokensNew returns `hubauth tokens new --web`, CAVE's
// get_new_token: the account page's new-token form, in the browser.
func NewCmdTokensNew(f *Factory, runF func(*TokensNewOptions) error) *cobra.Command {
	opts := &TokensNewOptions{}
	cmd := &cobra.Command{
		Use:   "new --web",
		Short: "Open the account page's new-token form in your browser",
		Long: `Open <server>/account#new-token in your browser, to create a personal token
there (log in in the browser if asked); a server that is not a hubauth server
is refused first. Without a usable browser (no display,
an SSH session, or the browser cannot be started) the page's address is
printed on standard output instead. To create a token from the command line,
use hubauth tokens create.`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.GOOS, opts.OpenBrowser = f.GOOS, f.OpenBrowser
			if !opts.Web {
				return cmdutil.UsageErrorf("tokens new needs --web (to create a token here, use hubauth tokens create)")
			}
			return runOrF(opts, runF, tokensNewRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Web, "web", false, "open the form in the browser (required)")
	return cmd
}

func tokensNewRun(o *TokensNewOptions) error {
	c, err := o.client(ClientOptions{})
	if err != nil {
		return err
	}
	if err := c.CheckHub(o.Ctx); err != nil {
		return c.apiError(err) // another provider's page would be no form of ours
	}
	url := c.Server + "/account#new-token"
	login := &LoginOptions{userOptions: o.userOptions, GOOS: o.GOOS}
	reason := login.noBrowserReason()
	if reason == "" {
		if err := o.OpenBrowser(url); err != nil {
			reason = "the browser could not be opened: " + err.Error()
		}
	}
	if reason != "" {
		fmt.Fprintf(o.IO.ErrOut, "No browser can be used (%s). Open this page to create a token:\n", reason)
		_, err := fmt.Fprintln(o.IO.Out, url)
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "Opened the new-token form in your browser. If you do not see it, open:\n  %s\n", url)
	return nil
}
