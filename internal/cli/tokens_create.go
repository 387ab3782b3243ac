package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// TokensCreateOptions are the inputs of `hubauth tokens create`.
type TokensCreateOptions struct {
	userOptions
	Name      string
	ExpiresIn time.Duration
	NoExpiry  bool
	Scopes    []string
	JSON      bool
}

// NewCmdTokensCreate returns `hubauth tokens create`.
func NewCmdTokensCreate(f *Factory, runF func(*TokensCreateOptions) error) *cobra.Command {
	opts := &TokensCreateOptions{}
	cmd := &cobra.Command{
		Use:   "create --name NAME (--expires-in DURATION | --no-expiry) [--scopes a,b] [--json]",
		Short: "Create a personal token and print its secret, once",
		Long: `Create a personal token and print its secret on standard output. The secret
is shown only this once: the server keeps a hash. When standard output is not
a terminal the secret is printed alone, so that

  export HUBAUTH_TOKEN=$(hubauth tokens create --name ci --expires-in 720h)

works. --expires-in is at most the server's maximum (720h unless the
operator changed it); --no-expiry makes a token that never expires, where the
operator allows it (hubauth serve --app-token-no-expiry). --scopes must be scopes your session holds; an unknown
scope is refused with the list of valid ones. Names are unique per user.`,
		Example: `  hubauth tokens create --name laptop --expires-in 168h
  hubauth tokens create --name ci --expires-in 720h --scopes uploads:read,uploads:write`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			if err := opts.validate(); err != nil {
				return err
			}
			return runOrF(opts, runF, tokensCreateRun)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "the token's name, unique among your tokens (required)")
	cmd.Flags().DurationVar(&opts.ExpiresIn, "expires-in", 0, "the token's lifetime, e.g. 720h (at most the server's maximum)")
	cmd.Flags().BoolVar(&opts.NoExpiry, "no-expiry", false, "a token that never expires, where the server allows it")
	cmd.Flags().StringSliceVar(&opts.Scopes, "scopes", nil, "scopes the token grants, comma-separated")
	addJSONFlag(cmd, &opts.JSON, "the token, with its secret,")
	return cmd
}

// validate checks the flags before any request.
func (o *TokensCreateOptions) validate() error {
	switch {
	case strings.TrimSpace(o.Name) == "":
		return cmdutil.UsageErrorf("missing --name")
	case o.NoExpiry && o.ExpiresIn != 0:
		return cmdutil.UsageErrorf("--expires-in and --no-expiry exclude each other")
	case o.NoExpiry:
	case o.ExpiresIn == 0:
		return cmdutil.UsageErrorf("missing --expires-in (e.g. 720h), or --no-expiry where the server allows it")
	case o.ExpiresIn < time.Second || o.ExpiresIn%time.Second != 0:
		return cmdutil.UsageErrorf("--expires-in must be a positive whole number of seconds, e.g. 720h")
	}
	return nil
}

// newTokenJSON is `hubauth tokens create --json`: personalTokenJSON and the
// secret, shown this once.
type newTokenJSON struct {
	personalTokenJSON
	Token string `json:"token"`
}

func tokensCreateRun(o *TokensCreateOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	nt, err := c.CreateToken(o.Ctx, client.TokenRequest{Name: o.Name, ExpiresIn: o.ExpiresIn, NeverExpires: o.NoExpiry, Scopes: o.Scopes})
	if err != nil {
		return c.apiError(err)
	}
	return printNewToken(o.IO, nt, o.JSON, "Created token %q (id %s). Its secret is shown only once: copy it now.")
}

// printNewToken prints a token just created or rotated: as JSON, or its
// secret alone on stdout (after a heading on a terminal) and then, on
// stderr, note formatted with the token's name and id.
func printNewToken(io *IOStreams, nt client.NewToken, asJSON bool, note string) error {
	if asJSON {
		return cmdutil.WriteJSON(io.Out, newTokenJSON{newTokenView(nt.PersonalToken), nt.Token})
	}
	if io.IsStdoutTTY {
		fmt.Fprintf(io.Out, "Token %q (id %s), expires %s:\n", nt.Name, names.Escape(nt.ID), describeTokenExpiry(nt.ExpiresAt))
	}
	if _, err := fmt.Fprintln(io.Out, nt.Token); err != nil {
		return err
	}
	fmt.Fprintf(io.ErrOut, note+"\n", nt.Name, names.Escape(nt.ID))
	return nil
}

// describeTokenExpiry formats a token's expiry for people.
func describeTokenExpiry(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return cmdutil.FormatTime(t)
}
