package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// TokenOptions are the inputs of `hubauth token`.
type TokenOptions struct {
	userOptions
	MinValid time.Duration
	Header   bool
	JSON     bool
	// BearerFile is --write-bearer-file: a path, or bearerFileAuto for
	// the WLCG default (bearerfile.go). Empty: print the token.
	BearerFile string
	// ExecCredential is --exec-credential: print a Kubernetes
	// ExecCredential (execcredential.go).
	ExecCredential bool
	// Resource is --resource: the API (RFC 8707) the token is for; empty:
	// the session's own token, for the hub.
	Resource string
	// Getuid is the user's id, for the WLCG default path and the file
	// checks.
	Getuid func() int
}

// tokenJSON is `hubauth token --json`, a stable format:
//
//	access_token  string     the access token
//	token_type    string     "Bearer"
//	expiry        time|null  when it expires (RFC 3339, UTC); null when unknown
//
// It is the one output of hubauth that holds a secret: that is its job.
type tokenJSON struct {
	AccessToken string     `json:"access_token"`
	TokenType   string     `json:"token_type"`
	Expiry      *time.Time `json:"expiry"`
}

// NewCmdToken returns `hubauth token`.
func NewCmdToken(f *Factory, runF func(*TokenOptions) error) *cobra.Command {
	opts := &TokenOptions{}
	cmd := &cobra.Command{
		Use:   "token [--server URL] [--resource URI] [--min-valid 60s] [--header | --json | --exec-credential | --write-bearer-file [PATH]]",
		Short: "Print an access token for scripts, refreshing the session if needed",
		Long: `Print the session's access token, and nothing else, on standard output.
The session is refreshed first when its token expires within --min-valid.
HUBAUTH_TOKEN, when set, is printed as is (it is never refreshed).
With --write-bearer-file it writes the token to a file instead (mode 0600,
atomically) and prints the file's path: PATH, else where WLCG Bearer Token
Discovery looks ($BEARER_TOKEN_FILE, else $XDG_RUNTIME_DIR/bt_u$UID, else
/tmp/bt_u$UID). A directory others can write to without the sticky bit, or
a file there that is not ours, not regular or not 0600, is refused.
With --exec-credential it prints a Kubernetes ExecCredential for kubectl.
--resource URI gets a token for that API (RFC 8707) instead of the
session's own, account-wide one: give it for anything but the hub itself.
A token that still names the CLI as its audience is refused.
Exits 4 when not logged in, or when the session expired or was revoked.`,
		Example: `  curl -H "$(hubauth token --header)" https://data.example.org/api/v1/uploads
  hubauth token --json | jq -r .expiry
  hubauth token --write-bearer-file     # then: gfal-ls davs://…, xrdfs …`,
		Args: tokenArgs(opts),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			if len(args) == 1 {
				opts.BearerFile = args[0] // --write-bearer-file PATH
			}
			switch {
			case countTrue(opts.Header, opts.JSON, opts.ExecCredential, opts.BearerFile != "") > 1:
				return cmdutil.UsageErrorf("--header, --json, --exec-credential and --write-bearer-file are different outputs: give one")
			case opts.MinValid < 0:
				return cmdutil.UsageErrorf("--min-valid must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return tokenRun(opts)
		},
	}
	cmd.Flags().DurationVar(&opts.MinValid, "min-valid", 60*time.Second, "refresh first if the token expires sooner than this")
	cmd.Flags().BoolVar(&opts.Header, "header", false, "print an HTTP header: Authorization: Bearer <token>")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the token, its type and expiry as JSON")
	cmd.Flags().StringVar(&opts.Resource, "resource", "", "a token for this API `URI` (RFC 8707 resource indicator), not the account-wide one")
	addTokenOutputFlags(cmd, opts)
	return cmd
}

func tokenRun(o *TokenOptions) error {
	minValid := o.MinValid
	if minValid == 0 {
		minValid = time.Nanosecond // the SDK reads zero as its default, 60s
	}
	c, err := o.client(ClientOptions{MinValid: minValid})
	if err != nil {
		return err
	}
	tok, err := o.token(c)
	if err != nil {
		return err
	}
	switch {
	case o.BearerFile != "":
		return writeBearerFileRun(o, tok.AccessToken)
	case o.ExecCredential:
		return writeExecCredential(o, tok)
	case o.JSON:
		return cmdutil.WriteJSON(o.IO.Out, tokenJSON{AccessToken: tok.AccessToken, TokenType: tok.Type(), Expiry: cmdutil.JSONTime(tok.Expiry)})
	case o.Header:
		_, err = fmt.Fprintf(o.IO.Out, "Authorization: %s %s\n", tok.Type(), tok.AccessToken)
	default:
		_, err = fmt.Fprintln(o.IO.Out, tok.AccessToken)
	}
	return err
}

// token is the session's token, or one for --resource.
func (o *TokenOptions) token(c *userClient) (*oauth2.Token, error) {
	if o.Resource == "" {
		tok, err := c.Token(o.Ctx)
		if err != nil {
			return nil, c.authError(err)
		}
		return tok, nil
	}
	ts, err := resourceTokenSource(o.Ctx, c, o.Resource)
	if err != nil {
		return nil, err
	}
	tok, err := ts.Token()
	if err != nil {
		return nil, c.authError(err)
	}
	return tok, nil
}
