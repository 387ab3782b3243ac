package cli

import (
	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// TokensRotateOptions are the inputs of `hubauth tokens rotate`.
type TokensRotateOptions struct {
	userOptions
	ID   string
	JSON bool
}

// NewCmdTokensRotate returns `hubauth tokens rotate`.
func NewCmdTokensRotate(f *Factory, runF func(*TokensRotateOptions) error) *cobra.Command {
	opts := &TokensRotateOptions{}
	cmd := &cobra.Command{
		Use:   "rotate ID [--json]",
		Short: "Give a personal token a new secret and print it, once",
		Long: `Give the personal token with ID (see hubauth tokens list) a new secret, with
the same name, scopes and lifetime counted from now, and print the secret as
hubauth tokens create does: alone when standard output is not a terminal. The
old secret stops working at once. A revoked or expired token cannot be
rotated: create a new one. An unknown ID, or a token of someone else, is an
error (exit 1).`,
		Example: `  export HUBAUTH_TOKEN=$(hubauth tokens rotate 3f2a9c…)`,
		Args:    cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.ID = args[0]
			return runOrF(opts, runF, tokensRotateRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the token, with its new secret,")
	return cmd
}

func tokensRotateRun(o *TokensRotateOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	nt, err := c.RotateToken(o.Ctx, o.ID)
	if err != nil {
		return c.apiError(err)
	}
	return printNewToken(o.IO, nt, o.JSON, "Rotated token %q (id %s): the old secret no longer works. The new one is shown only once: copy it now.")
}
