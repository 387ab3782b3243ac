package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// TokensListOptions are the inputs of `hubauth tokens list`.
type TokensListOptions struct {
	userOptions
	JSON bool
}

// personalTokenJSON is one token of `hubauth tokens list --json` (an array), a
// stable format; it never holds the secret:
//
//	id            string     the token's id, for tokens revoke
//	name          string     its name
//	scopes        []string   the scopes it grants
//	created_at    time       when it was created (RFC 3339, UTC)
//	expires_at    time|null  when it expires; null: never
//	last_used_at  time|null  when it was last used; null: never
type personalTokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  *time.Time `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

func newTokenView(t client.PersonalToken) personalTokenJSON {
	v := personalTokenJSON{ID: t.ID, Name: t.Name, Scopes: t.Scopes, CreatedAt: cmdutil.JSONTime(t.CreatedAt),
		ExpiresAt: cmdutil.JSONTime(t.ExpiresAt), LastUsedAt: cmdutil.JSONTime(t.LastUsedAt)}
	if v.Scopes == nil {
		v.Scopes = []string{}
	}
	return v
}

// NewCmdTokensList returns `hubauth tokens list`.
func NewCmdTokensList(f *Factory, runF func(*TokensListOptions) error) *cobra.Command {
	opts := &TokensListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List your personal tokens (never their secrets)",
		Args:  cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			return runOrF(opts, runF, tokensListRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the tokens")
	return cmd
}

func tokensListRun(o *TokensListOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	tokens, err := c.Tokens(o.Ctx)
	if err != nil {
		return c.apiError(err)
	}
	if o.JSON {
		out := make([]personalTokenJSON, 0, len(tokens))
		for _, t := range tokens {
			out = append(out, newTokenView(t))
		}
		return cmdutil.WriteJSON(o.IO.Out, out)
	}
	if len(tokens) == 0 {
		fmt.Fprintln(o.IO.ErrOut, "No personal tokens. Create one with: hubauth tokens create --name NAME --expires-in 720h")
		return nil
	}
	t := cmdutil.NewTable(o.IO.Out, "ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST-USED")
	for _, tok := range tokens {
		last := "never"
		if !tok.LastUsedAt.IsZero() {
			last = cmdutil.FormatTime(tok.LastUsedAt)
		}
		t.Row(tok.ID, tok.Name, strings.Join(tok.Scopes, ","), cmdutil.FormatTime(tok.CreatedAt), describeTokenExpiry(tok.ExpiresAt), last)
	}
	return t.Flush()
}

// TokensRevokeOptions are the inputs of `hubauth tokens revoke`.
type TokensRevokeOptions struct {
	userOptions
	ID string
}

// NewCmdTokensRevoke returns `hubauth tokens revoke`.
func NewCmdTokensRevoke(f *Factory, runF func(*TokensRevokeOptions) error) *cobra.Command {
	opts := &TokensRevokeOptions{}
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a personal token: it stops working at once",
		Long: `Revoke the personal token with ID (see hubauth tokens list). The hub refuses
it at once; data APIs that cache introspection answers do within their cache
time. An unknown ID, or a token of someone else, is an error (exit 1).`,
		Args: cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.ID = args[0]
			return runOrF(opts, runF, tokensRevokeRun)
		},
	}
	return cmd
}

func tokensRevokeRun(o *TokensRevokeOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	if err := c.RevokeToken(o.Ctx, o.ID); err != nil {
		return c.apiError(err)
	}
	fmt.Fprintf(o.IO.ErrOut, "Revoked token %s.\n", o.ID)
	return nil
}
