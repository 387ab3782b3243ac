package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// LoginOptions are the inputs of `hubauth login`.
type LoginOptions struct {
	userOptions
	Method        string // browser (default), device, token or password
	NoBrowser     bool
	Username      string
	PasswordStdin bool
	// OTPStdin reads the second factor's code from standard input (the
	// line after the password with --password-stdin).
	OTPStdin  bool
	WithToken bool
	TokenName string
	Scopes    []string // added to client.DefaultScopes
	ClientID  string
	// ClientSecretStdin reads ClientID's secret from standard input, for
	// a provider that registered the CLI as a confidential client.
	ClientSecretStdin bool
	NoStore           bool
	Force             bool
	CallbackPort      int
	// IDP is the hub's upstream provider to sign in with (browser login).
	IDP string
	// For is --for: a data API's URL, whose metadata (RFC 9728) names
	// the hub to log in to.
	For string
	// StoredSessions lists the stored sessions (Factory.storedSessions):
	// a hub among them needs no confirmation for --for.
	StoredSessions func() ([]client.SessionInfo, error)

	// GOOS and OpenBrowser decide whether the browser login can run.
	GOOS        string
	OpenBrowser func(url string) error
	// ReadSecret reads a line from the terminal without echoing it.
	ReadSecret func(ctx context.Context, prompt string) (string, error)
}

// loginLong is the help of `hubauth login`.
const loginLong = `Log in to a hubauth server (or any OpenID Connect provider) and store the
session in tokens.json in the data directory, for this server and profile.

The default method, browser, prints the login page's address and opens it in
your browser ($BROWSER if set, else the system's); if the browser does not
open, open the address yourself. Without a usable browser (no display, an SSH
session, --no-browser) it uses the device flow instead, and says so: open the
page it prints on any device and enter the code. --idp NAME goes straight
to the hub's upstream provider NAME (an institution, ORCID) in the browser,
past the hub's login page. --with-token reads a token
from standard input; --username with --password-stdin reads a password from
standard input (on a terminal, without --password-stdin, it is asked for).
--client-secret-stdin reads the secret of a confidential --client-id (as Dex
often registers CLIs) from the first line of standard input, before the
password of --password-stdin; on a terminal it is asked for. It is kept with
the session, to refresh it. Plain http is refused for a server that is not
on this machine, unless --insecure-http is given.

A live session for the same server and profile is not replaced silently: on
a terminal you are asked, otherwise login refuses unless --force is given.
The server is --server, else $HUBAUTH_SERVER, else the only stored server.
--for URL logs in to the hub of the data API at URL instead: the one its
protected-resource metadata (RFC 9728) names, with --server choosing among
several; the API's metadata must name URL itself as its resource. The API
chooses that hub, so one you have not named (--server, HUBAUTH_SERVER) and
have no session with is shown and must be confirmed on a terminal; a
password, token or client secret goes only to a hub --server names.`

// NewCmdLogin returns `hubauth login`.
func NewCmdLogin(f *Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{}
	cmd := &cobra.Command{
		Use:   "login [--server URL] [--method browser|device|token|password] [flags]",
		Short: "Log in to a hubauth server and keep the session",
		Long:  loginLong,
		Example: `  hubauth login --server https://auth.example.org
  hubauth login --no-browser
  hubauth login --for https://data.example.org
  printf '%s\n' "$PASSWORD" | hubauth login --username ada --password-stdin
  printf '%s\n' "$TOKEN" | hubauth login --with-token
  printf '%s\n' "$CLIENT_SECRET" | hubauth login --client-id kubectl --client-secret-stdin --no-browser`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.GOOS, opts.OpenBrowser = f.GOOS, f.OpenBrowser
			opts.ReadSecret = f.ReadSecret
			opts.StoredSessions = f.storedSessions
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(opts)
		},
	}
	addLoginFlags(cmd, opts)
	return cmd
}

// addLoginFlags defines login's flags on cmd, bound to opts.
func addLoginFlags(cmd *cobra.Command, opts *LoginOptions) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Method, "method", "", "how to log in: browser, device, token or password (default browser)")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "do not open a browser: use the device flow")
	fl.StringVar(&opts.Username, "username", "", "user name, for --method password")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from one line of standard input")
	fl.BoolVar(&opts.OTPStdin, "otp-stdin", false, "read the second factor (authenticator code or recovery code) from standard input, the line after the password with --password-stdin; on a terminal it is asked for when needed")
	fl.BoolVar(&opts.WithToken, "with-token", false, "read a token (access or personal token) from standard input")
	fl.StringVar(&opts.TokenName, "token-name", "", "a name for this session, shown on the server")
	fl.StringSliceVar(&opts.Scopes, "scopes", nil, "scopes to request besides openid, profile, email and offline_access (comma-separated)")
	fl.StringVar(&opts.ClientID, "client-id", "", "OAuth client to log in as (default "+client.DefaultClientID+")")
	fl.BoolVar(&opts.ClientSecretStdin, "client-secret-stdin", false, "read the --client-id's secret from one line of standard input (a confidential client)")
	fl.BoolVar(&opts.NoStore, "no-store", false, "keep the session in memory only (also HUBAUTH_NO_STORE=1)")
	fl.BoolVar(&opts.Force, "force", false, "replace a live session for this server and profile without asking")
	fl.IntVar(&opts.CallbackPort, "callback-port", 0, "loopback port for the browser login's redirect (default any free port)")
	fl.StringVar(&opts.For, "for", "", "log in to the hub of the data API at `URL`, named by its metadata (RFC 9728)")
	fl.StringVar(&opts.IDP, "idp", "", "sign in at the hub through its upstream provider `NAME` (e.g. orcid): browser login")
}

// validate checks the flags together and chooses the method when none
// was given.
func (o *LoginOptions) validate() error {
	if o.Method == "" {
		o.Method = inferMethod(o)
	}
	methods := []string{client.MethodBrowser, client.MethodDevice, client.MethodToken, client.MethodPassword}
	switch {
	case !slices.Contains(methods, o.Method):
		return cmdutil.UsageErrorf("invalid --method %q: use browser, device, token or password", o.Method)
	case o.WithToken && o.PasswordStdin:
		return cmdutil.UsageErrorf("--with-token and --password-stdin both read standard input: give one")
	case o.ClientSecretStdin && o.ClientID == "":
		return cmdutil.UsageErrorf("--client-secret-stdin goes with --client-id: the secret of which client?")
	case o.ClientSecretStdin && o.Method == client.MethodToken:
		return cmdutil.UsageErrorf("--client-secret-stdin is for logins through the client, not --method token")
	case o.WithToken && o.Method != client.MethodToken:
		return cmdutil.UsageErrorf("--with-token goes with --method token, not %s", o.Method)
	case (o.PasswordStdin || o.Username != "") && o.Method != client.MethodPassword:
		return cmdutil.UsageErrorf("--username and --password-stdin go with --method password, not %s", o.Method)
	case o.OTPStdin && o.Method != client.MethodPassword:
		return cmdutil.UsageErrorf("--otp-stdin goes with --method password; the browser and device logins ask for the code on the hub's page")
	case o.OTPStdin && o.WithToken:
		return cmdutil.UsageErrorf("--with-token and --otp-stdin both read standard input: give one")
	case o.CallbackPort < 0 || o.CallbackPort > 65535:
		return cmdutil.UsageErrorf("--callback-port must be from 0 to 65535")
	case o.IDP != "" && (o.Method != client.MethodBrowser || o.NoBrowser):
		return cmdutil.UsageErrorf("--idp needs the browser login (--method browser, without --no-browser); with the device flow, choose the provider on the hub's device page")
	}
	if o.IDP != "" {
		if err := names.CheckID("--idp", o.IDP); err != nil {
			return cmdutil.UsageErrorf("%s", err)
		}
	}
	return nil
}

// inferMethod is the method the other flags imply: token for
// --with-token, password for --username or --password-stdin, else browser.
func inferMethod(o *LoginOptions) string {
	switch {
	case o.WithToken:
		return client.MethodToken
	case o.Username != "" || o.PasswordStdin:
		return client.MethodPassword
	}
	return client.MethodBrowser
}

func loginRun(o *LoginOptions) error {
	if o.For != "" {
		hub, err := o.hubFor()
		if err != nil {
			return err
		}
		o.Server = hub
	}
	server, err := o.ResolveServer(o.Server, o.Profile)
	if err != nil {
		return err
	}
	if server == "" {
		return cmdutil.UsageErrorf("no server: pass --server URL or set HUBAUTH_SERVER")
	}
	o.Server = server
	secret, err := o.readClientSecret()
	if err != nil {
		return err
	}
	c, err := o.client(ClientOptions{ClientID: o.ClientID, ClientSecret: secret, Scopes: loginScopes(o.Scopes),
		NoStore: o.NoStore, IgnoreEnvToken: true})
	if err != nil {
		return err
	}
	force, err := o.confirmReplace(c)
	if err != nil {
		return err
	}
	if err := o.login(c, force); err != nil {
		return o.loginError(c, err)
	}
	o.reportLogin(c)
	return nil
}

// loginScopes are the default scopes and extra, without duplicates.
func loginScopes(extra []string) []string {
	scopes := slices.Clone(client.DefaultScopes)
	for _, s := range extra {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	return scopes
}

// loginError turns a failed login into one clear line. A refused login is
// an error (exit 1), not "authentication needed".
func (o *LoginOptions) loginError(c *userClient, err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New("login cancelled")
	case errors.Is(err, client.ErrSessionExists):
		return o.alreadyLoggedIn(c)
	case errors.Is(err, client.ErrNotLoggedIn), errors.Is(err, client.ErrSessionExpired):
		return errors.New(err.Error()) // the SDK's message, but exit 1
	}
	var (
		uerr *UsageError
		re   *oauth2.RetrieveError
	)
	switch {
	case errors.As(err, &uerr):
		return err
	case errors.As(err, &re) && re.ErrorCode != "":
		return fmt.Errorf("login failed: %s: %s", re.ErrorCode, re.ErrorDescription) // the server's own words
	}
	return fmt.Errorf("login failed: %v", err)
}

// reportLogin says who is logged in where, and what could surprise.
func (o *LoginOptions) reportLogin(c *userClient) {
	info, _ := c.Session()
	fmt.Fprintf(o.IO.ErrOut, "Logged in to %s as %s (%s)\n", c.where(), describeUser(info), info.Method)
	if info.Source == client.SourceMemory {
		fmt.Fprintln(o.IO.ErrOut, "The session is kept in memory only: it ends with this command.")
	}
	if o.Getenv(envToken) != "" {
		fmt.Fprintln(o.IO.ErrOut, "Note: HUBAUTH_TOKEN is set: commands use it instead of this session until you unset it.")
	}
}

// describeUser names the session's user for messages.
func describeUser(info client.SessionInfo) string {
	switch {
	case info.Username != "":
		return names.Escape(info.Username)
	case info.Subject != "":
		return "subject " + names.Escape(info.Subject)
	}
	return "an unknown user"
}
